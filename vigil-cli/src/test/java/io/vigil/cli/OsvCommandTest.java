package io.vigil.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OsvCommandTest {
  @TempDir Path tmp;

  record Run(int exit, String out, String err) {}

  private static synchronized Run run(String... args) {
    PrintStream oldOut = System.out;
    PrintStream oldErr = System.err;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    try {
      System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
      System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
      int exit = Main.run(args);
      return new Run(
          exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    } finally {
      System.setOut(oldOut);
      System.setErr(oldErr);
    }
  }

  private Path records() throws IOException {
    Path dir = tmp.resolve("records");
    Files.createDirectories(dir.resolve("npm/evil"));
    Files.writeString(
        dir.resolve("npm/evil/MAL-2025-1.json"),
        """
        {"id": "MAL-2025-1", "summary": "Malicious code in evil (npm)",
         "details": "Steals tokens from ~/.npmrc.",
         "affected": [{"package": {"ecosystem": "npm", "name": "evil"}, "versions": ["1.0.0"]}]}
        """,
        StandardCharsets.UTF_8);
    Files.writeString(dir.resolve("npm/evil/MAL-2025-2.json"), "{not json", StandardCharsets.UTF_8);
    return dir;
  }

  @Test
  void osvImport_directory_printsCountsPerEcosystemAndKindAndBadRecords() throws IOException {
    Path data = tmp.resolve("data");
    Run r = run("osv", "import", records().toString(), "--data", data.toString());
    assertThat(r.exit()).as(r.toString()).isZero();
    assertThat(r.out())
        .contains("imported 1 records from " + tmp.resolve("records") + " into " + data)
        .containsPattern("npm\\s+1 malicious\\s+0 vulnerabilities")
        .containsPattern("PyPI\\s+0 malicious");
    assertThat(r.err())
        .contains("1 record(s) with problems:")
        .contains("MAL-2025-2.json:1: not valid JSON");
  }

  @Test
  void osvQuery_afterImport_listsTheAdvisoryAndExitsOne() throws IOException {
    Path data = tmp.resolve("data");
    run("osv", "import", records().toString(), "--data", data.toString());
    Run hit = run("osv", "query", "npm", "evil", "1.0.0", "--data", data.toString());
    assertThat(hit.exit()).as(hit.toString()).isEqualTo(1);
    assertThat(hit.out())
        .contains("CRITICAL")
        .contains("known-malicious")
        .contains("MAL-2025-1: Malicious code in evil (npm)")
        .contains("Steals tokens from ~/.npmrc.");
    Run miss = run("osv", "query", "npm", "evil", "1.0.1", "--data", data.toString());
    assertThat(miss.exit()).isZero();
    assertThat(miss.out()).contains("no advisory applies to evil 1.0.1");
  }

  @Test
  void osvStatus_nothingImported_saysWhatToRun() {
    Run r = run("osv", "status", "--data", tmp.resolve("empty").toString());
    assertThat(r.exit()).isZero();
    assertThat(r.err()).contains("no advisory data in").contains("run vigil osv import DIR|ZIP");
  }

  @Test
  void osvImport_missingSource_exitsTwoWithReason() {
    Run r =
        run("osv", "import", tmp.resolve("nope").toString(), "--data", tmp.resolve("d").toString());
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err()).contains("does not exist; give a directory of OSV records or a .zip");
  }

  @Test
  void osvQuery_unknownEcosystem_exitsTwo() {
    Run r = run("osv", "query", "cargo", "serde", "--data", tmp.toString());
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err()).contains("unknown ecosystem 'cargo'; expected npm, PyPI or Maven");
  }
}
