package io.vigil.scan.lockfile;

import io.vigil.scan.Ecosystem;

/**
 * Reads {@code gradle.lockfile}: one {@code group:artifact:version=configuration,…} per line,
 * comments starting with '#', and the {@code empty=…} line.
 */
final class GradleLockReader {
  private GradleLockReader() {}

  static String read(String content, Collector c) {
    String[] lines = content.split("\r?\n", -1);
    for (int i = 0; i < lines.length; i++) {
      String t = lines[i].trim();
      int lineNo = i + 1;
      if (t.isEmpty() || t.startsWith("#") || t.startsWith("empty=")) {
        continue;
      }
      int eq = t.indexOf('=');
      String coords = eq >= 0 ? t.substring(0, eq) : t;
      String[] parts = coords.split(":");
      if (parts.length != 3 || parts[0].isEmpty() || parts[1].isEmpty() || parts[2].isEmpty()) {
        c.error(
            lineNo,
            "expected 'group:artifact:version=configurations', found '"
                + YarnLockReader.shorten(t)
                + "'");
        continue;
      }
      c.add(Ecosystem.MAVEN, parts[0] + ":" + parts[1], parts[2], c.at(lineNo), "");
    }
    return "gradle.lockfile";
  }
}
