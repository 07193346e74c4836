package io.vigil.scan;

import java.util.Locale;

/** The overall judgement of one package. */
public enum Verdict {
  /** Nothing of high severity. */
  CLEAN,
  /** At least one high-severity finding, but no threat rule held. */
  SUSPICIOUS,
  /** A threat rule held (or the package is a known-malicious release). */
  MALICIOUS;

  /** The lower-case name used in reports and in {@code --fail-on}. */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }
}
