package io.vigil.cli;

import io.vigil.detect.Detection;
import io.vigil.detect.Rule;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The counts a hunt ends with: events read, parse errors, speed, and detections by level, by rule
 * and by ATT&CK tactic. Filled by the one thread that writes output.
 */
final class HuntSummary {
  /** How many rules the summary lists. */
  static final int TOP_RULES = 10;

  long events;
  long parseErrors;
  long unreadableInputs;
  long skippedInputs;
  long detections;
  int rulesLoaded;
  Duration loadTime = Duration.ZERO;
  final long[] byLevel = new long[HuntLevels.LEVELS.size()];
  final Map<String, Long> byTactic = new LinkedHashMap<>();
  private final Map<String, RuleCount> byRule = new HashMap<>();

  /** One rule and how often it fired. */
  record RuleCount(Rule rule, long count) {}

  void add(Detection d) {
    detections++;
    byLevel[HuntLevels.rank(d.rule().level())]++;
    byRule.merge(
        d.rule().id() + "\0" + d.rule().file(),
        new RuleCount(d.rule(), 1),
        (a, b) -> new RuleCount(a.rule(), a.count() + 1));
    for (String tactic : HuntLevels.tactics(d.rule())) {
      byTactic.merge(tactic, 1L, Long::sum);
    }
  }

  /** Rules by how often they fired, most first, then by title. */
  List<RuleCount> rules() {
    List<RuleCount> list = new ArrayList<>(byRule.values());
    list.sort(
        Comparator.comparingLong(RuleCount::count)
            .reversed()
            .thenComparing(c -> c.rule().title())
            .thenComparing(c -> c.rule().id()));
    return list;
  }

  void print(PrintWriter err, Duration elapsed, int inputs) {
    double seconds = Math.max(elapsed.toNanos() / 1e9, 1e-9);
    err.printf(
        Locale.ROOT,
        "%nvigil hunt: %,d events read from %d input%s in %.1f s (%,.0f events/s), %,d parse"
            + " error%s%n",
        events,
        inputs,
        inputs == 1 ? "" : "s",
        seconds,
        events / seconds,
        parseErrors,
        parseErrors == 1 ? "" : "s");
    err.printf(
        Locale.ROOT,
        "  %,d rules loaded in %.1f s (not counted in the speed above)%n",
        rulesLoaded,
        loadTime.toNanos() / 1e9);
    if (unreadableInputs > 0 || skippedInputs > 0) {
      err.printf(
          Locale.ROOT,
          "  inputs: %,d unreadable, %,d skipped as not a log format (see the notes above)%n",
          unreadableInputs,
          skippedInputs);
    }
    StringBuilder levels = new StringBuilder();
    for (int i = HuntLevels.LEVELS.size() - 1; i >= 0; i--) {
      levels
          .append(levels.isEmpty() ? "" : ", ")
          .append(HuntLevels.LEVELS.get(i))
          .append(' ')
          .append(String.format(Locale.ROOT, "%,d", byLevel[i]));
    }
    err.printf(Locale.ROOT, "detections: %,d (%s)%n", detections, levels);
    if (detections == 0) {
      err.flush();
      return;
    }
    List<RuleCount> rules = rules();
    err.printf(
        Locale.ROOT,
        "top rules (%d of %d that fired):%n",
        Math.min(TOP_RULES, rules.size()),
        rules.size());
    for (RuleCount c : rules.subList(0, Math.min(TOP_RULES, rules.size()))) {
      err.printf(
          Locale.ROOT,
          "  %,7d  %-8s  %s%n",
          c.count(),
          c.rule().level().equals("informational") ? "info" : c.rule().level(),
          c.rule().title());
    }
    err.println("by ATT&CK tactic:");
    if (byTactic.isEmpty()) {
      err.println("  (no rule that fired names a tactic)");
    }
    for (String tactic : HuntLevels.TACTICS) {
      Long n = byTactic.get(tactic);
      if (n != null) {
        err.printf(Locale.ROOT, "  %,7d  %s%n", n, tactic);
      }
    }
    err.flush();
  }
}
