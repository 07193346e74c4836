package io.vigil.server;

import static io.vigil.server.TestServer.q;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HttpApiTest {
  @TempDir Path dir;
  TestServer t;

  @BeforeEach
  void start() throws Exception {
    t = new TestServer(dir.resolve("data"), c -> c);
  }

  @AfterEach
  void stop() throws Exception {
    t.close();
  }

  private static String whoami(int n) {
    return "{\"@timestamp\":\"2026-03-14T08:55:0"
        + (n % 10)
        + "Z\",\"Hostname\":\"WS-"
        + n
        + "\",\"Channel\":\"Microsoft-Windows-Sysmon/Operational\",\"EventID\":1,"
        + "\"Image\":\"C:\\\\Windows\\\\System32\\\\whoami.exe\",\"CommandLine\":\"whoami /all\","
        + "\"n\":"
        + n
        + "}";
  }

  private static String plain(int n) {
    return "{\"@timestamp\":\"2026-03-14T09:00:00Z\",\"Hostname\":\"WS-X\",\"EventID\":4624,"
        + "\"n\":"
        + n
        + "}";
  }

  @Test
  void api_withoutOrWithWrongToken_answers401AndHealthzStaysOpen() throws Exception {
    HttpResponse<String> none =
        t.client.send(
            HttpRequest.newBuilder(t.uri("/api/v1/events")).build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(none.statusCode()).isEqualTo(401);
    assertThat(none.body()).contains("\"error\"").contains("Bearer");
    HttpResponse<String> wrong =
        t.client.send(
            HttpRequest.newBuilder(t.uri("/api/v1/alerts"))
                .header("Authorization", "Bearer vgl_nope")
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(wrong.statusCode()).isEqualTo(401);
    HttpResponse<String> metrics =
        t.client.send(
            HttpRequest.newBuilder(t.uri("/metrics")).build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(metrics.statusCode()).isEqualTo(401);
    HttpResponse<String> health =
        t.client.send(
            HttpRequest.newBuilder(t.uri("/healthz")).build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(health.statusCode()).isEqualTo(200);
    assertThat(TestServer.JSON.readTree(health.body()).path("status").asText()).isEqualTo("ok");
    assertThat(t.output).contains("admin token from VIGIL_ADMIN_TOKEN").contains("1 rules loaded");
  }

  @Test
  void ingest_ndjsonArrayObjectAndGzip_allAcceptedAndSearchable() throws Exception {
    HttpResponse<String> lines =
        t.post(
            (plain(1) + "\n" + plain(2) + "\r\n\n" + plain(3) + "\n")
                .getBytes(StandardCharsets.UTF_8),
            Map.of("Content-Type", "application/x-ndjson"));
    assertThat(lines.statusCode()).isEqualTo(202);
    assertThat(TestServer.JSON.readTree(lines.body()).path("accepted").asInt()).isEqualTo(3);

    HttpResponse<String> array = t.post("[" + plain(4) + ",\n " + plain(5) + "]");
    assertThat(array.statusCode()).isEqualTo(202);
    assertThat(TestServer.JSON.readTree(array.body()).path("accepted").asInt()).isEqualTo(2);

    HttpResponse<String> pretty = t.post("{\n  \"EventID\": 4624,\n  \"n\": 6\n}\n");
    assertThat(TestServer.JSON.readTree(pretty.body()).path("accepted").asInt()).isEqualTo(1);

    ByteArrayOutputStream gz = new ByteArrayOutputStream();
    try (GZIPOutputStream out = new GZIPOutputStream(gz)) {
      out.write((plain(7) + "\n" + plain(8) + "\n").getBytes(StandardCharsets.UTF_8));
    }
    HttpResponse<String> gzipped = t.post(gz.toByteArray(), Map.of("Content-Encoding", "gzip"));
    assertThat(gzipped.statusCode()).as(gzipped.body()).isEqualTo(202);
    assertThat(TestServer.JSON.readTree(gzipped.body()).path("accepted").asInt()).isEqualTo(2);

    t.drain();
    JsonNode all = t.getJson("/api/v1/events?limit=100&q=" + q("EventID:4624"));
    assertThat(all.path("total").asLong()).isEqualTo(8);
    assertThat(all.path("events")).hasSize(8);
    assertThat(all.path("events").findValuesAsText("n"))
        .containsExactlyInAnyOrder("1", "2", "3", "4", "5", "6", "7", "8");
    JsonNode one = t.getJson("/api/v1/events?q=" + q("n:5"));
    assertThat(one.path("total").asLong()).isEqualTo(1);
    assertThat(one.path("events").get(0).path("_id").asLong()).isPositive();
  }

  @Test
  void search_moreMatchesThanCounted_totalIsALowerBoundUnlessExactTotalAsked() throws Exception {
    int perCommit = (int) io.vigil.store.EventStore.DEFAULT_TRACK_TOTAL_HITS + 500;
    // two commits (two segments), each with more matches than are counted; every other event
    // matches, one second apart
    StringBuilder body = new StringBuilder();
    for (int i = 0; i < 4 * perCommit; i++) {
      body.append("{\"@timestamp\":\"")
          .append(java.time.Instant.parse("2026-03-14T00:00:00Z").plusSeconds(i))
          .append("\",\"EventID\":")
          .append(i % 2 == 0 ? 4624 : 1)
          .append(",\"n\":")
          .append(i)
          .append("}\n");
      if (i % 1000 == 999 || i % (2 * perCommit) == 2 * perCommit - 1) {
        HttpResponse<String> r = t.post(body.toString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
        body.setLength(0);
      }
      if (i == 2 * perCommit - 1) {
        t.drain();
      }
    }
    t.drain();
    // all but the first event 4624 (n = 0): a conjunction of a term and a range that neither
    // matches every event is counted match by match (the index knows a single term's count, or a
    // conjunction's whose other clauses match everything, without counting)
    int matching = 2 * perCommit - 1;
    String both = q("EventID:4624 AND n:[1 TO " + (4 * perCommit) + "]");
    JsonNode counted = t.getJson("/api/v1/events?limit=5&q=" + both);
    assertThat(counted.path("totalExact").asBoolean()).isFalse();
    assertThat(counted.path("total").asLong())
        .isGreaterThanOrEqualTo(io.vigil.store.EventStore.DEFAULT_TRACK_TOTAL_HITS)
        .isLessThanOrEqualTo(matching);
    assertThat(counted.path("events")).hasSize(5);
    JsonNode exact = t.getJson("/api/v1/events?limit=5&exactTotal=true&q=" + both);
    assertThat(exact.path("totalExact").asBoolean()).isTrue();
    assertThat(exact.path("total").asLong()).isEqualTo(matching);
    JsonNode few = t.getJson("/api/v1/events?limit=5&q=" + q("EventID:4624 AND n:[1 TO 200]"));
    assertThat(few.path("totalExact").asBoolean()).isTrue();
    assertThat(few.path("total").asLong()).isEqualTo(100);
    HttpResponse<String> bad = t.get("/api/v1/events?exactTotal=maybe");
    assertThat(bad.statusCode()).isEqualTo(400);
    assertThat(bad.body()).contains("exactTotal").contains("true or false");
  }

  @Test
  void ingest_malformedLines_goToDeadLettersWithLineNumbersAndTheRestIsAccepted() throws Exception {
    String body = plain(1) + "\n{\"broken\": \n" + plain(2) + "\n[1,2]\n";
    HttpResponse<String> r = t.post(body);
    assertThat(r.statusCode()).isEqualTo(202);
    JsonNode answer = TestServer.JSON.readTree(r.body());
    assertThat(answer.path("accepted").asInt()).isEqualTo(2);
    assertThat(answer.path("rejected").asInt()).isEqualTo(2);
    assertThat(answer.path("errors").findValuesAsText("at")).containsExactly("line 2", "line 4");
    JsonNode dead = t.getJson("/api/v1/deadletters");
    assertThat(dead.path("total").asLong()).isEqualTo(2);
    assertThat(dead.path("deadLetters").findValuesAsText("reason"))
        .anySatisfy(reason -> assertThat(reason).startsWith("line 2: malformed JSON"))
        .anySatisfy(reason -> assertThat(reason).startsWith("line 4: a JSON array, not an object"));
    assertThat(dead.path("deadLetters").findValuesAsText("source"))
        .allSatisfy(s -> assertThat(s).startsWith("http 127.0.0.1"));
  }

  @Test
  void ingest_overTheBodyLimitPlainOrGzipBomb_answers413() throws Exception {
    byte[] big = new byte[(1 << 20) + 10];
    java.util.Arrays.fill(big, (byte) ' ');
    HttpResponse<String> plainBig = t.post(big, Map.of());
    assertThat(plainBig.statusCode()).isEqualTo(413);
    assertThat(plainBig.body()).contains("http.max-body-bytes");

    ByteArrayOutputStream gz = new ByteArrayOutputStream();
    try (GZIPOutputStream out = new GZIPOutputStream(gz)) {
      byte[] zeros = new byte[1 << 20];
      for (int i = 0; i < 64; i++) {
        out.write(zeros); // 64 MiB that compress to ~64 KiB
      }
    }
    assertThat(gz.size()).isLessThan(1 << 20);
    HttpResponse<String> bomb = t.post(gz.toByteArray(), Map.of("Content-Encoding", "gzip"));
    assertThat(bomb.statusCode()).isEqualTo(413);
    assertThat(bomb.body()).contains("after decompression");
  }

  @Test
  void ingest_whileTheBacklogIsOverTheLimit_answers429WithRetryAfter() throws Exception {
    t.close();
    t =
        new TestServer(
            dir.resolve("data2"), c -> c.withSpool(c.spool(), 100)); // 100 bytes of backlog
    t.server.pipeline().pause(true);
    HttpResponse<String> first = t.post(plain(1) + "\n" + plain(2));
    assertThat(first.statusCode()).isEqualTo(202);
    HttpResponse<String> second = t.post(plain(3));
    assertThat(second.statusCode()).isEqualTo(429);
    assertThat(second.headers().firstValue("Retry-After")).hasValue("1");
    assertThat(second.body()).contains("spool.max-backlog-bytes");
    t.server.pipeline().pause(false);
    t.drain();
    HttpResponse<String> third = t.post(plain(3));
    assertThat(third.statusCode()).isEqualTo(202);
  }

  @Test
  void ingest_eventMatchingARule_raisesAnAlertVisibleWithFilters() throws Exception {
    StringBuilder body = new StringBuilder();
    for (int i = 1; i <= 3; i++) {
      body.append(whoami(i)).append('\n').append(plain(100 + i)).append('\n');
    }
    assertThat(t.post(body.toString()).statusCode()).isEqualTo(202);
    t.drain();
    JsonNode alerts = t.getJson("/api/v1/alerts");
    assertThat(alerts.path("total").asLong()).isEqualTo(3);
    JsonNode a = alerts.path("alerts").get(0);
    assertThat(a.path("ruleId").asText()).isEqualTo("7d1c1f3e-5b7a-4c7e-9a51-0c6f3b9e2a10");
    assertThat(a.path("id").asText())
        .isEqualTo(a.path("ruleId").asText() + ":" + a.path("eventId").asLong());
    assertThat(a.path("level").asText()).isEqualTo("medium");
    assertThat(a.path("event").path("Image").asText()).endsWith("whoami.exe");
    assertThat(t.getJson("/api/v1/alerts?host=WS-2").path("total").asLong()).isEqualTo(1);
    assertThat(t.getJson("/api/v1/alerts?level=high").path("total").asLong()).isZero();
    assertThat(t.getJson("/api/v1/alerts?level=low&limit=2").path("alerts")).hasSize(2);
    assertThat(t.getJson("/api/v1/alerts?rule=nope").path("total").asLong()).isZero();

    JsonNode top = t.getJson("/api/v1/events/top?field=Hostname&limit=10");
    assertThat(top.path("values").findValuesAsText("value")).contains("WS-X", "WS-1");
    JsonNode hist =
        t.getJson(
            "/api/v1/events/histogram?buckets=4&from="
                + q("2026-03-14T08:00:00Z")
                + "&to="
                + q("2026-03-14T10:00:00Z"));
    assertThat(hist.path("buckets")).hasSize(4);
    long sum = 0;
    for (JsonNode b : hist.path("buckets")) {
      sum += b.path("count").asLong();
    }
    assertThat(sum).isEqualTo(6);

    HttpResponse<String> metrics = t.get("/metrics");
    assertThat(metrics.body())
        .contains("vigil_events_in_total{input=\"http\"} 6")
        .contains("vigil_detections_total 3")
        .contains("vigil_spool_lag_records")
        .contains("vigil_http_requests_total{status=\"200\"}")
        .contains("vigil_pipeline_seconds_total{step=\"detect\"} ")
        .contains("vigil_pipeline_seconds_total{step=\"store_add\"} ")
        .containsPattern("(?m)^vigil_pipeline_commits_total [1-9]")
        .containsPattern("(?m)^process_cpu_seconds_total (?!0\\.000)[0-9]+\\.[0-9]{3}$");
  }

  @Test
  void queries_withBadParameters_answer400NamingTheParameter() throws Exception {
    HttpResponse<String> limit = t.get("/api/v1/events?limit=abc");
    assertThat(limit.statusCode()).isEqualTo(400);
    assertThat(limit.body()).contains("parameter limit").contains("0 to 10000");
    HttpResponse<String> from = t.get("/api/v1/alerts?from=yesterday");
    assertThat(from.statusCode()).isEqualTo(400);
    assertThat(from.body()).contains("parameter from").contains("ISO-8601");
    HttpResponse<String> level = t.get("/api/v1/alerts?level=severe");
    assertThat(level.statusCode()).isEqualTo(400);
    assertThat(level.body()).contains("parameter level").contains("critical");
    HttpResponse<String> field = t.get("/api/v1/events/top");
    assertThat(field.statusCode()).isEqualTo(400);
    assertThat(field.body()).contains("parameter field");
    HttpResponse<String> query = t.get("/api/v1/events?q=" + q("Image:(unclosed"));
    assertThat(query.statusCode()).isEqualTo(400);
    assertThat(query.body()).contains("parameter q");
  }

  @Test
  void start_withAnAdminTokenUnder16Characters_failsNamingTheVariableAndTheRule() {
    Path other = dir.resolve("short-token");
    assertThatThrownBy(
            () ->
                VigilServer.start(
                    TestServer.config(other),
                    java.util.List.of(),
                    "vgl_tooshort",
                    new java.io.PrintStream(new ByteArrayOutputStream())))
        .isInstanceOf(java.io.IOException.class)
        .hasMessageContaining("VIGIL_ADMIN_TOKEN has 12 characters")
        .hasMessageContaining("at least 16");
  }

  @Test
  void start_withAnAdminTokenOfExactly16Characters_acceptsIt() throws Exception {
    String token = "vgl_0123456789ab";
    assertThat(token).hasSize(16);
    try (VigilServer s =
        VigilServer.start(
            TestServer.config(dir.resolve("token16")),
            java.util.List.of(TestServer.rules()),
            token,
            new java.io.PrintStream(new ByteArrayOutputStream()))) {
      HttpResponse<String> r =
          t.client.send(
              HttpRequest.newBuilder(
                      java.net.URI.create("http://127.0.0.1:" + s.httpPort() + "/api/v1/alerts"))
                  .header("Authorization", "Bearer " + token)
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(r.statusCode()).isEqualTo(200);
    }
  }
}
