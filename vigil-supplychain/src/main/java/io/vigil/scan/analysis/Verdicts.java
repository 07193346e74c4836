package io.vigil.scan.analysis;

import io.vigil.scan.Finding;
import io.vigil.scan.ScoreCategory;
import io.vigil.scan.Severity;
import io.vigil.scan.Verdict;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns findings into a verdict and five scores. Malicious: a {@code CRITICAL} supply-chain
 * finding, which only the threat rules (and known-malicious advisories) produce. Suspicious: any
 * other {@code HIGH} or {@code CRITICAL} finding. Clean: the rest. Each score starts at 100 and
 * loses, per finding type in its category, 100 / 35 / 12 / 4 / 0 points for critical / high /
 * medium / low / info.
 */
public final class Verdicts {
  private Verdicts() {}

  /** A verdict, its scores and the findings that drove it. */
  public record Decision(
      Verdict verdict, Map<ScoreCategory, Integer> scores, List<String> reasons) {}

  public static Decision decide(List<Finding> findings) {
    Verdict verdict = Verdict.CLEAN;
    List<String> malicious = new ArrayList<>();
    List<String> suspicious = new ArrayList<>();
    Map<ScoreCategory, Map<String, Integer>> penalties = new EnumMap<>(ScoreCategory.class);
    for (Finding f : findings) {
      int p =
          switch (f.severity()) {
            case CRITICAL -> 100;
            case HIGH -> 35;
            case MEDIUM -> 12;
            case LOW -> 4;
            case INFO -> 0;
          };
      penalties.computeIfAbsent(f.category(), k -> new HashMap<>()).merge(f.type(), p, Math::max);
      if (f.severity() == Severity.CRITICAL && f.category() == ScoreCategory.SUPPLY_CHAIN) {
        verdict = Verdict.MALICIOUS;
        malicious.add(reason(f));
      } else if (f.severity().compareTo(Severity.HIGH) >= 0) {
        if (verdict == Verdict.CLEAN) {
          verdict = Verdict.SUSPICIOUS;
        }
        suspicious.add(reason(f));
      }
    }
    Map<ScoreCategory, Integer> scores = new EnumMap<>(ScoreCategory.class);
    for (ScoreCategory c : ScoreCategory.values()) {
      int lost = penalties.getOrDefault(c, Map.of()).values().stream().mapToInt(i -> i).sum();
      scores.put(c, Math.max(0, 100 - lost));
    }
    List<String> reasons = verdict == Verdict.MALICIOUS ? malicious : suspicious;
    return new Decision(verdict, scores, reasons);
  }

  private static String reason(Finding f) {
    String where =
        f.file().isEmpty() ? "" : " at " + f.file() + (f.line() > 0 ? ":" + f.line() : "");
    return f.type() + where + ": " + f.evidence();
  }
}
