package io.vigil.scan.osv;

import io.vigil.scan.Severity;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/** The CVSS v3.x base score of a vector string, and its qualitative severity. */
final class Cvss {
  private Cvss() {}

  /** The base score of {@code CVSS:3.x/AV:…/AC:…/PR:…/UI:…/S:…/C:…/I:…/A:…}, if it is one. */
  static Optional<Double> baseScore(String vector) {
    if (vector == null || !vector.startsWith("CVSS:3")) {
      return Optional.empty();
    }
    Map<String, String> m = new HashMap<>();
    for (String part : vector.split("/")) {
      int c = part.indexOf(':');
      if (c > 0) {
        m.put(part.substring(0, c), part.substring(c + 1));
      }
    }
    try {
      boolean changed = "C".equals(m.get("S"));
      double av = pick(m.get("AV"), "N", .85, "A", .62, "L", .55, "P", .2);
      double ac = pick(m.get("AC"), "L", .77, "H", .44);
      double pr =
          changed
              ? pick(m.get("PR"), "N", .85, "L", .68, "H", .5)
              : pick(m.get("PR"), "N", .85, "L", .62, "H", .27);
      double ui = pick(m.get("UI"), "N", .85, "R", .62);
      double c = pick(m.get("C"), "H", .56, "L", .22, "N", 0);
      double i = pick(m.get("I"), "H", .56, "L", .22, "N", 0);
      double a = pick(m.get("A"), "H", .56, "L", .22, "N", 0);
      double iss = 1 - (1 - c) * (1 - i) * (1 - a);
      double impact = changed ? 7.52 * (iss - 0.029) - 3.25 * Math.pow(iss - 0.02, 15) : 6.42 * iss;
      double exploit = 8.22 * av * ac * pr * ui;
      if (impact <= 0) {
        return Optional.of(0.0);
      }
      double raw =
          changed ? Math.min(1.08 * (impact + exploit), 10) : Math.min(impact + exploit, 10);
      return Optional.of(roundUp(raw));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  private static double roundUp(double d) {
    long i = Math.round(d * 100000);
    return i % 10000 == 0 ? i / 100000.0 : (Math.floor(i / 10000.0) + 1) / 10.0;
  }

  private static double pick(String v, Object... pairs) {
    for (int k = 0; k < pairs.length; k += 2) {
      if (pairs[k].equals(v)) {
        return ((Number) pairs[k + 1]).doubleValue();
      }
    }
    throw new IllegalArgumentException("unknown CVSS metric value " + v);
  }

  static Severity severity(double score) {
    if (score >= 9.0) {
      return Severity.CRITICAL;
    }
    if (score >= 7.0) {
      return Severity.HIGH;
    }
    if (score >= 4.0) {
      return Severity.MEDIUM;
    }
    return score > 0 ? Severity.LOW : Severity.INFO;
  }
}
