package io.vigil.scan.osv;

import io.vigil.scan.Ecosystem;
import io.vigil.scan.Severity;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * One OSV record as Vigil keeps it: only the fields a scan needs, for one ecosystem.
 *
 * @param id the OSV id, e.g. {@code MAL-2025-46969}
 * @param kind malicious or vulnerability
 * @param ecosystem the ecosystem of {@link #affected()}
 * @param summary the record's one-line summary (may be empty)
 * @param why what the record says the package does, shortened
 * @param severity CRITICAL for malicious; from the record for vulnerabilities
 * @param aliases other ids of the same record
 * @param affected the affected packages of this ecosystem
 */
record Advisory(
    String id,
    AdvisoryKind kind,
    Ecosystem ecosystem,
    String summary,
    String why,
    Severity severity,
    List<String> aliases,
    List<Affected> affected) {
  Advisory {
    Objects.requireNonNull(id, "id");
    aliases = List.copyOf(aliases);
    affected = List.copyOf(affected);
  }

  /**
   * One affected package.
   *
   * @param name the package name as the record spells it
   * @param versions the exact versions listed
   * @param ranges the SEMVER and ECOSYSTEM ranges (GIT ranges are dropped)
   */
  record Affected(String name, Set<String> versions, List<Range> ranges) {
    Affected {
      versions = Set.copyOf(versions);
      ranges = List.copyOf(ranges);
    }

    /** True when the record names the package but no versions or ranges: every version. */
    boolean everyVersion() {
      return versions.isEmpty() && ranges.isEmpty();
    }
  }

  /** An OSV range: events in the record's order. */
  record Range(String type, List<Event> events) {
    Range {
      events = List.copyOf(events);
    }
  }

  /**
   * A range event.
   *
   * @param kind {@code introduced}, {@code fixed}, {@code last_affected} or {@code limit}
   * @param version the version ({@code 0} for "from the first")
   */
  record Event(String kind, String version) {}
}
