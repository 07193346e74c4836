package io.vigil.bench;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Load generator for {@code vigil serve}: posts the OTRF Windows events (repeated) to {@code POST
 * /api/v1/events} in JSON-lines batches over several connections, then waits until the server's
 * detection stage has committed everything (spool → detection → indexed and searchable), and prints
 * both rates. Usage: {@code IngestLoad URL TOKEN [EVENTS] [CONNECTIONS] [BATCH] [WARMUP]}: WARMUP
 * events are posted (and committed) first and not counted, so that the figures are of a server past
 * its JIT warm-up. From the server's {@code /metrics} it also prints the server's CPU seconds in
 * the measured run (events per server CPU-second, cores used) and the detection stage's time per
 * step. {@code -Dingest.today=true} moves each event's date to today (live ingestion: one daily
 * index); {@code -Dingest.mix=zeek} posts Windows and Zeek events mixed (see {@link #mixWithZeek}).
 */
public final class IngestLoad {
  private static final Pattern COMMITTED = Pattern.compile("\"committed\":(\\d+)");
  private static final Pattern LAST = Pattern.compile("\"lastSequence\":(\\d+)");

  private IngestLoad() {}

  public static void main(String[] args) throws Exception {
    if (args.length < 2) {
      System.err.println(
          "usage: IngestLoad URL TOKEN [EVENTS=500000] [CONNECTIONS=4] [BATCH=5000] [WARMUP=0]");
      System.exit(2);
    }
    String base = args[0].replaceAll("/+$", "");
    String token = args[1];
    long total = args.length > 2 ? Long.parseLong(args[2]) : 500_000;
    int connections = args.length > 3 ? Integer.parseInt(args[3]) : 4;
    int batch = args.length > 4 ? Integer.parseInt(args[4]) : 5_000;
    long warmup = args.length > 5 ? Long.parseLong(args[5]) : 0;
    boolean mix = "zeek".equals(System.getProperty("ingest.mix"));
    List<String> lines = mix ? mixWithZeek(BenchData.otrfLines()) : BenchData.otrfLines();
    if (Boolean.getBoolean("ingest.today")) {
      String today = java.time.LocalDate.now(java.time.ZoneOffset.UTC).toString();
      lines =
          lines.stream()
              .map(
                  l ->
                      l.replaceFirst(
                          "\"(@timestamp|ts)\":\"\\d{4}-\\d{2}-\\d{2}T", "\"$1\":\"" + today + "T"))
              .toList();
    }
    // pre-built bodies, cycling through the events
    List<byte[]> bodies = new ArrayList<>();
    long bytes = 0;
    for (int start = 0; start < lines.size(); start += batch) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      for (int i = 0; i < batch; i++) {
        out.writeBytes(lines.get((start + i) % lines.size()).getBytes(StandardCharsets.UTF_8));
        out.write('\n');
      }
      bodies.add(out.toByteArray());
      bytes += out.size();
    }
    System.out.printf(
        Locale.ROOT,
        "%,d %s events, %d bodies of %,d events (%.1f MB each on average)%n",
        lines.size(),
        mix ? "OTRF Windows + Zeek" : "OTRF",
        bodies.size(),
        batch,
        bytes / 1e6 / bodies.size());
    HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    if (warmup > 0) {
      System.out.printf(Locale.ROOT, "warm-up: %,d events (not counted)%n", warmup);
      run(client, base, token, bodies, warmup, connections, batch);
    }
    Map<String, Double> before = metrics(client, base, token);
    long t0 = System.nanoTime();
    long[] counts = run(client, base, token, bodies, total, connections, batch);
    double allSec = (System.nanoTime() - t0) / 1e9;
    Map<String, Double> after = metrics(client, base, token);
    double ackSec = counts[3] / 1e9;
    System.out.printf(
        Locale.ROOT,
        "acknowledged %,d events in %.1f s: %,.0f events/s (%d answers 429)%n",
        counts[0],
        ackSec,
        counts[0] / ackSec,
        counts[1]);
    System.out.printf(
        Locale.ROOT,
        "end to end (spooled, matched, indexed, committed): %,d events in %.1f s: %,.0f events/s%n",
        counts[2],
        allSec,
        counts[2] / allSec);
    double cpu = delta(before, after, "process_cpu_seconds_total");
    if (cpu > 0) {
      System.out.printf(
          Locale.ROOT,
          "server CPU %.1f s: %,.0f events per CPU-second, %.2f cores busy on average%n",
          cpu,
          counts[2] / cpu,
          cpu / allSec);
      System.out.printf(
          Locale.ROOT,
          "detection stage wall time: detect %.1f s, store add %.1f s (workers), commit %.1f s in"
              + " %.0f commits%n",
          delta(before, after, "vigil_pipeline_seconds_total{step=\"detect\"}"),
          delta(before, after, "vigil_pipeline_seconds_total{step=\"store_add\"}"),
          delta(before, after, "vigil_pipeline_seconds_total{step=\"commit\"}"),
          delta(before, after, "vigil_pipeline_commits_total"));
    }
  }

  /**
   * {@code -Dingest.mix=zeek}: a network-heavy stream instead of Windows events only — the OTRF
   * Windows events and every event of the Zeek background capture in ../shared/datasets (all its
   * logs, ≈160,000 events of ≈0.4 KB), each once, the Windows events spread evenly among the Zeek
   * ones (≈1 in 9, as the two sets' sizes give).
   */
  private static List<String> mixWithZeek(List<String> windows) throws IOException {
    java.nio.file.Path dir =
        BenchData.shared().resolve("datasets/network/zeek-wrccdc2018-background");
    List<String> zeek = new ArrayList<>();
    List<java.nio.file.Path> files;
    try (java.util.stream.Stream<java.nio.file.Path> list = java.nio.file.Files.list(dir)) {
      files = list.filter(f -> f.toString().endsWith(".json.gz")).sorted().toList();
    }
    for (java.nio.file.Path f : files) {
      try (java.io.BufferedReader r =
          new java.io.BufferedReader(
              new java.io.InputStreamReader(
                  new java.util.zip.GZIPInputStream(java.nio.file.Files.newInputStream(f)),
                  StandardCharsets.UTF_8))) {
        for (String line = r.readLine(); line != null; line = r.readLine()) {
          if (!line.isBlank()) {
            zeek.add(line);
          }
        }
      }
    }
    List<String> out = new ArrayList<>(windows.size() + zeek.size());
    int w = 0;
    int z = 0;
    while (w < windows.size() || z < zeek.size()) {
      // the list that is further behind its share goes next
      if (z >= zeek.size()
          || (w < windows.size() && (long) w * zeek.size() <= (long) z * windows.size())) {
        out.add(windows.get(w++));
      } else {
        out.add(zeek.get(z++));
      }
    }
    return out;
  }

  /**
   * Posts {@code total} events and waits until they are committed: {accepted, answers 429,
   * committed, nanoseconds until the last acknowledgement}.
   */
  private static long[] run(
      HttpClient client,
      String base,
      String token,
      List<byte[]> bodies,
      long total,
      int connections,
      int batch)
      throws Exception {
    long startCommitted = health(client, base)[0];
    AtomicLong next = new AtomicLong();
    AtomicLong accepted = new AtomicLong();
    AtomicLong throttled = new AtomicLong();
    long t0 = System.nanoTime();
    List<Thread> threads = new ArrayList<>();
    for (int c = 0; c < connections; c++) {
      threads.add(
          Thread.ofPlatform()
              .name("ingest-load-" + c)
              .start(
                  () -> {
                    while (true) {
                      long n = next.getAndAdd(batch);
                      if (n >= total) {
                        return;
                      }
                      byte[] body = bodies.get((int) ((n / batch) % bodies.size()));
                      HttpRequest req =
                          HttpRequest.newBuilder(URI.create(base + "/api/v1/events"))
                              .header("Authorization", "Bearer " + token)
                              .header("Content-Type", "application/x-ndjson")
                              .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                              .build();
                      try {
                        while (true) {
                          HttpResponse<String> r =
                              client.send(req, HttpResponse.BodyHandlers.ofString());
                          if (r.statusCode() == 429) {
                            throttled.incrementAndGet();
                            Thread.sleep(200);
                            continue;
                          }
                          if (r.statusCode() != 202) {
                            throw new IllegalStateException(r.statusCode() + " " + r.body());
                          }
                          accepted.addAndGet(batch);
                          break;
                        }
                      } catch (IOException | InterruptedException e) {
                        throw new IllegalStateException(e);
                      }
                    }
                  }));
    }
    for (Thread t : threads) {
      t.join();
    }
    long acked = System.nanoTime();
    long[] h;
    while (true) {
      h = health(client, base);
      if (h[0] >= h[1]) {
        break;
      }
      Thread.sleep(100);
    }
    return new long[] {accepted.get(), throttled.get(), h[0] - startCommitted, acked - t0};
  }

  /** The server's metrics without labels or with them as part of the name; empty when refused. */
  private static Map<String, Double> metrics(HttpClient client, String base, String token)
      throws Exception {
    HttpResponse<String> r =
        client.send(
            HttpRequest.newBuilder(URI.create(base + "/metrics"))
                .header("Authorization", "Bearer " + token)
                .build(),
            HttpResponse.BodyHandlers.ofString());
    Map<String, Double> out = new HashMap<>();
    if (r.statusCode() != 200) {
      return out;
    }
    for (String line : r.body().split("\n")) {
      int sp = line.lastIndexOf(' ');
      if (line.startsWith("#") || sp < 0) {
        continue;
      }
      try {
        out.put(line.substring(0, sp), Double.parseDouble(line.substring(sp + 1)));
      } catch (NumberFormatException e) {
        // not a sample line
      }
    }
    return out;
  }

  private static double delta(Map<String, Double> before, Map<String, Double> after, String key) {
    return after.getOrDefault(key, 0.0) - before.getOrDefault(key, 0.0);
  }

  /** {committed, lastSequence} from /healthz. */
  private static long[] health(HttpClient client, String base) throws Exception {
    HttpResponse<String> r =
        client.send(
            HttpRequest.newBuilder(URI.create(base + "/healthz")).build(),
            HttpResponse.BodyHandlers.ofString());
    Matcher c = COMMITTED.matcher(r.body());
    Matcher l = LAST.matcher(r.body());
    if (!c.find() || !l.find()) {
      throw new IllegalStateException("unexpected /healthz answer: " + r.body());
    }
    return new long[] {Long.parseLong(c.group(1)), Long.parseLong(l.group(1))};
  }
}
