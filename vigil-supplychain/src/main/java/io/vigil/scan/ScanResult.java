package io.vigil.scan;

import java.util.List;

/**
 * The outcome of scanning some paths: a report per package, and an error per path that could not be
 * scanned (the others were still scanned).
 */
public record ScanResult(List<PackageReport> packages, List<String> errors) {
  public ScanResult {
    packages = List.copyOf(packages);
    errors = List.copyOf(errors);
  }
}
