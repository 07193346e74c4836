package io.vigil.cli;

import io.vigil.detect.Rule;
import java.util.List;
import java.util.Locale;

/**
 * Facts about Sigma levels and ATT&CK tactics that hunt output sorts and counts by. The tactic
 * short names are those of MITRE ATT&CK Enterprise (TA0043 ... TA0040), in kill-chain order; Sigma
 * writes them as tags {@code attack.<short-name>}, often with underscores.
 */
final class HuntLevels {
  /** Sigma levels from least to most severe. */
  static final List<String> LEVELS = List.of("informational", "low", "medium", "high", "critical");

  /** ATT&CK Enterprise tactic short names in kill-chain order. */
  static final List<String> TACTICS =
      List.of(
          "reconnaissance",
          "resource-development",
          "initial-access",
          "execution",
          "persistence",
          "privilege-escalation",
          "defense-evasion",
          "credential-access",
          "discovery",
          "lateral-movement",
          "collection",
          "command-and-control",
          "exfiltration",
          "impact");

  private HuntLevels() {}

  /**
   * The rank of a level (0 informational ... 4 critical); a rule without a known level counts as
   * informational.
   */
  static int rank(String level) {
    int i = LEVELS.indexOf(level == null ? "" : level.toLowerCase(Locale.ROOT));
    return Math.max(i, 0);
  }

  /** The rank of a level given on the command line, or -1 when it is not a Sigma level. */
  static int parse(String level) {
    return LEVELS.indexOf(level.strip().toLowerCase(Locale.ROOT));
  }

  /** The ATT&CK tactics a rule's tags name, in kill-chain order. */
  static List<String> tactics(Rule rule) {
    return TACTICS.stream()
        .filter(
            t ->
                rule.tags().stream()
                    .map(tag -> tag.toLowerCase(Locale.ROOT).replace('_', '-'))
                    .anyMatch(tag -> tag.equals("attack." + t)))
        .toList();
  }
}
