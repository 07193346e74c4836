package io.vigil.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The server as a separate JVM, killed with SIGKILL at random moments while a client posts uniquely
 * numbered events, then restarted, many times: afterwards every acknowledged event is stored
 * exactly once, and no event (acknowledged or not) twice.
 */
class CrashTest {
  private static final int CYCLES = 10;
  private static final int BATCH = 20;
  private static final int MAX_BATCHES = 900;
  private static final String TOKEN = "vgl_crash-test-token-0123456789";
  private static final Pattern PORT = Pattern.compile("HTTP API on http://[^:/]+:(\\d+)/");
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;

  private final HttpClient client =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private volatile int port = -1;

  @Test
  void sigkillDuringIngestion_everyAcknowledgedEventIsStoredExactlyOnce() throws Exception {
    Path data = dir.resolve("data");
    Set<Integer> acked = ConcurrentHashMap.newKeySet();
    AtomicInteger sent = new AtomicInteger();
    AtomicBoolean stop = new AtomicBoolean();
    Thread poster =
        Thread.ofPlatform()
            .name("crash-test-client")
            .start(
                () -> {
                  while (!stop.get() && sent.get() < MAX_BATCHES) {
                    int p = port;
                    if (p < 0) {
                      sleep(5);
                      continue;
                    }
                    int batch = sent.getAndIncrement();
                    if (post(p, batch)) {
                      acked.add(batch);
                    }
                    sleep(10);
                  }
                });
    Random random = new Random(42);
    try {
      for (int cycle = 0; cycle < CYCLES; cycle++) {
        Process server = start(data, cycle);
        Thread.sleep(300 + random.nextInt(1200));
        port = -1;
        server.destroyForcibly(); // SIGKILL
        server.waitFor();
        assertThat(server.exitValue()).isEqualTo(137); // 128 + SIGKILL
      }
    } finally {
      stop.set(true);
      poster.join();
    }
    // final start: let the detection stage drain, then check the store through the API
    Process server = start(data, CYCLES);
    try {
      int p = port;
      port = -1;
      awaitDrained(p);
      Map<Integer, Long> perBatch = new java.util.HashMap<>();
      for (JsonNode v : get(p, "/api/v1/events/top?field=batch&limit=1000").path("values")) {
        perBatch.put(v.path("value").asInt(), v.path("count").asLong());
      }
      JsonNode mostFrequent = get(p, "/api/v1/events/top?field=n&limit=1").path("values");
      long total = get(p, "/api/v1/events?limit=0").path("total").asLong();

      // on a loaded machine a start can take seconds; a few acknowledged batches still test it
      assertThat(acked).as("batches acknowledged").hasSizeGreaterThanOrEqualTo(3);
      List<Integer> lost = new ArrayList<>();
      for (int b : acked) {
        if (perBatch.getOrDefault(b, 0L) != BATCH) {
          lost.add(b);
        }
      }
      assertThat(lost).as("acknowledged batches not stored whole (batch -> count)").isEmpty();
      assertThat(mostFrequent.get(0).path("count").asLong())
          .as("no event is stored twice")
          .isEqualTo(1);
      assertThat(perBatch.values()).allSatisfy(c -> assertThat(c).isLessThanOrEqualTo(BATCH));
      assertThat(total).isEqualTo(perBatch.values().stream().mapToLong(Long::longValue).sum());
      assertThat(total).isGreaterThanOrEqualTo((long) acked.size() * BATCH);
    } finally {
      server.destroy();
      server.waitFor();
    }
  }

  private Process start(Path data, int cycle) throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Path log = dir.resolve("server-" + cycle + ".log");
    ProcessBuilder pb =
        new ProcessBuilder(
            java,
            "-Xmx256m",
            "-XX:+UseSerialGC",
            "-XX:TieredStopAtLevel=1",
            "--enable-native-access=ALL-UNNAMED",
            "-cp",
            System.getProperty("java.class.path"),
            ServerMain.class.getName(),
            "--data",
            data.toString(),
            "--http-port",
            "0",
            "--syslog-port",
            "0",
            "--rules",
            TestServer.rules().toString());
    pb.environment().put("VIGIL_ADMIN_TOKEN", TOKEN);
    pb.redirectErrorStream(true).redirectOutput(log.toFile());
    Process process = pb.start();
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (true) {
      String out = Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
      Matcher m = PORT.matcher(out);
      if (m.find()) {
        port = Integer.parseInt(m.group(1));
        return process;
      }
      if (!process.isAlive() || System.nanoTime() > deadline) {
        process.destroyForcibly();
        throw new AssertionError("the server did not start (cycle " + cycle + "):\n" + out);
      }
      Thread.sleep(20);
    }
  }

  private boolean post(int p, int batch) {
    StringBuilder body = new StringBuilder();
    for (int i = 0; i < BATCH; i++) {
      body.append("{\"crash\":\"yes\",\"batch\":")
          .append(batch)
          .append(",\"n\":")
          .append(batch * BATCH + i)
          .append("}\n");
    }
    try {
      HttpResponse<String> r =
          client.send(
              HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + p + "/api/v1/events"))
                  .header("Authorization", "Bearer " + TOKEN)
                  .timeout(Duration.ofSeconds(5))
                  .POST(HttpRequest.BodyPublishers.ofString(body.toString()))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      return r.statusCode() == 202 && JSON.readTree(r.body()).path("accepted").asInt() == BATCH;
    } catch (IOException e) {
      return false; // killed mid-request: not acknowledged
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private JsonNode get(int p, String path) throws Exception {
    HttpResponse<String> r =
        client.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + p + path))
                .header("Authorization", "Bearer " + TOKEN)
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return JSON.readTree(r.body());
  }

  private void awaitDrained(int p) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (true) {
      HttpResponse<String> r =
          client.send(
              HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + p + "/healthz")).build(),
              HttpResponse.BodyHandlers.ofString());
      JsonNode spool = JSON.readTree(r.body()).path("spool");
      if (spool.path("committed").asLong() >= spool.path("lastSequence").asLong()) {
        return;
      }
      assertThat(System.nanoTime()).as("the pipeline drains").isLessThan(deadline);
      Thread.sleep(50);
    }
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
