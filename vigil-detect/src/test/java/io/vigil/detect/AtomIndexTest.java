package io.vigil.detect;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The literal a regular expression needs, used to index regex atoms (AtomIndex). */
class AtomIndexTest {
  @Test
  void requiredLiteral_topLevelRuns_longestLowerCased() {
    assertThat(
            AtomIndex.requiredLiteral(
                "^C:\\\\Windows\\\\SYSTEM32\\\\ntdll\\.dll\\+[a-z0-9]{4,6}\\|UNKNOWN"))
        .isEqualTo("c:\\windows\\system32\\ntdll.dll+");
    assertThat(AtomIndex.requiredLiteral("x[abc]yz+q")).isEqualTo("yz");
    assertThat(AtomIndex.requiredLiteral("(foo|bar)bazz")).isEqualTo("bazz");
  }

  @Test
  void requiredLiteral_optionalOrAlternative_notRequired() {
    assertThat(AtomIndex.requiredLiteral("abc|def")).isEmpty();
    assertThat(AtomIndex.requiredLiteral("ab?cdef")).isEqualTo("cdef");
    assertThat(AtomIndex.requiredLiteral("abcd*e")).isEqualTo("abc");
    assertThat(AtomIndex.requiredLiteral("abcd{0,3}")).isEqualTo("abc");
    assertThat(AtomIndex.requiredLiteral("\\d+\\s\\w")).isEmpty();
  }
}
