package io.vigil.ingest.evtx;

import io.vigil.event.FieldSchema;
import io.vigil.testing.SharedData;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/**
 * Throughput of {@link EvtxReader} over every shared .evtx file, held in memory and read again and
 * again (so the number is parsing, not disk). Besides wall-clock rates it reports rates per CPU
 * second of the reading thread, which stay meaningful when other processes share the cores. Not
 * part of the normal test run (its name does not end in Test); run it with:
 *
 * <pre>
 * ./mvnw -q -pl vigil-ingest test -Dtest=EvtxBenchmark -Dsurefire.failIfNoSpecifiedTests=false
 * cat vigil-ingest/target/evtx-benchmark.txt
 * </pre>
 */
class EvtxBenchmark {
  private static final int WARMUP_SECONDS = 10;
  private static final int MEASURE_SECONDS = 20;

  @Test
  void throughput() throws IOException {
    Path windows = SharedData.require("datasets/windows");
    List<byte[]> files = new ArrayList<>();
    long bytes = 0;
    for (Path f : EvtxSamples.evtxFiles(windows)) {
      byte[] b = Files.readAllBytes(f);
      files.add(b);
      bytes += b.length;
    }
    // The fields a Sigma rule set over Windows logs typically reads.
    FieldSchema schema =
        FieldSchema.of(
            List.of(
                "Event.System.EventID",
                "Event.System.Channel",
                "Event.System.Provider.#attributes.Name",
                "Event.EventData.Image",
                "Event.EventData.CommandLine",
                "Event.EventData.ParentImage",
                "Event.EventData.TargetUserName",
                "Event.EventData.LogonType"));
    pass(files, schema, WARMUP_SECONDS);
    String report =
        line("read (events)", files.size(), bytes, pass(files, schema, MEASURE_SECONDS))
            + line("readJson (text)", files.size(), bytes, pass(files, null, MEASURE_SECONDS));
    System.out.print(report);
    Files.writeString(Path.of("target", "evtx-benchmark.txt"), report, StandardCharsets.UTF_8);
  }

  private static String line(String what, int files, long bytes, long[] result) {
    double seconds = result[2] / 1e9;
    double cpuSeconds = result[3] / 1e9;
    return String.format(
        Locale.ROOT,
        "EVTX %s: %d files, %.1f MB per pass, %d passes in %.1f s: %.1f MB/s, %.0f events/s"
            + " (%d events per pass); per CPU-second of the reading thread: %.1f MB, %.0f events;"
            + " JDK %s, %d cores, load average %.1f%n",
        what,
        files,
        bytes / 1e6,
        result[0],
        seconds,
        result[0] * bytes / 1e6 / seconds,
        result[1] / seconds,
        result[1] / result[0],
        result[0] * bytes / 1e6 / cpuSeconds,
        result[1] / cpuSeconds,
        Runtime.version(),
        Runtime.getRuntime().availableProcessors(),
        ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
  }

  /**
   * Reads every file repeatedly for about {@code seconds} (as events, or as JSON text when {@code
   * schema} is null); returns passes, events, wall nanos and CPU nanos of this thread (the fair
   * number on a shared machine).
   */
  private static long[] pass(List<byte[]> files, FieldSchema schema, int seconds)
      throws IOException {
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    long cpuStart = threads.getCurrentThreadCpuTime();
    long start = System.nanoTime();
    long deadline = start + seconds * 1_000_000_000L;
    long passes = 0;
    long events = 0;
    long[] sink = {0};
    while (System.nanoTime() < deadline) {
      for (byte[] file : files) {
        EvtxSummary s =
            schema == null
                ? EvtxReader.readJson(
                    new ByteArrayInputStream(file),
                    "bench",
                    EvtxLimits.DEFAULT,
                    (json, id) -> sink[0] += json.length(),
                    p -> {})
                : EvtxReader.read(
                    new ByteArrayInputStream(file),
                    "bench",
                    schema,
                    EvtxLimits.DEFAULT,
                    e -> sink[0] += e.raw().length(),
                    p -> {});
        events += s.events();
      }
      passes++;
    }
    if (sink[0] == 0) {
      throw new AssertionError("no output");
    }
    return new long[] {
      passes, events, System.nanoTime() - start, threads.getCurrentThreadCpuTime() - cpuStart
    };
  }
}
