package io.vigil.scan.analysis;

import io.vigil.scan.Ecosystem;
import io.vigil.scan.Finding;
import java.util.List;
import java.util.Objects;

/**
 * What static analysis found in one package.
 *
 * @param ecosystem the ecosystem the package's layout shows (package.json, setup.py/PKG-INFO, class
 *     files)
 * @param name the package name from its own metadata (Maven: {@code groupId:artifactId}), or the
 *     archive name when it has none
 * @param version the version from its metadata, or empty
 * @param findings threats first (severity {@code CRITICAL}), then the signals, strongest first
 */
public record PackageAnalysis(
    Ecosystem ecosystem, String name, String version, List<Finding> findings) {
  public PackageAnalysis {
    Objects.requireNonNull(ecosystem, "ecosystem");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(version, "version");
    findings = List.copyOf(findings);
  }
}
