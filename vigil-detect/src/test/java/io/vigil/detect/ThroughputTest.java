package io.vigil.detect;

import io.vigil.event.Event;
import io.vigil.event.JsonEventParser;
import io.vigil.testing.SharedData;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * A rough single-thread measurement (not a benchmark: see vigil-bench for JMH): all SigmaHQ rules
 * against the benign Windows events, parse and match timed separately. Runs only with {@code
 * -Dvigil.perf=true}.
 */
class ThroughputTest {
  @Test
  void match_allSigmaHqRulesOnBenignEvents_printsEventsPerSecond() throws IOException {
    Assumptions.assumeTrue(Boolean.getBoolean("vigil.perf"), "skipped: run with -Dvigil.perf=true");
    Path sigma = SharedData.require("sigma");
    Path events = SharedData.require("datasets/windows/benign-json");
    List<Path> folders;
    try (Stream<Path> s = Files.list(sigma)) {
      folders = s.filter(p -> p.getFileName().toString().startsWith("rules")).sorted().toList();
    }
    Map<String, List<String>> placeholders =
        LoadOptions.readPlaceholders(Path.of("src/test/resources/sigmahq-placeholders.yml"));
    LoadOptions options = LoadOptions.defaults().withPlaceholders(placeholders);
    java.lang.management.ThreadMXBean cpu =
        java.lang.management.ManagementFactory.getThreadMXBean();
    RuleSet rules = null;
    for (int i = 0; i < 3; i++) {
      long t0 = System.nanoTime();
      long c0 = cpu.getCurrentThreadCpuTime();
      rules = RuleSet.load(folders, options).ruleSet();
      System.out.printf(
          "load %d: %d rules in %d ms wall, %d ms CPU of this thread%n",
          i,
          rules.rules().size(),
          (System.nanoTime() - t0) / 1_000_000,
          (cpu.getCurrentThreadCpuTime() - c0) / 1_000_000);
    }
    System.out.println(rules.indexStats());
    Runtime rt = Runtime.getRuntime();
    System.gc();
    long before = rt.totalMemory() - rt.freeMemory();
    rules = null;
    System.gc();
    long after = rt.totalMemory() - rt.freeMemory();
    System.out.printf("heap held by one loaded RuleSet: about %d MiB%n", (before - after) >> 20);
    rules = RuleSet.load(folders, options).ruleSet();
    List<Path> files;
    try (Stream<Path> s = Files.list(events)) {
      files =
          s.filter(f -> f.toString().endsWith(System.getProperty("vigil.perf.only", "") + ".jsonl"))
              .sorted()
              .toList();
    }
    for (Path file : files) {
      measure(rules, file.getFileName().toString(), Files.readAllLines(file), cpu);
    }
  }

  private static void measure(
      RuleSet rules, String name, List<String> lines, java.lang.management.ThreadMXBean cpu) {
    JsonEventParser parser = new JsonEventParser(rules.schema());
    int rounds = Integer.getInteger("vigil.perf.rounds", 15);
    long parseNanos = 0;
    long matchNanos = 0;
    long matchCpu = 0;
    long n = 0;
    long hits = 0;
    for (int round = 0; round < rounds; round++) {
      List<Event> parsed = new ArrayList<>(lines.size());
      long t0 = System.nanoTime();
      for (int i = 0; i < lines.size(); i++) {
        parsed.add(parser.parse(lines.get(i), "bench", i + 1));
      }
      long t1 = System.nanoTime();
      long c1 = cpu.getCurrentThreadCpuTime();
      for (Event e : parsed) {
        hits += rules.match(e).size();
      }
      long t2 = System.nanoTime();
      long c2 = cpu.getCurrentThreadCpuTime();
      if (round >= rounds / 3) {
        parseNanos += t1 - t0;
        matchNanos += t2 - t1;
        matchCpu += c2 - c1;
        n += parsed.size();
      }
    }
    System.out.printf(
        "%s: %d events x %d rules: match %.0f events/s wall (%.0f per CPU-second), parse %.0f"
            + " events/s wall, %.1f detections per event; load average %.1f%n",
        name,
        n,
        rules.rules().size(),
        n / (matchNanos / 1e9),
        n / (matchCpu / 1e9),
        n / (parseNanos / 1e9),
        hits / (double) (n * rounds / (rounds - rounds / 3)),
        java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
  }
}
