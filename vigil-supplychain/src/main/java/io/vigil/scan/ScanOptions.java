package io.vigil.scan;

import io.vigil.scan.archive.ArchiveLimits;
import java.util.List;
import java.util.Objects;

/**
 * How a {@link Scanner} runs.
 *
 * @param limits limits on archives and directories
 * @param intel name- and version-based finding sources (advisories, typosquat analysis); empty for
 *     analysis of the content alone
 */
public record ScanOptions(ArchiveLimits limits, List<PackageIntel> intel) {
  public ScanOptions {
    Objects.requireNonNull(limits, "limits");
    intel = List.copyOf(intel);
  }

  /** Default limits, content analysis only. */
  public static ScanOptions defaults() {
    return new ScanOptions(ArchiveLimits.DEFAULTS, List.of());
  }
}
