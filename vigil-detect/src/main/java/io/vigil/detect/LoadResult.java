package io.vigil.detect;

import java.util.List;

/**
 * What {@link RuleSet#load} produced: the rules that compiled, how many rule documents were seen,
 * and every problem found (errors: a rule or filter that did not load; warnings: it loaded, or was
 * skipped on purpose, but something deserves a look).
 */
public record LoadResult(
    RuleSet ruleSet, int total, List<RuleProblem> errors, List<RuleProblem> warnings) {
  public LoadResult {
    errors = List.copyOf(errors);
    warnings = List.copyOf(warnings);
  }
}
