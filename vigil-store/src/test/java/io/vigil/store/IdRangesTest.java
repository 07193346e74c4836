package io.vigil.store;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class IdRangesTest {
  @Test
  void addMergesNeighbours_removeSplits_textRoundTrip() {
    IdRanges r = new IdRanges();
    for (long id : new long[] {1, 2, 3, 7, 5, 4, -3}) {
      r.add(id);
    }
    assertThat(r.encode()).isEqualTo("-3~-3,1~5,7~7");
    r.add(6);
    assertThat(r.encode()).isEqualTo("-3~-3,1~7");
    r.remove(4);
    assertThat(r.contains(4)).isFalse();
    assertThat(r.contains(3)).isTrue();
    assertThat(r.contains(5)).isTrue();
    assertThat(r.contains(8)).isFalse();
    assertThat(r.encode()).isEqualTo("-3~-3,1~3,5~7");
    IdRanges back = IdRanges.decode(r.encode());
    assertThat(back.encode()).isEqualTo(r.encode());
    assertThat(IdRanges.decode("").rangeCount()).isZero();
  }

  @Test
  void removeUpTo_cutsTheRangeAcrossTheMark() {
    IdRanges r = IdRanges.decode("1~3,5~9,12~12");
    r.removeUpTo(6);
    assertThat(r.encode()).isEqualTo("7~9,12~12");
    r.removeUpTo(100);
    assertThat(r.rangeCount()).isZero();
  }
}
