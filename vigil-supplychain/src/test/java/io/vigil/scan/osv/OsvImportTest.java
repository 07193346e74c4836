package io.vigil.scan.osv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vigil.scan.Ecosystem;
import io.vigil.scan.Finding;
import io.vigil.scan.ScoreCategory;
import io.vigil.scan.Severity;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OsvImportTest {
  @TempDir Path tmp;

  static final String MAL_NPM =
      """
      {"id": "MAL-2025-1", "summary": "Malicious code in evil-pkg (npm)",
       "details": "\\n---\\n_-= Per source details. Do not edit below this line.=-_\\n\\n## Source: ossf-package-analysis (abc)\\nThe package runs a postinstall script that sends ~/.npmrc to a remote host.\\n",
       "affected": [{"package": {"ecosystem": "npm", "name": "evil-pkg"},
                     "ranges": [{"type": "SEMVER", "events": [{"introduced": "0"}]}]}]}
      """;
  static final String MAL_PYPI =
      """
      {"id": "MAL-2024-7", "summary": "Malicious code in Evil_Py (PyPI)",
       "affected": [{"package": {"ecosystem": "PyPI", "name": "Evil_Py"}, "versions": ["1.0", "1.1rc1"]}]}
      """;
  static final String VULN_MAVEN =
      """
      {"id": "GHSA-aaaa-bbbb-cccc", "aliases": ["CVE-2022-42889"], "summary": "Arbitrary code execution in Apache Commons Text",
       "details": "Variable interpolation can run code.",
       "database_specific": {"severity": "CRITICAL"},
       "affected": [{"package": {"ecosystem": "Maven", "name": "org.apache.commons:commons-text"},
                     "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "1.5"}, {"fixed": "1.10.0"}]}]}]}
      """;
  static final String VULN_CVSS =
      """
      {"id": "PYSEC-2023-1", "summary": "ReDoS in somelib",
       "severity": [{"type": "CVSS_V3", "score": "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H"}],
       "affected": [{"package": {"ecosystem": "PyPI", "name": "somelib"},
                     "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": "2.0"}]}]}]}
      """;

  private Path records() throws IOException {
    Path dir = tmp.resolve("records");
    write(dir.resolve("npm/evil-pkg/MAL-2025-1.json"), MAL_NPM);
    write(dir.resolve("pypi/evil_py/MAL-2024-7.json"), MAL_PYPI);
    write(
        dir.resolve("maven/org.apache.commons:commons-text/GHSA-aaaa-bbbb-cccc.json"), VULN_MAVEN);
    write(dir.resolve("pypi/somelib/PYSEC-2023-1.json"), VULN_CVSS);
    write(
        dir.resolve("npm/broken/MAL-2025-2.json"), "{\"id\": \"MAL-2025-2\",\n \"affected\": [,]}");
    write(dir.resolve("npm/noaffected/MAL-2025-3.json"), "{\"id\": \"MAL-2025-3\"}");
    write(
        dir.resolve("withdrawn/MAL-2023-9.json"),
        "{\"id\": \"MAL-2023-9\", \"withdrawn\": \"2023-12-12T00:00:00Z\", \"affected\": []}");
    write(
        dir.resolve("go/x/GO-2024-1.json"),
        "{\"id\": \"GO-2024-1\", \"affected\": [{\"package\": {\"ecosystem\": \"Go\", \"name\": \"x\"}}]}");
    write(dir.resolve("README.md"), "not a record");
    Files.createDirectories(dir.resolve("npm/pattern.json")); // a directory named like a record
    return dir;
  }

  private static void write(Path p, String s) throws IOException {
    Files.createDirectories(p.getParent());
    Files.writeString(p, s, StandardCharsets.UTF_8);
  }

  @Test
  void run_directoryOfRecords_importsGoodAndReportsBad() throws IOException {
    Path data = tmp.resolve("data");
    OsvImport.Report r = OsvImport.run(records(), data);

    assertThat(r.imported())
        .isEqualTo(
            Map.of(
                Ecosystem.NPM, Map.of(AdvisoryKind.MALICIOUS, 1),
                Ecosystem.PYPI, Map.of(AdvisoryKind.MALICIOUS, 1, AdvisoryKind.VULNERABILITY, 1),
                Ecosystem.MAVEN, Map.of(AdvisoryKind.VULNERABILITY, 1)));
    assertThat(r.importedTotal()).isEqualTo(4);
    assertThat(r.withdrawn()).isEqualTo(1);
    assertThat(r.otherEcosystems()).isEqualTo(1);
    assertThat(r.problems()).hasSize(2);
    assertThat(r.problems().get(0).toString())
        .contains("broken/MAL-2025-2.json:2")
        .contains("not valid JSON");
    assertThat(r.problems().get(1).toString())
        .contains("noaffected/MAL-2025-3.json")
        .contains("\"affected\" is missing or not a list (record MAL-2025-3)");
    assertThat(data.resolve("npm.jsonl.gz")).exists();
  }

  @Test
  void load_afterImport_findsMaliciousAndVulnerable() throws IOException {
    Path data = tmp.resolve("data");
    OsvImport.run(records(), data);
    AdvisoryDatabase db = AdvisoryDatabase.load(data);

    assertThat(db.size()).isEqualTo(4);
    assertThat(db.warning()).isEmpty();
    List<Finding> evil = db.findings(Ecosystem.NPM, "evil-pkg", "3.1.4");
    assertThat(evil).hasSize(1);
    Finding f = evil.get(0);
    assertThat(f.type()).isEqualTo("known-malicious");
    assertThat(f.severity()).isEqualTo(Severity.CRITICAL);
    assertThat(f.category()).isEqualTo(ScoreCategory.SUPPLY_CHAIN);
    assertThat(f.evidence()).startsWith("MAL-2025-1: Malicious code in evil-pkg (npm)");
    assertThat(f.why())
        .isEqualTo("The package runs a postinstall script that sends ~/.npmrc to a remote host.");

    // PyPI names compare PEP 503-normalized, versions by PEP 440
    assertThat(db.findings(Ecosystem.PYPI, "evil-py", "1.1rc1")).hasSize(1);
    assertThat(db.findings(Ecosystem.PYPI, "EVIL.PY", "1.0.0")).hasSize(1);
    assertThat(db.findings(Ecosystem.PYPI, "evil_py", "1.1")).isEmpty();

    List<Finding> text = db.findings(Ecosystem.MAVEN, "org.apache.commons:commons-text", "1.9");
    assertThat(text)
        .singleElement()
        .satisfies(
            v -> {
              assertThat(v.type()).isEqualTo("known-vulnerability");
              assertThat(v.severity()).isEqualTo(Severity.CRITICAL);
              assertThat(v.category()).isEqualTo(ScoreCategory.VULNERABILITY);
              assertThat(v.evidence())
                  .isEqualTo(
                      "GHSA-aaaa-bbbb-cccc: Arbitrary code execution in Apache Commons Text"
                          + " (org.apache.commons:commons-text 1.9, fixed in 1.10.0) aliases"
                          + " CVE-2022-42889");
            });
    assertThat(db.findings(Ecosystem.MAVEN, "org.apache.commons:commons-text", "1.10.0")).isEmpty();

    // severity computed from the CVSS v3.1 vector (7.5 = HIGH)
    assertThat(db.findings(Ecosystem.PYPI, "somelib", "1.9"))
        .singleElement()
        .extracting(Finding::severity)
        .isEqualTo(Severity.HIGH);
  }

  @Test
  void findings_githubRangeWithUpperBoundBesideIt_usesTheBound() throws IOException {
    Path dir = tmp.resolve("ghsa");
    write(
        dir.resolve("GHSA-5mg8-w23w-74h3.json"),
        """
        {"id": "GHSA-5mg8-w23w-74h3", "summary": "Information Disclosure in Guava",
         "database_specific": {"severity": "LOW"},
         "affected": [{"package": {"ecosystem": "Maven", "name": "com.google.guava:guava"},
           "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}]}],
           "database_specific": {"last_known_affected_version_range": "<= 29.0"}}]}
        """);
    AdvisoryDatabase db = AdvisoryDatabase.fromOsvRecords(dir);
    assertThat(db.findings(Ecosystem.MAVEN, "com.google.guava:guava", "29.0")).hasSize(1);
    assertThat(db.findings(Ecosystem.MAVEN, "com.google.guava:guava", "29.0.1")).isEmpty();
    assertThat(db.findings(Ecosystem.MAVEN, "com.google.guava:guava", "28.2-android"))
        .singleElement()
        .extracting(Finding::severity)
        .isEqualTo(Severity.LOW);
  }

  @Test
  void findings_unpinnedVersion_onlyEveryVersionMaliciousRecordsApply() throws IOException {
    AdvisoryDatabase db = AdvisoryDatabase.fromOsvRecords(records());
    assertThat(db.findings(Ecosystem.NPM, "evil-pkg", "")).hasSize(1);
    assertThat(db.findings(Ecosystem.PYPI, "evil-py", "")).isEmpty();
    assertThat(db.findings(Ecosystem.NPM, "lodash", "4.17.21")).isEmpty();
  }

  @Test
  void run_zipOfRecords_importsSameAsDirectory() throws IOException {
    Path zip = tmp.resolve("osv.zip");
    try (ZipOutputStream z = new ZipOutputStream(Files.newOutputStream(zip))) {
      for (Map.Entry<String, String> e :
          Map.of(
                  "osv/npm/MAL-2025-1.json",
                  MAL_NPM,
                  "osv/pypi/MAL-2024-7.json",
                  MAL_PYPI,
                  "osv/bad.json",
                  "[1, 2]",
                  "osv/notes.txt",
                  "ignored")
              .entrySet()) {
        z.putNextEntry(new ZipEntry(e.getKey()));
        z.write(e.getValue().getBytes(StandardCharsets.UTF_8));
        z.closeEntry();
      }
    }
    Path data = tmp.resolve("data");
    OsvImport.Report r = OsvImport.run(zip, data);
    assertThat(r.importedTotal()).isEqualTo(2);
    assertThat(r.problems())
        .singleElement()
        .hasToString(zip + "!/osv/bad.json: expected a JSON object (an OSV record), found ARRAY");
    assertThat(AdvisoryDatabase.load(data).findings(Ecosystem.NPM, "evil-pkg", "1.0.0")).hasSize(1);
  }

  @Test
  void run_twice_replacesRecordsByIdAndKeepsOthers() throws IOException {
    Path data = tmp.resolve("data");
    OsvImport.run(records(), data);
    Path update = tmp.resolve("update");
    write(update.resolve("MAL-2024-7.json"), MAL_PYPI.replace("\"1.0\", \"1.1rc1\"", "\"2.0\""));
    OsvImport.Report r = OsvImport.run(update, data);
    assertThat(r.importedTotal()).isEqualTo(1);
    assertThat(r.storeCounts().get(Ecosystem.PYPI))
        .isEqualTo(Map.of(AdvisoryKind.MALICIOUS, 1, AdvisoryKind.VULNERABILITY, 1));
    AdvisoryDatabase db = AdvisoryDatabase.load(data);
    assertThat(db.findings(Ecosystem.PYPI, "evil-py", "1.0")).isEmpty();
    assertThat(db.findings(Ecosystem.PYPI, "evil-py", "2.0")).hasSize(1);
    assertThat(db.findings(Ecosystem.NPM, "evil-pkg", "1.0.0")).hasSize(1);
  }

  @Test
  void run_recordWithoutId_importsUnderFileNameWithNote() throws IOException {
    Path dir = tmp.resolve("noid");
    write(
        dir.resolve("MAL-0000-thing.json"),
        "{\"summary\": \"x\", \"affected\": [{\"package\": {\"ecosystem\": \"Maven\", \"name\":"
            + " \"g:a\"}, \"versions\": [\"0.9.4\"]}]}");
    OsvImport.Report r = OsvImport.run(dir, tmp.resolve("data"));
    assertThat(r.importedTotal()).isEqualTo(1);
    assertThat(r.problems())
        .singleElement()
        .asString()
        .endsWith("the record has no \"id\"; imported as MAL-0000-thing (from the file name)");
  }

  @Test
  void run_recordOverSizeLimit_isReportedWithSettingName() throws IOException {
    Path dir = tmp.resolve("big");
    write(dir.resolve("MAL-1.json"), MAL_NPM);
    OsvImport.Report r =
        OsvImport.run(dir, tmp.resolve("data"), new OsvImport.Limits(100, 1 << 20, 10));
    assertThat(r.importedTotal()).isZero();
    assertThat(r.problems()).singleElement().asString().contains("more than maxRecordBytes (100)");
  }

  @Test
  void run_missingSource_throwsWithWhatToGive() {
    assertThatThrownBy(() -> OsvImport.run(tmp.resolve("nope"), tmp.resolve("data")))
        .isInstanceOf(IOException.class)
        .hasMessageEndingWith("does not exist; give a directory of OSV records or a .zip");
  }

  @Test
  void load_emptyDataDir_isEmptyWithWarningNamingTheCommand() throws IOException {
    AdvisoryDatabase db = AdvisoryDatabase.load(tmp.resolve("never-imported"));
    assertThat(db.isEmpty()).isTrue();
    assertThat(db.warning())
        .get()
        .asString()
        .contains("no advisory data in")
        .contains("run vigil osv import DIR|ZIP");
    assertThat(db.findings(Ecosystem.NPM, "evil-pkg", "1.0.0")).isEmpty();
  }

  @Test
  void load_damagedLine_isSkippedAndReported() throws IOException {
    Path data = tmp.resolve("data");
    OsvImport.run(records(), data);
    Path f = data.resolve("npm.jsonl.gz");
    try (OutputStream out = new java.util.zip.GZIPOutputStream(Files.newOutputStream(f))) {
      out.write("garbage line\n".getBytes(StandardCharsets.UTF_8));
    }
    AdvisoryDatabase db = AdvisoryDatabase.load(data);
    assertThat(db.problems())
        .singleElement()
        .asString()
        .contains("npm.jsonl.gz:1: skipped a damaged line");
    assertThat(db.findings(Ecosystem.PYPI, "evil-py", "1.0")).hasSize(1);
  }

  @Test
  void load_truncatedGzip_failsNamingTheFileAndTheFix() throws IOException {
    Path data = tmp.resolve("data");
    OsvImport.run(records(), data);
    Path f = data.resolve("npm.jsonl.gz");
    byte[] b = Files.readAllBytes(f);
    Files.write(f, java.util.Arrays.copyOf(b, b.length / 2));
    assertThatThrownBy(() -> AdvisoryDatabase.load(data))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("npm.jsonl.gz is not a complete gzip file")
        .hasMessageContaining("run vigil osv import");
  }

  @Test
  void load_storeOfAnotherFormat_failsSayingWhatToDo() throws IOException {
    Path data = tmp.resolve("data");
    OsvImport.run(records(), data);
    Files.writeString(data.resolve("store.json"), "{\"format\": \"99\"}", StandardCharsets.UTF_8);
    assertThatThrownBy(() -> AdvisoryDatabase.load(data))
        .isInstanceOf(IOException.class)
        .hasMessage(
            "the advisory store in "
                + data
                + " has format '99', this Vigil reads format '1'; delete the folder and run vigil"
                + " osv import again");
  }
}
