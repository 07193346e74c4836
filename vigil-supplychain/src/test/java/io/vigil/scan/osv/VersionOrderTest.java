package io.vigil.scan.osv;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.scan.Ecosystem;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class VersionOrderTest {

  private static int cmp(Ecosystem e, String a, String b) {
    return VersionOrder.compare(e, a, b)
        .orElseThrow(() -> new AssertionError("unordered: " + a + " / " + b));
  }

  /** Each list is strictly ascending; every pair is checked both ways. */
  private static void assertAscending(Ecosystem e, List<String> versions) {
    for (int i = 0; i < versions.size(); i++) {
      for (int j = 0; j < versions.size(); j++) {
        int expected = Integer.compare(i, j);
        assertThat(cmp(e, versions.get(i), versions.get(j)))
            .as("%s vs %s", versions.get(i), versions.get(j))
            .isEqualTo(expected);
      }
    }
  }

  @Test
  void compare_npmSemverWithPrereleases_followsSemverPrecedence() {
    // the SemVer 2.0.0 spec's own example, plus numeric (not lexical) ordering
    assertAscending(
        Ecosystem.NPM,
        List.of(
            "1.0.0-alpha",
            "1.0.0-alpha.1",
            "1.0.0-alpha.beta",
            "1.0.0-beta",
            "1.0.0-beta.2",
            "1.0.0-beta.11",
            "1.0.0-rc.1",
            "1.0.0",
            "1.0.1",
            "1.2.0",
            "1.10.0",
            "2.0.0-0",
            "2.0.0"));
  }

  @ParameterizedTest
  @CsvSource({
    "1.0.0+build.1, 1.0.0",
    "v1.2.3, 1.2.3",
    "=1.2.3, 1.2.3",
    "1.2, 1.2.0",
  })
  void compare_npmEquivalentSpellings_areEqual(String a, String b) {
    assertThat(cmp(Ecosystem.NPM, a, b)).isZero();
  }

  @Test
  void compare_npmInvalidVersion_isUnordered() {
    assertThat(VersionOrder.compare(Ecosystem.NPM, "1.0.0.0", "1.0.0")).isEmpty();
    assertThat(VersionOrder.compare(Ecosystem.NPM, "latest", "1.0.0")).isEmpty();
  }

  @Test
  void compare_pep440_followsPep440Order() {
    // PEP 440's summary of ordering, with epochs and local versions
    assertAscending(
        Ecosystem.PYPI,
        List.of(
            "1.0.dev456",
            "1.0a1",
            "1.0a2.dev456",
            "1.0a12.dev456",
            "1.0a12",
            "1.0b1.dev456",
            "1.0b2",
            "1.0b2.post345.dev456",
            "1.0b2.post345",
            "1.0rc1.dev456",
            "1.0rc1",
            "1.0",
            "1.0+abc.5",
            "1.0+abc.7",
            "1.0+5",
            "1.0.post456.dev34",
            "1.0.post456",
            "1.0.15",
            "1.1.dev1",
            "2!0.5"));
  }

  @ParameterizedTest
  @CsvSource({
    "1.0, 1.0.0",
    "1.0-1, 1.0.post1",
    "1.0.post1, 1.0post1",
    "1.0-r1, 1.0.post1",
    "1.0rc1, 1.0c1",
    "1.0rc1, 1.0-RC-1",
    "1.0alpha1, 1.0a1",
    "1.0-beta.2, 1.0b2",
    "v2.1, 2.1",
    "0!1.0, 1.0",
    "1.0.dev, 1.0.dev0",
  })
  void compare_pep440Spellings_normalizeEqual(String a, String b) {
    assertThat(cmp(Ecosystem.PYPI, a, b)).isZero();
  }

  @Test
  void compare_pep440InvalidVersion_isUnordered() {
    assertThat(VersionOrder.compare(Ecosystem.PYPI, "1.0-foo", "1.0")).isEmpty();
    assertThat(VersionOrder.compare(Ecosystem.PYPI, "", "1.0")).isEmpty();
  }

  @Test
  void compare_maven_followsComparableVersionOrder() {
    assertAscending(
        Ecosystem.MAVEN,
        List.of(
            "1.0-alpha-1",
            "1.0-alpha-2",
            "1.0-beta-1",
            "1.0-M1",
            "1.0-RC1",
            "1.0-SNAPSHOT",
            "1.0",
            "1.0-sp1",
            "1.0-whatever",
            "1.0.1",
            "1.1",
            "1.10",
            "2.0"));
  }

  @ParameterizedTest
  @CsvSource({
    "1.0, 1.0.0",
    "1.0.RELEASE, 1.0",
    "1.0-final, 1.0",
    "1.0-ga, 1.0",
    "1.0.0.Final, 1.0",
    "1.0-CR1, 1.0-RC1",
    "1.0a1, 1.0-alpha-1",
    "1-0, 1",
  })
  void compare_mavenAliases_areEqual(String a, String b) {
    assertThat(cmp(Ecosystem.MAVEN, a, b)).isZero();
  }

  @Test
  void compare_springStyleQualifiers_milestoneBeforeReleaseCandidateBeforeRelease() {
    assertAscending(
        Ecosystem.MAVEN, List.of("5.0.0.M1", "5.0.0.RC1", "5.0.0.RELEASE", "5.0.1.RELEASE"));
  }
}
