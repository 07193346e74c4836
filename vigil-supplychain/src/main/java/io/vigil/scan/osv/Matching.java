package io.vigil.scan.osv;

import io.vigil.scan.Ecosystem;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Whether a version falls in an OSV affected entry: an exact {@code versions} entry, or a range
 * evaluated as the OSV schema describes (events sorted by version; {@code introduced} opens, {@code
 * fixed} closes at that version, {@code last_affected} closes after it, {@code limit} caps the
 * range). SEMVER ranges compare by SemVer, ECOSYSTEM ranges by the ecosystem's own order.
 */
final class Matching {
  private Matching() {}

  static boolean affects(Ecosystem eco, Advisory.Affected a, String version) {
    if (a.everyVersion()) {
      return true;
    }
    if (version.isEmpty()) {
      return a.ranges().stream().anyMatch(Matching::everyVersion);
    }
    for (String v : a.versions()) {
      if (VersionOrder.same(eco, v, version)) {
        return true;
      }
    }
    for (Advisory.Range r : a.ranges()) {
      if (inRange(eco, r, version)) {
        return true;
      }
    }
    return false;
  }

  /** A range with only {@code introduced: 0}: every version. */
  static boolean everyVersion(Advisory.Range r) {
    return !r.events().isEmpty()
        && r.events().stream()
            .allMatch(e -> e.kind().equals("introduced") && e.version().equals("0"));
  }

  private record Cmp(Ecosystem eco, boolean semver) {
    Optional<Integer> compare(String a, String b) {
      if (semver) {
        var x = NpmVersion.parse(a);
        var y = NpmVersion.parse(b);
        return x.isPresent() && y.isPresent()
            ? Optional.of(Integer.signum(x.get().compareTo(y.get())))
            : Optional.empty();
      }
      return VersionOrder.compare(eco, a, b);
    }
  }

  static boolean inRange(Ecosystem eco, Advisory.Range r, String version) {
    if (everyVersion(r)) {
      return true;
    }
    Cmp cmp = new Cmp(eco, r.type().equals("SEMVER"));
    List<Advisory.Event> events = new ArrayList<>();
    List<String> limits = new ArrayList<>();
    for (Advisory.Event e : r.events()) {
      if (e.kind().equals("limit")) {
        if (!e.version().equals("*")) {
          limits.add(e.version());
        }
      } else {
        events.add(e);
      }
    }
    // Sort by version; "0" (introduced from the start) first. Unordered versions: no decision.
    for (Advisory.Event e : events) {
      if (!e.version().equals("0") && cmp.compare(e.version(), e.version()).isEmpty()) {
        return false;
      }
    }
    if (cmp.compare(version, version).isEmpty()) {
      return false;
    }
    events.sort(
        (x, y) -> {
          if (x.version().equals("0") || y.version().equals("0")) {
            return Boolean.compare(!x.version().equals("0"), !y.version().equals("0"));
          }
          return cmp.compare(x.version(), y.version()).orElse(0);
        });
    if (events.stream().noneMatch(e -> e.kind().equals("introduced"))) {
      // the schema asks for an "introduced"; without one, a range starts at the first version
      events.add(0, new Advisory.Event("introduced", "0"));
    }
    boolean affected = false;
    for (Advisory.Event e : events) {
      boolean zero = e.version().equals("0");
      switch (e.kind()) {
        case "introduced" -> {
          if (zero || cmp.compare(version, e.version()).orElse(-1) >= 0) {
            affected = true;
          }
        }
        case "fixed" -> {
          if (!zero && cmp.compare(version, e.version()).orElse(-1) >= 0) {
            affected = false;
          }
        }
        case "last_affected" -> {
          if (!zero && cmp.compare(version, e.version()).orElse(-1) > 0) {
            affected = false;
          }
        }
        default -> {}
      }
    }
    if (affected && !limits.isEmpty()) {
      affected = limits.stream().anyMatch(l -> cmp.compare(version, l).orElse(1) < 0);
    }
    return affected;
  }

  /** The lowest {@code fixed} version above {@code version} in the entry's ranges, if any. */
  static Optional<String> firstFixedAfter(Ecosystem eco, Advisory.Affected a, String version) {
    String best = null;
    for (Advisory.Range r : a.ranges()) {
      Cmp cmp = new Cmp(eco, r.type().equals("SEMVER"));
      for (Advisory.Event e : r.events()) {
        if (e.kind().equals("fixed")
            && cmp.compare(e.version(), version).orElse(0) > 0
            && (best == null || cmp.compare(e.version(), best).orElse(0) < 0)) {
          best = e.version();
        }
      }
    }
    return Optional.ofNullable(best);
  }
}
