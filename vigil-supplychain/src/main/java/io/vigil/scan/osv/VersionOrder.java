package io.vigil.scan.osv;

import io.vigil.scan.Ecosystem;
import java.util.Optional;

/**
 * Version ordering per ecosystem, as OSV ranges need it: npm by SemVer, PyPI by PEP 440, Maven by
 * Maven's own rules. A version one ecosystem cannot parse has no order (empty), so it can only
 * match an exact {@code versions} entry.
 */
final class VersionOrder {
  private VersionOrder() {}

  /**
   * Compares two versions of one ecosystem; empty when either does not parse (SemVer and PEP 440
   * are strict; every string is a Maven version).
   */
  static Optional<Integer> compare(Ecosystem ecosystem, String a, String b) {
    return switch (ecosystem) {
      case NPM -> {
        var x = NpmVersion.parse(a);
        var y = NpmVersion.parse(b);
        yield x.isPresent() && y.isPresent()
            ? Optional.of(Integer.signum(x.get().compareTo(y.get())))
            : Optional.empty();
      }
      case PYPI -> {
        var x = Pep440Version.parse(a);
        var y = Pep440Version.parse(b);
        yield x.isPresent() && y.isPresent()
            ? Optional.of(Integer.signum(x.get().compareTo(y.get())))
            : Optional.empty();
      }
      case MAVEN ->
          Optional.of(Integer.signum(MavenVersion.parse(a).compareTo(MavenVersion.parse(b))));
    };
  }

  /** True when both name the same version (also {@code 1.0 == 1.0.0} in PyPI and Maven). */
  static boolean same(Ecosystem ecosystem, String a, String b) {
    return a.equals(b) || compare(ecosystem, a, b).map(c -> c == 0).orElse(false);
  }
}
