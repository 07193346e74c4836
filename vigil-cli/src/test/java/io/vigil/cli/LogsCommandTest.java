package io.vigil.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vigil.testing.SharedData;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LogsCommandTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;

  @Test
  void stats_json_oneObjectPerFileWithFormatCountsTimeRangeAndTop() throws IOException {
    Path zeek =
        write(
            "logs/dns.log",
            "{\"_path\":\"dns\",\"ts\":1588205199.5,\"uid\":\"a\",\"query\":\"x\"}\n"
                + "{\"_path\":\"dns\",\"ts\":1588205100.0,\"uid\":\"b\",\"query\":\"y\"}\n"
                + "{\"_path\":\"conn\",\"ts\":1588205300.25,\"uid\":\"c\"}\n");
    Path windows =
        write(
            "logs/win.jsonl",
            "{\"EventID\":4688,\"Channel\":\"Security\",\"@timestamp\":\"2020-12-19T06:59:28.410Z\"}\n"
                + "{\"EventID\":4688,\"Channel\":\"Security\",\"@timestamp\":\"2020-12-19T07:00:00Z\"}\n"
                + "{\"EventID\":1,\"Channel\":\"Microsoft-Windows-Sysmon/Operational\","
                + "\"@timestamp\":\"2020-12-19T06:00:00Z\"}\n"
                + "{\"EventID\": broken\n");

    HuntRun run = HuntRun.of("logs", "stats", "--json", dir.resolve("logs").toString());

    assertThat(run.exit()).as(run.toString()).isEqualTo(1);
    List<JsonNode> lines = lines(run.out());
    assertThat(lines).hasSize(2);
    JsonNode d = lines.get(0);
    assertThat(d.get("file").asText()).isEqualTo(zeek.toString());
    assertThat(d.get("format").asText()).isEqualTo("zeek-json");
    assertThat(d.get("events").asLong()).isEqualTo(3);
    assertThat(d.get("errors").asLong()).isZero();
    assertThat(d.get("first").asText()).isEqualTo("2020-04-30T00:05:00Z");
    assertThat(d.get("last").asText()).isEqualTo("2020-04-30T00:08:20.250Z");
    assertThat(d.get("top").get("event_types").get(0).get("value").asText()).isEqualTo("dns");
    assertThat(d.get("top").get("event_types").get(0).get("count").asLong()).isEqualTo(2);
    assertThat(d.get("top").get("event_types").get(1).get("value").asText()).isEqualTo("conn");
    JsonNode w = lines.get(1);
    assertThat(w.get("file").asText()).isEqualTo(windows.toString());
    assertThat(w.get("format").asText()).isEqualTo("json");
    assertThat(w.get("events").asLong()).isEqualTo(3);
    assertThat(w.get("errors").asLong()).isEqualTo(1);
    assertThat(w.get("first").asText()).isEqualTo("2020-12-19T06:00:00Z");
    assertThat(w.get("last").asText()).isEqualTo("2020-12-19T07:00:00Z");
    assertThat(w.get("top").get("event_ids").get(0).get("value").asText()).isEqualTo("4688");
    assertThat(w.get("top").get("event_ids").get(0).get("count").asLong()).isEqualTo(2);
    assertThat(w.get("top").get("providers").get(0).get("value").asText()).isEqualTo("Security");
    assertThat(run.err()).contains(windows + "#4").contains("malformed JSON");
  }

  @Test
  void stats_archive_countsAsOneFile() throws IOException {
    Path zip = dir.resolve("trail.zip");
    try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(zip))) {
      for (int i = 1; i <= 2; i++) {
        out.putNextEntry(new ZipEntry("CloudTrail/part" + i + ".json"));
        out.write(
            ("{\"Records\":[{\"eventVersion\":\"1.08\",\"eventTime\":\"2023-07-10T11:4"
                    + i
                    + ":00Z\",\"eventSource\":\"cloudtrail.amazonaws.com\",\"eventName\":\"StopLogging\","
                    + "\"awsRegion\":\"us-east-1\"}]}")
                .getBytes(StandardCharsets.UTF_8));
        out.closeEntry();
      }
    }

    HuntRun run = HuntRun.of("logs", "stats", "--json", zip.toString());

    assertThat(run.exit()).as(run.toString()).isZero();
    List<JsonNode> lines = lines(run.out());
    assertThat(lines).hasSize(1);
    assertThat(lines.get(0).get("format").asText()).isEqualTo("cloudtrail");
    assertThat(lines.get(0).get("events").asLong()).isEqualTo(2);
    assertThat(lines.get(0).get("first").asText()).isEqualTo("2023-07-10T11:41:00Z");
    assertThat(lines.get(0).get("last").asText()).isEqualTo("2023-07-10T11:42:00Z");
    assertThat(lines.get(0).get("top").get("event_types").get(0).get("value").asText())
        .isEqualTo("StopLogging");
    assertThat(lines.get(0).get("top").get("providers").get(0).get("value").asText())
        .isEqualTo("cloudtrail.amazonaws.com");
  }

  @Test
  void stats_table_rowPerFileAndTotals() throws IOException {
    Path file =
        write(
            "eve.json",
            "[{\"timestamp\":\"2019-01-02T03:50:11.315110+0000\",\"flow_id\":1,"
                + "\"event_type\":\"alert\",\"src_ip\":\"1.2.3.4\"}]");

    HuntRun run = HuntRun.of("logs", "stats", file.toString());

    assertThat(run.exit()).as(run.toString()).isZero();
    assertThat(run.out())
        .contains("FILE")
        .contains("FORMAT")
        .contains(file.toString())
        .contains("suricata")
        .contains("2019-01-02T03:50:11.315110Z")
        .contains("event types: alert (1)")
        .contains("1 file, 1 events, 0 errors");
  }

  @Test
  void stats_inputFormatForced_readsAsThatFormat() throws IOException {
    Path file =
        write(
            "messages",
            "<34>Oct 11 22:14:15 mymachine su[230]: 'su root' failed for lonvick on /dev/pts/8\n");

    HuntRun auto = HuntRun.of("logs", "stats", "--json", file.toString());
    HuntRun forced =
        HuntRun.of("logs", "stats", "--json", "--input-format", "syslog", file.toString());
    HuntRun wrong = HuntRun.of("logs", "stats", "--input-format", "xml", file.toString());

    assertThat(lines(auto.out()).get(0).get("format").asText()).isEqualTo("syslog");
    JsonNode line = lines(forced.out()).get(0);
    assertThat(line.get("format").asText()).isEqualTo("syslog");
    assertThat(line.get("events").asLong()).isEqualTo(1);
    assertThat(line.get("top").get("providers").get(0).get("value").asText()).isEqualTo("su");
    assertThat(wrong.exit()).isEqualTo(2);
    assertThat(wrong.err()).contains("unknown --input-format 'xml'").contains("syslog");
  }

  @Test
  void stats_missingInput_usageErrorNamesIt() {
    HuntRun run = HuntRun.of("logs", "stats", dir.resolve("nope.log").toString());

    assertThat(run.exit()).isEqualTo(2);
    assertThat(run.err()).contains("cannot read input").contains("nope.log");
  }

  @Test
  void instant_timeShapes_parsed() {
    assertThat(LogsCommand.Stats.instant("2017-07-12 17:16:28.214161"))
        .isEqualTo(Instant.parse("2017-07-12T17:16:28.214161Z"));
    assertThat(LogsCommand.Stats.instant("2019-01-02T05:50:11+0200"))
        .isEqualTo(Instant.parse("2019-01-02T03:50:11Z"));
    assertThat(LogsCommand.Stats.instant(1588205199.5))
        .isEqualTo(Instant.parse("2020-04-30T00:06:39.500Z"));
    assertThat(LogsCommand.Stats.instant(1588205199500L))
        .isEqualTo(Instant.parse("2020-04-30T00:06:39.500Z"));
    assertThat(LogsCommand.Stats.instant("not a time")).isNull();
  }

  @Test
  void stats_sharedWindowsAndNetworkData_formatsAndCounts() throws IOException {
    Path evtx = SharedData.require("datasets/windows/evtx-parser-fixtures/sysmon.evtx");
    Path eve = SharedData.require("datasets/network/suricata-eve-alerts");

    HuntRun run = HuntRun.of("logs", "stats", "--json", evtx.toString(), eve.toString());

    List<JsonNode> lines = lines(run.out());
    assertThat(lines).extracting(l -> l.get("format").asText()).contains("evtx", "suricata");
    JsonNode sysmon = lines.get(0);
    assertThat(sysmon.get("events").asLong()).isEqualTo(358);
    assertThat(sysmon.get("top").get("providers").get(0).get("value").asText())
        .isEqualTo("Microsoft-Windows-Sysmon/Operational");
    assertThat(sysmon.get("first").asText()).startsWith("20");
    assertThat(lines)
        .filteredOn(l -> l.get("file").asText().endsWith("honeypot-2018_alerts-only.json"))
        .singleElement()
        .satisfies(l -> assertThat(l.get("events").asLong()).isEqualTo(44));
  }

  private static List<JsonNode> lines(String out) throws IOException {
    List<JsonNode> nodes = new ArrayList<>();
    for (String line : out.split("\n")) {
      if (!line.isBlank()) {
        nodes.add(JSON.readTree(line));
      }
    }
    return nodes;
  }

  private Path write(String name, String text) throws IOException {
    Path file = dir.resolve(name);
    Files.createDirectories(file.getParent());
    try (OutputStream out = Files.newOutputStream(file)) {
      out.write(text.getBytes(StandardCharsets.UTF_8));
    }
    return file;
  }
}
