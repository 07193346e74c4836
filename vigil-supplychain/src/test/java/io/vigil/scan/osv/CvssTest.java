package io.vigil.scan.osv;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.scan.Severity;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CvssTest {
  @ParameterizedTest
  @CsvSource({
    "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H, 9.8, CRITICAL",
    "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H, 10.0, CRITICAL",
    "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H, 7.5, HIGH",
    "CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:C/C:L/I:L/A:N, 6.1, MEDIUM",
    "CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:U/C:L/I:N/A:N, 5.3, MEDIUM",
    "CVSS:3.1/AV:L/AC:H/PR:H/UI:R/S:U/C:L/I:N/A:N, 1.8, LOW",
    "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:N, 0.0, INFO",
  })
  void baseScore_knownVectors_matchTheCalculator(String vector, double score, Severity severity) {
    assertThat(Cvss.baseScore(vector)).contains(score);
    assertThat(Cvss.severity(score)).isEqualTo(severity);
  }

  @ParameterizedTest
  @CsvSource({
    "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N",
    "CVSS:3.1/AV:X",
    "nonsense"
  })
  void baseScore_otherOrBrokenVectors_empty(String vector) {
    assertThat(Cvss.baseScore(vector)).isEmpty();
  }
}
