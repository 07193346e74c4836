package io.vigil.scan;

import java.util.List;

/**
 * A source of findings about a package by name and version rather than by content: known-malicious
 * advisories, typosquatting, dependency confusion. The scanner adds them to a package's findings
 * before the verdict.
 */
@FunctionalInterface
public interface PackageIntel {
  /** Findings about one package; empty when there is nothing to say. */
  List<Finding> findings(Ecosystem ecosystem, String name, String version);
}
