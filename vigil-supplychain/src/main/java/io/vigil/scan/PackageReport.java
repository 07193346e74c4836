package io.vigil.scan;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The scan result of one package: identity, verdict, scores and findings.
 *
 * @param path the archive, directory or lockfile entry scanned
 * @param ecosystem the package's ecosystem
 * @param name the package name
 * @param version the package version, or empty
 * @param verdict malicious, suspicious or clean
 * @param scores 0–100 per category, 100 meaning nothing found
 * @param findings every finding, threats first
 * @param reasons one line per finding that drove the verdict, for the analyst
 */
public record PackageReport(
    String path,
    Ecosystem ecosystem,
    String name,
    String version,
    Verdict verdict,
    Map<ScoreCategory, Integer> scores,
    List<Finding> findings,
    List<String> reasons) {
  public PackageReport {
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(ecosystem, "ecosystem");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(version, "version");
    Objects.requireNonNull(verdict, "verdict");
    scores = java.util.Collections.unmodifiableMap(new EnumMap<>(scores));
    findings = List.copyOf(findings);
    reasons = List.copyOf(reasons);
  }
}
