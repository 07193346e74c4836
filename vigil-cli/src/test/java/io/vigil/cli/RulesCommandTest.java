package io.vigil.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vigil.testing.SharedData;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RulesCommandTest {
  @TempDir Path dir;

  @Test
  void check_starterRules_exit0AndSummary() {
    HuntRun run = HuntRun.of("rules", "check", HuntCommandTest.starter());

    assertThat(run.exit()).as(run.toString()).isZero();
    assertThat(run.out()).contains("8 rules: 8 compiled, 0 failed");
  }

  @Test
  void check_brokenRule_exit1WithFileLineIdAndReason() throws IOException {
    Path bad = dir.resolve("bad.yml");
    Files.writeString(
        bad,
        "title: Broken\nid: 11111111-1111-4111-8111-111111111111\nlogsource:\n  product: windows\n"
            + "detection:\n  selection:\n    Image: x\n  condition: selection and missing\n");
    Files.copy(Path.of(HuntCommandTest.starter(), "whoami_execution.yml"), dir.resolve("ok.yml"));

    HuntRun run = HuntRun.of("rules", "check", dir.toString());

    assertThat(run.exit()).as(run.toString()).isEqualTo(1);
    assertThat(run.out())
        .containsPattern(
            "\\Q" + bad + "\\E:\\d+ \\[11111111-1111-4111-8111-111111111111\\]: .*missing")
        .contains("2 rules: 1 compiled, 1 failed");
  }

  @Test
  void check_json_exactlyOneObjectWithTheFailures() throws IOException {
    Path bad = dir.resolve("bad.yml");
    Files.writeString(
        bad,
        "title: Broken\nid: 22222222-2222-4222-8222-222222222222\nlogsource:\n  product: windows\n"
            + "detection:\n  selection:\n    Image|nosuchmodifier: x\n  condition: selection\n");

    HuntRun run = HuntRun.of("rules", "check", "--json", dir.toString());

    assertThat(run.exit()).isEqualTo(1);
    JsonNode json = new ObjectMapper().readTree(run.out());
    assertThat(run.out().strip().lines().count()).isEqualTo(1);
    assertThat(json.get("total").asInt()).isEqualTo(1);
    assertThat(json.get("ok").asInt()).isZero();
    JsonNode failed = json.get("failed").get(0);
    assertThat(failed.get("file").asText()).isEqualTo(bad.toString());
    assertThat(failed.get("line").asInt()).isPositive();
    assertThat(failed.get("id").asText()).isEqualTo("22222222-2222-4222-8222-222222222222");
    assertThat(failed.get("error").asText()).contains("nosuchmodifier");
  }

  @Test
  void check_missingPath_exit2() {
    HuntRun run = HuntRun.of("rules", "check", "/no/such/rules");

    assertThat(run.exit()).isEqualTo(2);
    assertThat(run.err()).contains("cannot read /no/such/rules: no such file or directory");
  }

  @Test
  void check_noPath_exit2WithUsage() {
    assertThat(HuntRun.of("rules", "check").exit()).isEqualTo(2);
  }

  @Test
  void check_everySigmaHqRule_compiles() {
    Path sigma = SharedData.require("sigma");

    HuntRun run = HuntRun.of("rules", "check", "--json", sigma.toString());

    assertThat(run.out()).contains("\"total\":3780");
    assertThat(run.out()).as("rules that failed to compile").contains("\"failed\":[]");
    assertThat(run.exit()).isZero();
  }

  @Test
  void test_ruleOnEvents_firesOnOneAndExplainsTheOther() throws IOException {
    Path events = dir.resolve("events.jsonl");
    Files.writeString(
        events,
        "{\"EventID\":1,\"Channel\":\"Microsoft-Windows-Sysmon/Operational\","
            + "\"Image\":\"C:\\\\Windows\\\\System32\\\\whoami.exe\"}\n"
            + "{\"EventID\":1,\"Channel\":\"Microsoft-Windows-Sysmon/Operational\","
            + "\"Image\":\"C:\\\\Windows\\\\notepad.exe\"}\n");

    HuntRun run =
        HuntRun.of(
            "rules",
            "test",
            Path.of(HuntCommandTest.starter(), "whoami_execution.yml").toString(),
            events.toString());

    assertThat(run.exit()).as(run.toString()).isZero();
    assertThat(run.out())
        .contains(events + "#1: FIRES  Whoami Executed")
        .contains(events + "#2: Whoami Executed")
        .contains("does not fire")
        .contains("C:\\Windows\\notepad.exe")
        .contains("2 events, 1 fired");
  }

  @Test
  void test_missingEvents_exit2() {
    HuntRun run =
        HuntRun.of(
            "rules",
            "test",
            Path.of(HuntCommandTest.starter(), "whoami_execution.yml").toString(),
            "/no/events.json");

    assertThat(run.exit()).isEqualTo(2);
    assertThat(run.err()).contains("cannot read events /no/events.json");
  }
}
