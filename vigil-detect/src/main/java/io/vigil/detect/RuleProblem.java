package io.vigil.detect;

import java.nio.file.Path;
import java.util.Objects;

/**
 * One problem found while loading rules: where it is (file, 1-based line, 0 when unknown), which
 * rule (id, "" when unknown) and a message that says what was seen, what was expected and what to
 * do.
 */
public record RuleProblem(Path file, int line, String ruleId, String message) {
  public RuleProblem {
    Objects.requireNonNull(message, "message");
    ruleId = ruleId == null ? "" : ruleId;
  }

  @Override
  public String toString() {
    return (file == null ? "<no file>" : file.toString())
        + (line > 0 ? ":" + line : "")
        + (ruleId.isEmpty() ? "" : " [" + ruleId + "]")
        + ": "
        + message;
  }
}
