package io.vigil.scan;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.testing.SharedData;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The fast, assertion-based part of the benchmark (the full table: {@link SampleEvaluation}): every
 * malicious npm sample is called malicious, the npm security placeholder is not, and no benign npm
 * or Maven package is called malicious. Content analysis only, no advisories.
 */
class SampleEvaluationTest {
  @Test
  void samples_contentAnalysisOnly_meetTheDetectionBar() throws IOException {
    Path samples =
        SharedData.require("supplychain-samples/malicious/manifest.tsv").getParent().getParent();
    List<SampleEvaluation.Row> rows = SampleEvaluation.run(samples);

    assertThat(rows).allSatisfy(r -> assertThat(r.error()).as(r.file()).isNull());
    assertThat(rows)
        .filteredOn(r -> r.group().equals("malicious-npm") && r.label().equals("malicious"))
        .hasSize(12)
        .allSatisfy(r -> assertThat(r.verdict()).as(r.file()).isEqualTo(Verdict.MALICIOUS));
    assertThat(rows)
        .filteredOn(r -> r.label().equals("benign-control"))
        .allSatisfy(r -> assertThat(r.verdict()).as(r.file()).isEqualTo(Verdict.CLEAN));
    assertThat(rows)
        .filteredOn(r -> r.group().startsWith("benign"))
        .hasSize(50)
        .allSatisfy(r -> assertThat(r.verdict()).as(r.file()).isNotEqualTo(Verdict.MALICIOUS));
    long pypiHits =
        rows.stream()
            .filter(r -> r.group().equals("malicious-pypi"))
            .filter(r -> r.verdict() == Verdict.MALICIOUS)
            .count();
    assertThat(pypiHits).as("PyPI samples called malicious").isGreaterThanOrEqualTo(28);
  }
}
