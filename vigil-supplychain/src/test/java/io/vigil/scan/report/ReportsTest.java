package io.vigil.scan.report;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vigil.scan.Ecosystem;
import io.vigil.scan.Finding;
import io.vigil.scan.PackageReport;
import io.vigil.scan.ScoreCategory;
import io.vigil.scan.Severity;
import io.vigil.scan.Verdict;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ReportsTest {
  static final PackageReport REPORT =
      new PackageReport(
          "pkgs/evil-1.0.0.tgz",
          Ecosystem.NPM,
          "evil",
          "1.0.0",
          Verdict.MALICIOUS,
          Map.of(ScoreCategory.SUPPLY_CHAIN, 0),
          List.of(
              new Finding(
                  "install-time-download-and-run",
                  ScoreCategory.SUPPLY_CHAIN,
                  Severity.CRITICAL,
                  "package.json",
                  5,
                  "download-and-pipe-to-shell (package.json:5: curl x | sh)",
                  "Code that runs at install pipes a download into an interpreter."),
              new Finding("no-license", ScoreCategory.LICENSE, Severity.LOW, "", 0, "none", "why")),
          List.of("install-time-download-and-run at package.json:5: curl x | sh"));

  @Test
  void json_hasPackagesWithVerdictScoresAndFindings() throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    JsonReport.write(List.of(REPORT), List.of("x: unreadable"), out);

    JsonNode root = new ObjectMapper().readTree(out.toByteArray());
    JsonNode p = root.path("packages").get(0);
    assertThat(p.path("path").asText()).isEqualTo("pkgs/evil-1.0.0.tgz");
    assertThat(p.path("ecosystem").asText()).isEqualTo("npm");
    assertThat(p.path("name").asText()).isEqualTo("evil");
    assertThat(p.path("version").asText()).isEqualTo("1.0.0");
    assertThat(p.path("verdict").asText()).isEqualTo("malicious");
    assertThat(p.path("scores").path("supplyChain").asInt()).isZero();
    assertThat(p.path("scores").path("license").asInt()).isEqualTo(100);
    JsonNode f = p.path("findings").get(0);
    assertThat(f.path("type").asText()).isEqualTo("install-time-download-and-run");
    assertThat(f.path("severity").asText()).isEqualTo("critical");
    assertThat(f.path("file").asText()).isEqualTo("package.json");
    assertThat(f.path("line").asInt()).isEqualTo(5);
    assertThat(f.path("evidence").asText()).contains("curl x | sh");
    assertThat(f.path("why").asText()).isNotBlank();
    assertThat(root.path("errors").get(0).asText()).isEqualTo("x: unreadable");
  }

  @Test
  void sarif_hasTheRequiredFieldsOf210() throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    SarifReport.write(List.of(REPORT), "test", out);

    JsonNode root = new ObjectMapper().readTree(out.toByteArray());
    assertThat(root.path("version").asText()).isEqualTo("2.1.0");
    assertThat(root.path("$schema").asText()).contains("sarif-2.1.0");
    JsonNode run = root.path("runs").get(0);
    assertThat(run.path("tool").path("driver").path("name").asText()).isEqualTo("vigil-scan");
    assertThat(run.path("tool").path("driver").path("rules")).hasSize(2);
    assertThat(run.path("tool").path("driver").path("rules").get(0).path("id").asText())
        .isEqualTo("install-time-download-and-run");
    JsonNode result = run.path("results").get(0);
    assertThat(result.path("ruleId").asText()).isEqualTo("install-time-download-and-run");
    assertThat(result.path("level").asText()).isEqualTo("error");
    assertThat(result.path("message").path("text").asText()).contains("evil@1.0.0");
    JsonNode loc = result.path("locations").get(0).path("physicalLocation");
    assertThat(loc.path("artifactLocation").path("uri").asText())
        .isEqualTo("pkgs/evil-1.0.0.tgz/package.json");
    assertThat(loc.path("region").path("startLine").asInt()).isEqualTo(5);
    // a finding without a line still gets a valid region (startLine >= 1)
    JsonNode second = run.path("results").get(1);
    assertThat(second.path("level").asText()).isEqualTo("note");
    assertThat(
            second
                .path("locations")
                .get(0)
                .path("physicalLocation")
                .path("region")
                .path("startLine")
                .asInt())
        .isEqualTo(1);
  }

  @Test
  void table_showsVerdictReasonAndSummary() {
    StringWriter s = new StringWriter();
    TableReport.write(List.of(REPORT), Severity.LOW, new PrintWriter(s));
    assertThat(s.toString())
        .contains("MALICIOUS  evil@1.0.0")
        .contains("because install-time-download-and-run")
        .contains("1 packages: 1 malicious, 0 suspicious, 0 clean");
  }
}
