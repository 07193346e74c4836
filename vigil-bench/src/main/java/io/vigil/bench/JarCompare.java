package io.vigil.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Two or more builds of the engine side by side in one JVM, for changes of a few percent on a
 * machine whose speed drifts: each build's {@code benchmarks.jar} is loaded by a class loader of
 * its own, loads the same rules, and parses and matches the same JSON lines; the builds take turns,
 * round after round, and each round's thread CPU time per event is kept (the first two rounds warm
 * up). Prints, per build, the least and the median CPU per event and the detections of a round,
 * which must agree. {@code --heap} instead prints, per build (one JVM each time), the heap retained
 * by the loaded rule set, and by it with the buckets and memos that matching the lines three times
 * built.
 *
 * <pre>
 * java -cp vigil-bench/target/classes io.vigil.bench.JarCompare RULES LINES ROUNDS A.jar B.jar ...
 * java -cp vigil-bench/target/classes io.vigil.bench.JarCompare --heap RULES LINES A.jar
 * </pre>
 */
public final class JarCompare {
  private JarCompare() {}

  /** One build: its rule set and parser, reached by reflection through its own class loader. */
  private record Build(String name, Object rules, Object parser, Method parse, Method match) {
    static Build load(Path jar, Path rules) throws Exception {
      URLClassLoader cl =
          new URLClassLoader(new URL[] {jar.toUri().toURL()}, ClassLoader.getPlatformClassLoader());
      Class<?> ruleSet = cl.loadClass("io.vigil.detect.RuleSet");
      Class<?> options = cl.loadClass("io.vigil.detect.LoadOptions");
      Object loaded =
          ruleSet
              .getMethod("load", List.class, options)
              .invoke(null, List.of(rules), options.getMethod("defaults").invoke(null));
      Object set = loaded.getClass().getMethod("ruleSet").invoke(loaded);
      Class<?> schema = cl.loadClass("io.vigil.event.FieldSchema");
      Class<?> parserClass = cl.loadClass("io.vigil.event.JsonEventParser");
      Object parser =
          parserClass.getConstructor(schema).newInstance(ruleSet.getMethod("schema").invoke(set));
      return new Build(
          jar.getFileName().toString(),
          set,
          parser,
          parserClass.getMethod(
              "parse", byte[].class, int.class, int.class, String.class, long.class),
          ruleSet.getMethod("match", cl.loadClass("io.vigil.event.Event")));
    }

    /** Parses and matches every line once; the number of detections. */
    long pass(List<byte[]> lines) throws Exception {
      long detections = 0;
      for (int i = 0; i < lines.size(); i++) {
        byte[] b = lines.get(i);
        Object event = parse.invoke(parser, b, 0, b.length, "compare", (long) i + 1);
        detections += ((List<?>) match.invoke(rules, event)).size();
      }
      return detections;
    }
  }

  public static void main(String[] args) throws Exception {
    boolean heap = args.length > 0 && args[0].equals("--heap");
    String[] a = heap ? Arrays.copyOfRange(args, 1, args.length) : args;
    if (a.length < (heap ? 3 : 4)) {
      System.err.println(
          "usage: JarCompare RULES LINES ROUNDS A.jar B.jar ... | JarCompare --heap RULES LINES A.jar");
      System.exit(2);
    }
    Path rules = Path.of(a[0]);
    List<byte[]> lines = readLines(Path.of(a[1]));
    if (heap) {
      long before = usedAfterGc();
      Build b = Build.load(Path.of(a[2]), rules);
      long loaded = usedAfterGc();
      for (int r = 0; r < 3; r++) {
        b.pass(lines);
      }
      long matched = usedAfterGc();
      System.out.printf(
          Locale.ROOT,
          "%s: rule set %d MiB, with the buckets and memos of %d lines %d MiB%n",
          b.name(),
          (loaded - before) >> 20,
          lines.size(),
          (matched - before) >> 20);
      java.lang.ref.Reference.reachabilityFence(b);
      return;
    }
    int rounds = Integer.parseInt(a[2]);
    List<Build> builds = new ArrayList<>();
    for (int i = 3; i < a.length; i++) {
      builds.add(Build.load(Path.of(a[i]), rules));
    }
    ThreadMXBean cpu = ManagementFactory.getThreadMXBean();
    double[][] perEvent = new double[builds.size()][Math.max(0, rounds - 2)];
    long[] detections = new long[builds.size()];
    for (int r = 0; r < rounds; r++) {
      for (int k = 0; k < builds.size(); k++) {
        long c0 = cpu.getCurrentThreadCpuTime();
        detections[k] = builds.get(k).pass(lines);
        long c1 = cpu.getCurrentThreadCpuTime();
        if (r >= 2) {
          perEvent[k][r - 2] = (c1 - c0) / 1000.0 / lines.size();
        }
      }
    }
    for (int k = 0; k < builds.size(); k++) {
      double[] v = perEvent[k];
      Arrays.sort(v);
      System.out.printf(
          Locale.ROOT,
          "%-28s least %.2f, median %.2f us of CPU per event (%d rounds), %d detections%n",
          builds.get(k).name(),
          v.length == 0 ? Double.NaN : v[0],
          v.length == 0 ? Double.NaN : v[v.length / 2],
          v.length,
          detections[k]);
    }
  }

  /**
   * The file's non-blank lines as UTF-8 (the text read on the way is garbage when this returns).
   */
  private static List<byte[]> readLines(Path file) throws java.io.IOException {
    List<byte[]> lines = new ArrayList<>();
    for (String l : Files.readAllLines(file, StandardCharsets.UTF_8)) {
      if (!l.isBlank()) {
        lines.add(l.getBytes(StandardCharsets.UTF_8));
      }
    }
    return lines;
  }

  private static long usedAfterGc() {
    Runtime rt = Runtime.getRuntime();
    for (int i = 0; i < 3; i++) {
      System.gc();
    }
    return rt.totalMemory() - rt.freeMemory();
  }
}
