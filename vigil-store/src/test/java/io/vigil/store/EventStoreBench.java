package io.vigil.store;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * The event store benchmark of issue #5: fills a store with N realistic events (the OTRF Windows
 * attack events and Zeek logs of ../shared/datasets replayed in a loop, each copy with its own
 * {@code @timestamp} and {@code RecordNumber}, spread over {@code days} days), prints the indexing
 * rate and size, then runs typical hunt queries and prints p50/p95/p99 per kind.
 *
 * <p>Arguments: {@code STORE_DIR EVENTS [DAYS] [THREADS] [RUNS]}; the shared data is found through
 * {@code $VIGIL_SHARED} or ../shared; {@code -Dbench.windowsOnly=true} replays the OTRF Windows
 * events only; {@code -Dbench.trackTotalHits=N} (0: exact totals) and {@code
 * -Dbench.queryCache=false} (Lucene's query cache off) set how queries run. A store that already
 * holds events is only queried.
 */
public final class EventStoreBench {
  private static final java.lang.management.ThreadMXBean THREADS =
      java.lang.management.ManagementFactory.getThreadMXBean();

  private EventStoreBench() {}

  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args[0]);
    long total = Long.parseLong(args[1].replace("_", ""));
    int days = args.length > 2 ? Integer.parseInt(args[2]) : 10;
    int threads = args.length > 3 ? Integer.parseInt(args[3]) : 2;
    int runs = args.length > 4 ? Integer.parseInt(args[4]) : 40;
    long deadlineSeconds =
        args.length > 5 ? Long.parseLong(args[5]) : Long.MAX_VALUE / 2_000_000_000L;
    Path shared = Path.of(System.getenv().getOrDefault("VIGIL_SHARED", "../shared"));
    Instant start = Instant.parse("2026-11-01T00:00:00Z");
    Instant end = start.plus(Duration.ofDays(days));
    var settings = new EventStore.Settings(Duration.ofDays(3650), Long.MAX_VALUE);
    try (EventStore store = EventStore.open(dir, settings)) {
      long have = store.count();
      if (have < total) {
        List<String> templates = load(shared.resolve("datasets"));
        System.out.printf("templates: %,d events; store holds %,d%n", templates.size(), have);
        fill(store, templates, have, total, start, end, threads, deadlineSeconds);
      }
      System.out.printf(
          "store: %,d events, %,d bytes (%.0f bytes/event)%n",
          store.count(), store.sizeBytes(), (double) store.sizeBytes() / store.count());
      queries(store, start, end, runs);
    }
  }

  static List<String> load(Path datasets) throws IOException {
    List<String> out = new ArrayList<>();
    try (var zips = Files.newDirectoryStream(datasets.resolve("windows/otrf-mordor"), "*.zip")) {
      for (Path zip : zips) {
        try (ZipInputStream in = new ZipInputStream(Files.newInputStream(zip))) {
          ZipEntry e;
          while ((e = in.getNextEntry()) != null) {
            if (e.getName().endsWith(".json")) {
              lines(new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)), out, 0);
            }
          }
        }
      }
    }
    if (Boolean.getBoolean("bench.windowsOnly")) {
      return out; // issue #5's figure: OTRF Windows events only
    }
    try (BufferedReader r =
        Files.newBufferedReader(datasets.resolve("network/otrf-apt29-zeek/combined_zeek.log"))) {
      lines(r, out, 0);
    }
    for (String log : List.of("dns", "ssl", "weird")) {
      Path gz = datasets.resolve("network/zeek-wrccdc2018-background/" + log + ".json.gz");
      try (BufferedReader r =
          new BufferedReader(
              new InputStreamReader(
                  new GZIPInputStream(Files.newInputStream(gz)), StandardCharsets.UTF_8))) {
        lines(r, out, 8_000);
      }
    }
    return out;
  }

  private static void lines(BufferedReader r, List<String> out, int max) throws IOException {
    String line;
    int n = 0;
    while ((line = r.readLine()) != null && (max == 0 || n < max)) {
      if (line.startsWith("{") && line.length() > 2) {
        out.add(line);
        n++;
      }
    }
  }

  static void fill(
      EventStore store,
      List<String> templates,
      long first,
      long total,
      Instant start,
      Instant end,
      int threads,
      long deadlineSeconds)
      throws Exception {
    long spanMillis = Duration.between(start, end).toMillis();
    long toAdd = total - first;
    long deadline = System.nanoTime() + deadlineSeconds * 1_000_000_000L;
    AtomicLong next = new AtomicLong(first);
    int batch = 2_000;
    long t0 = System.nanoTime();
    long cpu0 = processCpuNanos();
    List<Thread> workers = new ArrayList<>();
    AtomicLong done = new AtomicLong();
    var lastMark = new java.util.concurrent.atomic.AtomicReference<>(new long[] {0, cpu0});
    Throwable[] failure = new Throwable[1];
    for (int w = 0; w < threads; w++) {
      Thread t =
          Thread.ofPlatform()
              .name("bench-indexer-" + w)
              .start(
                  () -> {
                    try {
                      List<StoredEvent> events = new ArrayList<>(batch);
                      long from;
                      while ((from = next.getAndAdd(batch)) < total
                          && System.nanoTime() < deadline) {
                        events.clear();
                        for (long i = from; i < Math.min(total, from + batch); i++) {
                          Instant time = start.plusMillis(spanMillis * (i - first) / toAdd);
                          String json = templates.get((int) (i % templates.size()));
                          String rewritten =
                              "{\"@timestamp\":\""
                                  + time
                                  + "\",\"RecordNumber\":"
                                  + i
                                  + ","
                                  + json.substring(1);
                          events.add(new StoredEvent(i, time, rewritten));
                        }
                        store.add(events);
                        long d = done.addAndGet(events.size());
                        if (d % 250_000 < batch) {
                          store.commit();
                          double s = (System.nanoTime() - t0) / 1e9;
                          double c = (processCpuNanos() - cpu0) / 1e9;
                          long[] prev = lastMark.getAndSet(new long[] {d, processCpuNanos()});
                          System.out.printf(
                              "  %,d events, %.0f s, %,.0f events/s, %,d bytes, process CPU %.1f"
                                  + " s; since the previous line %,.0f events per CPU-second%n",
                              d,
                              s,
                              d / s,
                              store.sizeBytes(),
                              c,
                              (d - prev[0]) / ((processCpuNanos() - prev[1]) / 1e9));
                        }
                      }
                    } catch (Throwable e) {
                      failure[0] = e;
                    }
                  });
      workers.add(t);
    }
    for (Thread t : workers) {
      t.join();
    }
    if (failure[0] != null) {
      throw new IllegalStateException("indexing failed", failure[0]);
    }
    store.commit();
    double s = (System.nanoTime() - t0) / 1e9;
    double cpu = (processCpuNanos() - cpu0) / 1e9;
    System.out.printf(
        "indexed %,d events in %.1f s: %,.0f events/s with %d threads;"
            + " process CPU %.1f s: %,.0f events per CPU-second%n",
        done.get(), s, done.get() / s, threads, cpu, done.get() / cpu);
  }

  /** CPU time of the whole process (indexing threads, merges, GC, JIT). */
  static long processCpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean)
            java.lang.management.ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }

  @FunctionalInterface
  interface Run {
    Object run(int i) throws Exception;
  }

  /**
   * Total-hits threshold of the searches: {@code -Dbench.trackTotalHits} (default {@link
   * EventStore#DEFAULT_TRACK_TOTAL_HITS}; 0 or less for exact totals, the 4-argument search).
   */
  private static final long TRACK =
      Long.getLong("bench.trackTotalHits", EventStore.DEFAULT_TRACK_TOTAL_HITS);

  private static EventStore.SearchResult search(
      EventStore store, String q, Instant from, Instant to, int limit) throws Exception {
    return TRACK <= 0 ? store.search(q, from, to, limit) : store.search(q, from, to, limit, TRACK);
  }

  static void queries(EventStore store, Instant start, Instant end, int runs) throws Exception {
    System.out.printf(
        "totals: %s%n", TRACK <= 0 ? "exact" : String.format("exact up to %,d", TRACK));
    if (!Boolean.parseBoolean(System.getProperty("bench.queryCache", "true"))) {
      // Lucene's query cache keeps the matches of queries seen often: with parameters rotating
      // over a few values, later runs then measure the cache, not a hunter's first query.
      org.apache.lucene.search.IndexSearcher.setDefaultQueryCache(null);
      System.out.println("query cache: off");
    }
    Map<String, Run> kinds = new LinkedHashMap<>();
    String[] eventIds = {"4688", "4624", "1", "3", "5156", "4663", "10", "7"};
    String[] images = {
      "*\\\\powershell.exe",
      "*\\\\cmd.exe",
      "*\\\\rundll32.exe",
      "*\\\\svchost.exe",
      "*\\\\lsass.exe"
    };
    String[] words = {"mimikatz", "powershell", "lsass", "wmic", "bitsadmin", "esentutl"};
    Duration span = Duration.between(start, end);
    kinds.put("term EventID:N", i -> search(store, "EventID:" + eventIds[i % 8], null, null, 100));
    kinds.put(
        "wildcard Image:*\\\\x.exe", i -> search(store, "Image:" + images[i % 5], null, null, 100));
    kinds.put(
        "contains CommandLine:*word*",
        i -> search(store, "CommandLine:*" + words[i % 6] + "*", null, null, 100));
    kinds.put("full-text word", i -> search(store, words[i % 6], null, null, 100));
    String[] phrases = {
      "\"windows system32\"", "\"net webclient\"", "powershell.exe", "\"system32 svchost exe\""
    };
    kinds.put("phrase (2-3 words)", i -> search(store, phrases[i % 4], null, null, 100));
    kinds.put(
        "phrase, exact total", i -> store.search(phrases[i % 4], null, null, 100, Long.MAX_VALUE));
    kinds.put(
        "numeric range",
        i ->
            search(
                store,
                i % 2 == 0 ? "EventID:[4600 TO 4700]" : "id_resp_p:[1 TO 1024]",
                null,
                null,
                100));
    kinds.put(
        "boolean combo",
        i ->
            search(
                store,
                "(EventID:1 OR EventID:4688) AND (Image:"
                    + images[i % 5]
                    + " OR NewProcessName:"
                    + images[i % 5]
                    + ") AND NOT SubjectUserName:*$",
                null,
                null,
                100));
    kinds.put(
        "time-filtered (1 h) term",
        i -> {
          Instant from = start.plus(span.multipliedBy(i % 97).dividedBy(97));
          return search(store, "EventID:" + eventIds[i % 8], from, from.plusSeconds(3600), 100);
        });
    kinds.put(
        "time-filtered (1 day) wildcard",
        i -> {
          Instant from = start.plus(span.multipliedBy(i % 9).dividedBy(10));
          return search(store, "Image:" + images[i % 5], from, from.plus(Duration.ofDays(1)), 100);
        });
    kinds.put("histogram all, 100 buckets", i -> store.histogram("", start, end, 100));
    kinds.put(
        "histogram EventID:N", i -> store.histogram("EventID:" + eventIds[i % 8], null, null, 100));
    kinds.put("top Image (EventID:1)", i -> store.top("Image", "EventID:1", null, null, 10));
    kinds.put(
        "top id_resp_h, 1 day",
        i -> {
          Instant from = start.plus(span.multipliedBy(i % 9).dividedBy(10));
          return store.top("id_resp_h", "", from, from.plus(Duration.ofDays(1)), 10);
        });
    System.out.printf(
        "%-34s %9s %9s %9s %9s  %s%n",
        "query kind", "p50 ms", "p95 ms", "p99 ms", "max ms", "hits (first run)");
    for (Map.Entry<String, Run> k : kinds.entrySet()) {
      for (int w = 0; w < 5; w++) {
        k.getValue().run(w);
      }
      double[] ms = new double[runs];
      double[] cpu = new double[runs];
      Object first = null;
      for (int i = 0; i < runs; i++) {
        long c = THREADS.getCurrentThreadCpuTime();
        long t = System.nanoTime();
        Object r = k.getValue().run(i);
        ms[i] = (System.nanoTime() - t) / 1e6;
        cpu[i] = (THREADS.getCurrentThreadCpuTime() - c) / 1e6;
        if (i == 0) {
          first = r;
        }
      }
      Arrays.sort(ms);
      Arrays.sort(cpu);
      String hits =
          first instanceof EventStore.SearchResult sr
              ? (sr.totalExact() ? "" : ">= ") + String.format("%,d", sr.total())
              : first instanceof List<?> l ? l.size() + " rows" : "";
      System.out.printf(
          "%-34s %9.1f %9.1f %9.1f %9.1f %9.1f %9.1f  %s%n",
          k.getKey(),
          pct(ms, 50),
          pct(ms, 95),
          pct(ms, 99),
          ms[runs - 1],
          pct(cpu, 50),
          pct(cpu, 95),
          hits);
    }
  }

  private static double pct(double[] sorted, int p) {
    int i = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
  }
}
