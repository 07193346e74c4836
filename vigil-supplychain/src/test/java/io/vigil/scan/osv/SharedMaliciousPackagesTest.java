package io.vigil.scan.osv;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.scan.Ecosystem;
import io.vigil.scan.Finding;
import io.vigil.testing.SharedData;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Imports the OpenSSF malicious-packages snapshot in ../shared and checks it against the sample
 * manifest; prints import and load times to the test output.
 */
class SharedMaliciousPackagesTest {
  @TempDir static Path tmp;
  static Path data;
  static AdvisoryDatabase db;
  static OsvImport.Report report;

  @BeforeAll
  static void importOnce() throws IOException {
    Path osv = SharedData.require("malicious-packages/osv");
    data = tmp.resolve("osv");
    report = OsvImport.run(osv, data);
    long start = System.nanoTime();
    db = AdvisoryDatabase.load(data);
    long loadMs = (System.nanoTime() - start) / 1_000_000;
    System.out.printf(
        "imported %d records in %d ms, loaded %d in %d ms%n",
        report.importedTotal(), report.elapsed().toMillis(), db.size(), loadMs);
  }

  @Test
  void import_sharedSnapshot_importsAllButWithdrawn() {
    assertThat(report.imported().get(Ecosystem.NPM).get(AdvisoryKind.MALICIOUS))
        .isGreaterThan(22_000);
    assertThat(report.imported().get(Ecosystem.PYPI).get(AdvisoryKind.MALICIOUS))
        .isGreaterThan(9_000);
    assertThat(report.imported().get(Ecosystem.MAVEN).get(AdvisoryKind.MALICIOUS)).isEqualTo(3);
    assertThat(report.withdrawn()).isEqualTo(56);
    // the one record without an id is imported under its file name, and says so
    assertThat(report.problems())
        .extracting(OsvImport.Problem::reason)
        .allMatch(r -> r.contains("has no \"id\""));
  }

  @Test
  void findings_everyManifestSampleWithOsvIds_isKnownMalicious() throws IOException {
    Path manifest = SharedData.require("supplychain-samples/malicious/manifest.tsv");
    List<String> lines = Files.readAllLines(manifest, StandardCharsets.UTF_8);
    List<String> header = List.of(lines.get(0).split("\t", -1));
    int eco = header.indexOf("ecosystem");
    int pkg = header.indexOf("package");
    int ver = header.indexOf("version");
    int ids = header.indexOf("osv_ids");
    int checked = 0;
    List<String> missed = new ArrayList<>();
    for (String line : lines.subList(1, lines.size())) {
      String[] f = line.split("\t", -1);
      if (f.length <= ids || f[ids].isBlank()) {
        continue;
      }
      Ecosystem e = Ecosystem.fromOsv(f[eco]).orElseThrow();
      List<Finding> found = db.findings(e, f[pkg], f[ver]);
      for (String id : f[ids].split("[,; ]+")) {
        checked++;
        if (found.stream().noneMatch(x -> x.evidence().startsWith(id + ":"))) {
          missed.add(f[pkg] + " " + f[ver] + " " + id);
        }
      }
      assertThat(found).allMatch(x -> x.type().equals("known-malicious"));
    }
    assertThat(checked).isGreaterThanOrEqualTo(15);
    assertThat(missed).isEmpty();
  }

  @Test
  void findings_nearMisses_benignVersionsAreNotFlagged() {
    assertThat(db.findings(Ecosystem.NPM, "chalk", "5.6.1")).hasSize(1);
    assertThat(db.findings(Ecosystem.NPM, "chalk", "5.6.2")).isEmpty();
    assertThat(db.findings(Ecosystem.NPM, "debug", "4.4.2")).hasSize(1);
    assertThat(db.findings(Ecosystem.NPM, "debug", "4.4.1")).isEmpty();
    assertThat(db.findings(Ecosystem.MAVEN, "com.tbruyelle.rxpermissions2:rxpermissions", "0.9.4"))
        .hasSize(1);
    assertThat(db.findings(Ecosystem.MAVEN, "com.tbruyelle.rxpermissions2:rxpermissions", "0.9.3"))
        .isEmpty();
  }

  @Test
  void load_importedStore_reloadsEveryAdvisory() throws IOException {
    // Load time is reported in docs/SUPPLYCHAIN-DATA.md (a measurement, not an assertion).
    long start = System.nanoTime();
    AdvisoryDatabase again = AdvisoryDatabase.load(data);
    System.out.printf(
        "load of %d advisories: %d ms%n", again.size(), (System.nanoTime() - start) / 1_000_000);
    assertThat(again.size()).isEqualTo(db.size()).isGreaterThan(30_000);
  }
}
