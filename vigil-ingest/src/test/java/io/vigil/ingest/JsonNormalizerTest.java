package io.vigil.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.event.Event;
import io.vigil.event.FieldSchema;
import io.vigil.event.JsonEventParser;
import io.vigil.testing.SharedData;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JsonNormalizerTest {
  private static final FieldSchema SCHEMA =
      FieldSchema.of(
          List.of(
              "@timestamp",
              "event.module",
              "event.dataset",
              "source.ip",
              "source.port",
              "destination.ip",
              "destination.port",
              "network.transport",
              "dns.question.name",
              "url.original",
              "url.path",
              "url.query",
              "http.request.method",
              "user_agent.original",
              "rule.name",
              "rule.id",
              "cloud.provider",
              "cloud.region",
              "cloud.account.id",
              "event.action",
              "event.outcome",
              "user.name",
              "source.address",
              "query",
              "id.orig_h",
              "EventID"));

  private final LogReader reader = new LogReader(new JsonEventParser(SCHEMA));

  @TempDir Path dir;

  @Test
  void detect_firstRecordKeys_nameTheFamily() {
    assertThat(family("{\"_path\":\"dns\",\"ts\":1.5,\"uid\":\"C1\",\"id.orig_h\":\"1.2.3.4\"}\n"))
        .isEqualTo(JsonFamily.ZEEK);
    assertThat(family("{\"@stream\":\"conn\",\"ts\":1.5,\"id_orig_h\":\"1.2.3.4\"}\n"))
        .isEqualTo(JsonFamily.ZEEK);
    assertThat(
            family(
                "[\n {\n  \"timestamp\": \"x\",\n  \"event_type\": \"alert\",\n \"src_ip\": \"8."))
        .as("a pretty-printed array cut off inside its first record")
        .isEqualTo(JsonFamily.SURICATA);
    assertThat(
            family(
                "{\"Records\":[{\"eventVersion\":\"1.08\",\"eventSource\":\"s3\",\"eventName\":\"x\"}]}"))
        .isEqualTo(JsonFamily.CLOUDTRAIL);
    assertThat(
            family(
                "{\"eventName\":\"GetObject\",\"eventSource\":\"s3.amazonaws.com\","
                    + "\"awsRegion\":\"us-east-1\"}\n"))
        .isEqualTo(JsonFamily.CLOUDTRAIL);
    assertThat(family("{\"EventID\":4688,\"Channel\":\"Security\",\"ts\":1,\"uid\":\"x\"}\n"))
        .isEqualTo(JsonFamily.JSON);
    assertThat(family("{\"Event\":{\"System\":{\"EventID\":1}}}\n")).isEqualTo(JsonFamily.JSON);
    assertThat(family("not json")).isEqualTo(JsonFamily.JSON);
  }

  @Test
  void read_zeekUnderscoreStyle_keepsSourceFieldsAndAddsEcs() throws IOException {
    Path file =
        write(
            "dns.log",
            "{\"_path\":\"dns\",\"ts\":\"2018-03-24T17:15:20.865716Z\",\"uid\":\"C1\","
                + "\"id.orig_h\":\"10.47.1.100\",\"id.orig_p\":41772,\"id.resp_h\":\"10.0.0.100\","
                + "\"id.resp_p\":53,\"proto\":\"udp\",\"query\":\"ise.wrccdc.org\"}\n");
    List<String> formats = new ArrayList<>();

    Event e = readOne(file, formats);

    assertThat(formats).containsExactly("zeek-json");
    assertThat(e.get("query")).isEqualTo("ise.wrccdc.org");
    assertThat(e.get("id.orig_h")).isEqualTo("10.47.1.100");
    assertThat(e.get("@timestamp")).isEqualTo("2018-03-24T17:15:20.865716Z");
    assertThat(e.get("event.module")).isEqualTo("zeek");
    assertThat(e.get("event.dataset")).isEqualTo("zeek.dns");
    assertThat(e.get("source.ip")).isEqualTo("10.47.1.100");
    assertThat(e.get("source.port")).isEqualTo(41772L);
    assertThat(e.get("destination.port")).isEqualTo(53L);
    assertThat(e.get("network.transport")).isEqualTo("udp");
    assertThat(e.get("dns.question.name")).isEqualTo("ise.wrccdc.org");
  }

  @Test
  void read_zeekStreamStyle_epochSecondsBecomeIsoTimestamp() throws IOException {
    Path file =
        write(
            "combined.log",
            "{\"@stream\":\"http\",\"ts\":1588206738.09551,\"uid\":\"C2\",\"id_orig_h\":\"10.0.1.4\","
                + "\"id_orig_p\":60757,\"id_resp_h\":\"192.168.0.4\",\"id_resp_p\":80,"
                + "\"method\":\"GET\",\"uri\":\"/a/b.php?id=1\",\"user_agent\":\"DavClnt\"}\n");

    Event e = readOne(file, new ArrayList<>());

    assertThat(e.get("@timestamp")).isEqualTo("2020-04-30T00:32:18.095510Z");
    assertThat(e.get("event.dataset")).isEqualTo("zeek.http");
    assertThat(e.get("source.ip")).isEqualTo("10.0.1.4");
    assertThat(e.get("destination.ip")).isEqualTo("192.168.0.4");
    assertThat(e.get("http.request.method")).isEqualTo("GET");
    assertThat(e.get("url.original")).isEqualTo("/a/b.php?id=1");
    assertThat(e.get("url.path")).isEqualTo("/a/b.php");
    assertThat(e.get("url.query")).isEqualTo("id=1");
    assertThat(e.get("user_agent.original")).isEqualTo("DavClnt");
  }

  @Test
  void read_zeekSourceKeyNamedSource_notOverwritten() throws IOException {
    Path file =
        write(
            "weird.log",
            "{\"_path\":\"weird\",\"ts\":1.0,\"uid\":\"C3\",\"id.orig_h\":\"1.1.1.1\","
                + "\"name\":\"bad_TCP_checksum\",\"source\":\"TCP\"}\n");

    Event e = readOne(file, new ArrayList<>());

    assertThat(e.all()).containsEntry("source", "TCP").containsEntry("source.ip", "1.1.1.1");
    assertThat(e.get("event.action")).isEqualTo("bad_TCP_checksum");
  }

  @Test
  void read_suricataPrettyArray_alertBecomesRule() throws IOException {
    Path file =
        write(
            "eve.json",
            "[\n  {\n    \"timestamp\": \"2019-01-02T03:50:11.315110+0000\",\n"
                + "    \"flow_id\": 1,\n    \"event_type\": \"alert\",\n"
                + "    \"src_ip\": \"8.42.77.171\",\n    \"src_port\": 49678,\n"
                + "    \"dest_ip\": \"138.68.3.71\",\n    \"dest_port\": 22,\n"
                + "    \"proto\": \"TCP\",\n    \"alert\": {\n      \"signature_id\": 2001219,\n"
                + "      \"signature\": \"ET SCAN Potential SSH Scan\",\n"
                + "      \"severity\": 2\n    }\n  }\n]\n");
    List<String> formats = new ArrayList<>();

    Event e = readOne(file, formats);

    assertThat(formats).containsExactly("suricata");
    assertThat(e.get("@timestamp")).isEqualTo("2019-01-02T03:50:11.315110Z");
    assertThat(e.get("event.dataset")).isEqualTo("suricata.alert");
    assertThat(e.get("rule.name")).isEqualTo("ET SCAN Potential SSH Scan");
    assertThat(e.get("rule.id")).isEqualTo(2001219L);
    assertThat(e.get("destination.port")).isEqualTo(22L);
    assertThat(e.get("network.transport")).isEqualTo("tcp");
  }

  @Test
  void read_cloudTrailEnvelope_recordsGetCloudFields() throws IOException {
    Path file =
        write(
            "ct.json",
            "{\"Records\":[{\"eventVersion\":\"1.08\",\"eventTime\":\"2023-07-10T11:41:54Z\","
                + "\"eventSource\":\"cloudtrail.amazonaws.com\",\"eventName\":\"StopLogging\","
                + "\"awsRegion\":\"us-east-1\",\"sourceIPAddress\":\"1.2.3.4\","
                + "\"userIdentity\":{\"type\":\"IAMUser\",\"userName\":\"pedro\","
                + "\"accountId\":\"123456789012\"},\"recipientAccountId\":\"123456789012\"},"
                + "{\"eventVersion\":\"1.08\",\"eventTime\":\"2023-07-10T11:42:00Z\","
                + "\"eventSource\":\"s3.amazonaws.com\",\"eventName\":\"GetObject\","
                + "\"errorCode\":\"AccessDenied\",\"sourceIPAddress\":\"ec2.amazonaws.com\","
                + "\"userIdentity\":{\"arn\":\"arn:aws:sts::1:assumed-role/r/i-0abc\"}}]}");
    List<String> formats = new ArrayList<>();

    LogReader.Result result = readAll(file, formats);

    assertThat(result.problems()).isEmpty();
    assertThat(formats).containsExactly("cloudtrail");
    Event stop = result.events().get(0);
    assertThat(stop.get("@timestamp")).isEqualTo("2023-07-10T11:41:54Z");
    assertThat(stop.get("cloud.provider")).isEqualTo("aws");
    assertThat(stop.get("cloud.region")).isEqualTo("us-east-1");
    assertThat(stop.get("cloud.account.id")).isEqualTo("123456789012");
    assertThat(stop.get("event.action")).isEqualTo("StopLogging");
    assertThat(stop.get("event.outcome")).isEqualTo("success");
    assertThat(stop.get("user.name")).isEqualTo("pedro");
    assertThat(stop.get("source.ip")).isEqualTo("1.2.3.4");
    Event denied = result.events().get(1);
    assertThat(denied.get("event.outcome")).isEqualTo("failure");
    assertThat(denied.get("user.name")).isEqualTo("i-0abc");
    assertThat(denied.get("source.ip")).isNull();
    assertThat(denied.get("source.address")).isEqualTo("ec2.amazonaws.com");
  }

  @Test
  void read_recordWithTimestampAlready_keepsItsOwn() throws IOException {
    Path file =
        write(
            "otrf-aws.json",
            "{\"eventName\":\"ListBuckets\",\"eventSource\":\"s3.amazonaws.com\","
                + "\"awsRegion\":\"us-east-1\",\"@timestamp\":\"2020-09-14T00:44:23.000Z\","
                + "\"eventTime\":\"2020-09-14T00:44:23Z\"}\n");

    Event e = readOne(file, new ArrayList<>());

    assertThat(e.get("@timestamp")).as("one value, not two").isEqualTo("2020-09-14T00:44:23.000Z");
  }

  @Test
  void read_windowsFlatJson_textIsUntouched() throws IOException {
    String line = "{\"EventID\":4688,\"Channel\":\"Security\",\"NewProcessName\":\"a.exe\"}";
    Path file = write("win.jsonl", line + "\n");
    List<String> formats = new ArrayList<>();

    Event e = readOne(file, formats);

    assertThat(formats).containsExactly("json");
    assertThat(e.raw()).isEqualTo(line);
    assertThat(e.get("event.module")).isNull();
  }

  @Test
  void normalize_alreadyNormalizedRecord_unchanged() throws IOException {
    String once =
        JsonNormalizer.append(
            "{\"_path\":\"conn\",\"ts\":1.0,\"id.orig_h\":\"1.1.1.1\"}",
            new LinkedHashMap<>(Map.of("event.module", "zeek")));
    Path file = write("again.log", once + "\n");

    Event e = readOne(file, new ArrayList<>());

    assertThat(e.raw()).isEqualTo(once);
  }

  @Test
  void timestamp_variousShapes_isoUtc() {
    assertThat(JsonNormalizer.timestamp(1588205199.82437)).isEqualTo("2020-04-30T00:06:39.824370Z");
    assertThat(JsonNormalizer.timestamp(0L)).isEqualTo("1970-01-01T00:00:00Z");
    assertThat(JsonNormalizer.timestamp("2015-06-01T10:00:00.5+0200"))
        .isEqualTo("2015-06-01T08:00:00.500Z");
    assertThat(JsonNormalizer.timestamp("2019-01-02 03:50:11")).isEqualTo("2019-01-02T03:50:11Z");
    assertThat(JsonNormalizer.timestamp("yesterday")).isNull();
    assertThat(JsonNormalizer.timestamp(Double.NaN)).isNull();
  }

  @Test
  void read_sharedNetworkAndCloudData_everyRecordNormalized() {
    Path zeek = SharedData.require("datasets/network/otrf-apt29-zeek/combined_zeek.log");
    Path eve = SharedData.require("datasets/network/suricata-eve-alerts");
    Path cloud = SharedData.require("datasets/cloud");
    List<Path> inputs =
        List.of(
            zeek,
            eve.resolve("first-org-conf-2015_alerts-only.json"),
            eve.resolve("honeypot-2018_alerts-only.json"),
            cloud.resolve("otrf-aws/ec2_proxy_s3_exfiltration.zip"),
            cloud.resolve("invictus-aws-stratus/invictus_cloudtrail_stratus_2023-07-10.zip"));
    for (Path input : inputs) {
      List<String> formats = new ArrayList<>();
      LogReader.Result result = readAll(input, formats);
      assertThat(result.problems()).as(input.toString()).isEmpty();
      assertThat(Set.copyOf(formats)).hasSize(1).doesNotContain("json");
      assertThat(result.events())
          .as(input.toString())
          .isNotEmpty()
          .allSatisfy(
              e -> {
                assertThat(e.get("event.module")).isNotNull();
                assertThat(e.get("@timestamp")).isNotNull();
              });
    }
  }

  private JsonFamily family(String head) {
    return JsonFamily.detect(head.getBytes(StandardCharsets.UTF_8));
  }

  private Event readOne(Path file, List<String> formats) {
    LogReader.Result result = readAll(file, formats);
    assertThat(result.problems()).isEmpty();
    assertThat(result.events()).hasSize(1);
    return result.events().get(0);
  }

  private LogReader.Result readAll(Path file, List<String> formats) {
    List<Event> events = new ArrayList<>();
    List<ReadProblem> problems = new ArrayList<>();
    reader.read(
        List.of(file),
        new LogSink() {
          @Override
          public void record(LogRecord record) {
            events.add(record.parse());
          }

          @Override
          public void problem(ReadProblem problem) {
            problems.add(problem);
          }

          @Override
          public void format(String origin, String format) {
            formats.add(format);
          }
        });
    return new LogReader.Result(events, problems);
  }

  private Path write(String name, String text) throws IOException {
    Path file = dir.resolve(name);
    Files.writeString(file, text, StandardCharsets.UTF_8);
    return file;
  }
}
