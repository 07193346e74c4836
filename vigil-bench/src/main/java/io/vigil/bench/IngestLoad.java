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
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Load generator for {@code vigil serve}: posts the OTRF Windows events (repeated) to {@code POST
 * /api/v1/events} in JSON-lines batches over several connections, then waits until the server's
 * detection stage has committed everything (spool → detection → indexed and searchable), and prints
 * both rates. Usage: {@code IngestLoad URL TOKEN [EVENTS] [CONNECTIONS] [BATCH]}.
 */
public final class IngestLoad {
  private static final Pattern COMMITTED = Pattern.compile("\"committed\":(\\d+)");
  private static final Pattern LAST = Pattern.compile("\"lastSequence\":(\\d+)");

  private IngestLoad() {}

  public static void main(String[] args) throws Exception {
    if (args.length < 2) {
      System.err.println(
          "usage: IngestLoad URL TOKEN [EVENTS=500000] [CONNECTIONS=4] [BATCH=5000]");
      System.exit(2);
    }
    String base = args[0].replaceAll("/+$", "");
    String token = args[1];
    long total = args.length > 2 ? Long.parseLong(args[2]) : 500_000;
    int connections = args.length > 3 ? Integer.parseInt(args[3]) : 4;
    int batch = args.length > 4 ? Integer.parseInt(args[4]) : 5_000;
    List<String> lines = BenchData.otrfLines();
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
        "%,d OTRF events, %d bodies of %,d events (%.1f MB each on average)%n",
        lines.size(),
        bodies.size(),
        batch,
        bytes / 1e6 / bodies.size());
    HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
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
    long done = System.nanoTime();
    double ackSec = (acked - t0) / 1e9;
    double allSec = (done - t0) / 1e9;
    System.out.printf(
        Locale.ROOT,
        "acknowledged %,d events in %.1f s: %,.0f events/s (%d answers 429)%n",
        accepted.get(),
        ackSec,
        accepted.get() / ackSec,
        throttled.get());
    System.out.printf(
        Locale.ROOT,
        "end to end (spooled, matched, indexed, committed): %,d events in %.1f s: %,.0f events/s%n",
        h[0] - startCommitted,
        allSec,
        (h[0] - startCommitted) / allSec);
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
