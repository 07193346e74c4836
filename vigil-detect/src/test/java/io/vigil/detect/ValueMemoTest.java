package io.vigil.detect;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ValueMemoTest {
  @Test
  void get_returnsWhatWasPutForThatValueOnly_evenWhenTheHashesAreEqual() {
    ValueMemo memo = new ValueMemo();
    // "Aa" and "BB" have the same String hash: the memo must tell them apart by their text
    assertThat("Aa".hashCode()).isEqualTo("BB".hashCode());
    memo.put("Aa", new int[] {3, 70});
    assertThat(memo.get("Aa")).containsExactly(3, 70);
    assertThat(memo.get("BB")).isNull();
    assertThat(memo.get(new String("Aa".toCharArray()))).containsExactly(3, 70);
    memo.put("BB", new int[] {});
    assertThat(memo.get("BB")).isEmpty();
    assertThat(memo.get("Aa")).as("same slot, replaced").isNull();
  }

  @Test
  void trial_switchesOffForValuesThatRarelyRepeat_staysOnForRepeatingOnes() {
    ValueMemo unique = new ValueMemo();
    ValueMemo repeating = new ValueMemo();
    for (int i = 0; i < ValueMemo.TRIAL; i++) {
      String u = "C:\\Users\\u\\AppData\\Local\\Temp\\" + i + ".exe";
      if (unique.get(u) == null) {
        unique.put(u, new int[] {1});
      }
      String r = "C:\\Windows\\System32\\dll" + (i % 50) + ".dll";
      if (repeating.get(r) == null) {
        repeating.put(r, new int[] {2});
      }
      if (i < ValueMemo.TRIAL - 1) {
        assertThat(unique.on()).as("still on during the trial, lookup %d", i + 1).isTrue();
      }
    }
    // the trial ends with the TRIAL-th lookup
    assertThat(unique.on()).isFalse();
    assertThat(repeating.on()).isTrue();
    assertThat(repeating.get("C:\\Windows\\System32\\dll7.dll")).containsExactly(2);
  }

  @Test
  void memory_staysWithinTheBudget() {
    ValueMemo memo = new ValueMemo();
    String big = "x".repeat(ValueMemo.MAX_LENGTH);
    int kept = 0;
    for (int i = 0; i < 4 * ValueMemo.SLOTS; i++) {
      String v = big.substring(0, ValueMemo.MAX_LENGTH - 8) + String.format("%08d", i);
      memo.put(v, new int[] {i});
      if (memo.get(v) != null) {
        kept++;
      }
      assertThat(memo.chars()).isLessThanOrEqualTo(ValueMemo.BUDGET);
    }
    assertThat(kept).isGreaterThan(0).isLessThan(4 * ValueMemo.SLOTS);
  }
}
