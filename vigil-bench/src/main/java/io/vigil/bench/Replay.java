package io.vigil.bench;

import io.vigil.detect.Detection;
import io.vigil.detect.LoadOptions;
import io.vigil.detect.LoadResult;
import io.vigil.detect.RuleSet;
import io.vigil.event.Event;
import io.vigil.event.EventParseException;
import io.vigil.event.JsonEventParser;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * Replays recorded events through the engine three ways, on one thread, same events, same rules:
 * (a) naive evaluation of every rule on every event ({@link RuleSet#matchNaive}), (b) the indexed
 * engine ({@link RuleSet#match}), (c) the floor: the same parse with one trivial rule. Events are
 * read once into memory as text lines, so file reading is not measured; each mode parses every line
 * and matches it, after a warm-up. Usage is printed by {@code --help}; see README.md.
 */
public final class Replay {
  private static final String TRIVIAL_RULE =
      """
      title: Trivial rule (replay floor)
      id: 00000000-0000-0000-0000-000000000001
      status: test
      logsource:
        product: windows
        category: process_creation
      detection:
        selection:
          EventID: 999999
        condition: selection
      level: low
      """;

  private static final java.lang.management.ThreadMXBean CPU = ManagementFactory.getThreadMXBean();

  private Replay() {}

  /** Runs the replay; see the class comment and {@code --help}. */
  public static void main(String[] args) throws IOException {
    List<Path> ruleDirs = new ArrayList<>();
    List<Path> inputs = new ArrayList<>();
    Path placeholders = null;
    double seconds = 10;
    double naiveSeconds = 10;
    int repeat = 1;
    String modes = "abc";
    boolean bytes = false;
    int byKind = 0;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--rules" -> ruleDirs.add(Path.of(args[++i]));
        case "--placeholders" -> placeholders = Path.of(args[++i]);
        case "--seconds" -> seconds = Double.parseDouble(args[++i]);
        case "--naive-seconds" -> naiveSeconds = Double.parseDouble(args[++i]);
        case "--repeat" -> repeat = Integer.parseInt(args[++i]);
        case "--modes" -> modes = args[++i];
        case "--bytes" -> bytes = true;
        case "--by-kind" -> byKind = Integer.parseInt(args[++i]);
        case "--help", "-h" -> {
          usage();
          return;
        }
        default -> inputs.add(Path.of(args[i]));
      }
    }
    if (ruleDirs.isEmpty()) {
      ruleDirs.add(BenchData.shared().resolve("sigma"));
    }
    if (inputs.isEmpty()) {
      inputs.add(BenchData.shared().resolve("datasets/windows/otrf-mordor"));
    }
    LoadOptions options = LoadOptions.defaults();
    if (placeholders != null) {
      options = options.withPlaceholders(LoadOptions.readPlaceholders(placeholders));
    }
    List<String> once = new ArrayList<>();
    for (Path in : inputs) {
      readLines(in, once);
    }
    List<String> lines = new ArrayList<>(once.size() * repeat);
    for (int r = 0; r < repeat; r++) {
      lines.addAll(once);
    }
    long t0 = System.nanoTime();
    LoadResult loaded = RuleSet.load(ruleDirs, options);
    long loadMillis = (System.nanoTime() - t0) / 1_000_000;
    RuleSet rules = loaded.ruleSet();
    if (!loaded.errors().isEmpty()) {
      System.err.println(
          loaded.errors().size() + " rule load errors, e.g. " + loaded.errors().get(0));
    }
    Path trivialFile = Files.createTempFile("vigil-replay-trivial", ".yml");
    RuleSet trivial;
    try {
      Files.writeString(trivialFile, TRIVIAL_RULE, StandardCharsets.UTF_8);
      trivial = RuleSet.load(List.of(trivialFile), LoadOptions.defaults()).ruleSet();
    } finally {
      Files.deleteIfExists(trivialFile);
    }
    long chars = 0;
    for (String l : lines) {
      chars += l.length();
    }
    System.out.printf(
        Locale.ROOT,
        "replay: %,d events (%,.1f MB of text) from %s%n"
            + "rules: %,d from %s loaded in %,d ms (this JVM's first load); machine: %d cpus,"
            + " load average %.2f; java %s%n",
        lines.size(),
        chars / 1e6,
        inputs,
        rules.rules().size(),
        ruleDirs,
        loadMillis,
        Runtime.getRuntime().availableProcessors(),
        ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(),
        System.getProperty("java.version"));

    JsonEventParser parser = new JsonEventParser(rules.schema());
    JsonEventParser trivialParser = new JsonEventParser(trivial.schema());
    byte[][] utf8 = null;
    if (bytes) {
      utf8 = new byte[lines.size()][];
      for (int i = 0; i < utf8.length; i++) {
        utf8[i] = lines.get(i).getBytes(StandardCharsets.UTF_8);
      }
    }
    Mode naive = new Mode("(a) naive: every rule, full condition", parser, rules::matchNaive);
    Mode indexed = new Mode("(b) indexed engine", parser, rules::match);
    Mode floor = new Mode("(c) floor: parse + one trivial rule", trivialParser, trivial::match);
    for (Mode m : List.of(naive, indexed, floor)) {
      m.utf8 = utf8;
    }

    List<Mode> chosen = new ArrayList<>();
    for (Mode m : List.of(naive, indexed, floor)) {
      if (modes.indexOf(m.name.charAt(1)) >= 0) {
        chosen.add(m);
      }
    }
    // Warm-up, then measure each mode; naive is slow, so it gets its own time budget.
    for (Mode m : chosen) {
      m.run(lines, m == naive ? naiveSeconds / 3 : seconds / 3, false);
    }
    for (Mode m : chosen) {
      m.run(lines, m == naive ? naiveSeconds : seconds, true);
    }
    System.out.printf(
        Locale.ROOT,
        "%-40s %12s %14s %12s %16s%n",
        "mode (parse + match, one thread)",
        "events/s",
        "events/CPU-s",
        "µs CPU/event",
        "detections/pass");
    for (Mode m : chosen) {
      System.out.printf(
          Locale.ROOT,
          "%-40s %,12.0f %,14.0f %12.2f %,16d%n",
          m.name,
          m.rate(),
          m.cpuRate(),
          1e6 / m.cpuRate(),
          m.passes > 0 ? m.detectionsPerPass : -1);
    }
    System.out.printf(
        Locale.ROOT,
        "per CPU-second: indexed / floor = %.2f; indexed / naive = %.1fx; load average now %.2f%n",
        indexed.cpuRate() / floor.cpuRate(),
        indexed.cpuRate() / naive.cpuRate(),
        ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    if (Boolean.getBoolean("replay.stats")) {
      System.out.println(rules.indexStats());
    }
    if (byKind > 0) {
      byKind(rules, parser, lines, byKind);
    }
    if (naive.passes > 0 && indexed.detectionsPerPass != naive.detectionsPerPass) {
      System.out.println(
          "WARNING: naive and indexed detection counts differ: "
              + naive.detectionsPerPass
              + " vs "
              + indexed.detectionsPerPass);
    }
  }

  /**
   * The indexed engine's CPU per event for each kind of event (the bucket it routes to), parse
   * excluded: the events of each kind are parsed, then matched {@code rounds} times; the least CPU
   * per event of the rounds is kept. Printed with each kind's share of the total match time.
   */
  private static void byKind(
      RuleSet rules, JsonEventParser parser, List<String> lines, int rounds) {
    Map<String, List<String>> kinds = new java.util.LinkedHashMap<>();
    for (int i = 0; i < lines.size(); i++) {
      try {
        Event e = parser.parse(lines.get(i), "replay", i + 1);
        kinds.computeIfAbsent(rules.routeLabel(e), k -> new ArrayList<>()).add(lines.get(i));
      } catch (EventParseException e) {
        // not JSON: not matched in any mode
      }
    }
    Map<String, Double> best = new java.util.HashMap<>();
    for (int r = 0; r < rounds; r++) {
      for (Map.Entry<String, List<String>> k : kinds.entrySet()) {
        List<Event> events = new ArrayList<>(k.getValue().size());
        for (String l : k.getValue()) {
          byte[] b = l.getBytes(StandardCharsets.UTF_8);
          events.add(parser.parse(b, 0, b.length, "replay", events.size() + 1));
        }
        long t = CPU.getCurrentThreadCpuTime();
        for (Event e : events) {
          rules.match(e);
        }
        double us = (CPU.getCurrentThreadCpuTime() - t) / 1e3 / events.size();
        best.merge(k.getKey(), us, Math::min);
      }
    }
    double total = 0;
    for (Map.Entry<String, List<String>> k : kinds.entrySet()) {
      total += best.get(k.getKey()) * k.getValue().size();
    }
    List<String> order = new ArrayList<>(kinds.keySet());
    order.sort(
        (a, b) ->
            Double.compare(best.get(b) * kinds.get(b).size(), best.get(a) * kinds.get(a).size()));
    System.out.printf(
        Locale.ROOT,
        "by kind of event (indexed engine, parse excluded, least of %d rounds): %.2f µs per event"
            + " on average%n%8s %12s %7s  %s%n",
        rounds,
        total / Math.max(1, lines.size()),
        "events",
        "µs/event",
        "share",
        "bucket (the log source most of its rules have)");
    for (String k : order) {
      double us = best.get(k);
      int n = kinds.get(k).size();
      System.out.printf(Locale.ROOT, "%,8d %12.2f %6.1f%%  %s%n", n, us, 100 * us * n / total, k);
    }
  }

  private static void usage() {
    System.out.println(
        """
        Usage: java -cp vigil-bench/target/benchmarks.jar io.vigil.bench.Replay \\
                 [--rules DIR]... [--placeholders FILE] [--seconds S] [--naive-seconds S] \\
                 [--repeat N] [--modes abc] [--bytes] [--by-kind ROUNDS] [FILE|DIR]...
          FILE: JSON lines (.jsonl/.json, .gz) or a .zip of them; DIR: every such file in it.
          Defaults: --rules ../shared/sigma, input ../shared/datasets/windows/otrf-mordor.
          --seconds: measuring time per mode (indexed, floor); --naive-seconds for the naive one.
          --repeat N: the events N times over (like concatenated copies of the input).
          --modes abc: which of (a) naive, (b) indexed, (c) floor to run (default all three).
          --bytes: parse each line from its UTF-8 bytes (the path vigil hunt takes) instead of
                   from a String.
          --by-kind ROUNDS: then the indexed engine's CPU per event for each kind of event (the
                   bucket it routes to), parse excluded, the least of ROUNDS rounds, with each
                   kind's share of the whole match time.""");
  }

  /** One way of matching: parse each line, then match; counts events and time. */
  private static final class Mode {
    final String name;
    final JsonEventParser parser;
    final Function<Event, List<Detection>> matcher;
    long events;
    long nanos;
    long cpuNanos;
    long passes;
    long detectionsPerPass = -1;
    // Each line as UTF-8 (parsed from bytes, as vigil hunt does), or null: parse the strings.
    byte[][] utf8;

    Mode(String name, JsonEventParser parser, Function<Event, List<Detection>> matcher) {
      this.name = name;
      this.parser = parser;
      this.matcher = matcher;
    }

    /**
     * Matches line after line, starting over at the end, until the time budget is spent (checked
     * every 256 events, so a slow mode may stop inside a pass); records the detections of the last
     * whole pass.
     */
    void run(List<String> lines, double budgetSeconds, boolean record) {
      long budget = (long) (budgetSeconds * 1e9);
      long start = System.nanoTime();
      long cpuStart = CPU.getCurrentThreadCpuTime();
      long n = 0;
      long passDetections = 0;
      int i = 0;
      while (true) {
        Event e;
        try {
          e =
              utf8 != null
                  ? parser.parse(utf8[i], 0, utf8[i].length, "replay", i + 1)
                  : parser.parse(lines.get(i), "replay", i + 1);
          passDetections += matcher.apply(e).size();
          n++;
        } catch (EventParseException ex) {
          // not JSON: skipped the same way in every mode
        }
        if (++i == lines.size()) {
          i = 0;
          if (record) {
            passes++;
            detectionsPerPass = passDetections;
          }
          passDetections = 0;
          if (System.nanoTime() - start > budget) {
            break;
          }
        } else if ((i & 255) == 0 && System.nanoTime() - start > budget) {
          break;
        }
      }
      if (record) {
        events += n;
        nanos += System.nanoTime() - start;
        cpuNanos += CPU.getCurrentThreadCpuTime() - cpuStart;
      }
    }

    double rate() {
      return events / (nanos / 1e9);
    }

    double cpuRate() {
      return events / (cpuNanos / 1e9);
    }
  }

  /** Appends the JSON-object lines of a file, archive or folder. */
  static void readLines(Path in, List<String> out) {
    try {
      if (Files.isDirectory(in)) {
        try (Stream<Path> s = Files.list(in)) {
          for (Path p : s.sorted().toList()) {
            String n = p.getFileName().toString();
            if (n.endsWith(".zip")
                || n.endsWith(".gz")
                || n.endsWith(".jsonl")
                || n.endsWith(".json")) {
              readLines(p, out);
            }
          }
        }
        return;
      }
      String name = in.getFileName().toString();
      if (name.endsWith(".zip")) {
        try (ZipInputStream z = new ZipInputStream(Files.newInputStream(in))) {
          for (ZipEntry e = z.getNextEntry(); e != null; e = z.getNextEntry()) {
            if (!e.isDirectory()) {
              readStream(z, out);
            }
          }
        }
      } else if (name.endsWith(".gz")) {
        try (InputStream gz = new GZIPInputStream(Files.newInputStream(in))) {
          readStream(gz, out);
        }
      } else {
        try (InputStream s = Files.newInputStream(in)) {
          readStream(s, out);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + in, e);
    }
  }

  private static void readStream(InputStream in, List<String> out) throws IOException {
    BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
    for (String line = r.readLine(); line != null; line = r.readLine()) {
      String t = line.strip();
      if (t.startsWith("{")) {
        out.add(t);
      }
    }
  }
}
