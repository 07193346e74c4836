package io.vigil.scan;

import java.util.Objects;

/**
 * One thing a scan found in a package, with the evidence and why it matters.
 *
 * @param type a stable kebab-case identifier, e.g. {@code install-script}, {@code typosquat},
 *     {@code known-malicious}
 * @param category the score category it lowers
 * @param severity how much it matters
 * @param file the file inside the package (or the lockfile) it was seen in; empty for metadata
 * @param line the 1-based line in that file, or 0 when not line-based
 * @param evidence the text seen, shortened to at most a few hundred characters
 * @param why one sentence for the analyst: why this matters
 */
public record Finding(
    String type,
    ScoreCategory category,
    Severity severity,
    String file,
    int line,
    String evidence,
    String why) {
  public Finding {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(category, "category");
    Objects.requireNonNull(severity, "severity");
    Objects.requireNonNull(file, "file");
    Objects.requireNonNull(evidence, "evidence");
    Objects.requireNonNull(why, "why");
    if (line < 0) {
      throw new IllegalArgumentException("line must be >= 0, was " + line);
    }
  }
}
