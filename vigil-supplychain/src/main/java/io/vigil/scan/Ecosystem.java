package io.vigil.scan;

import java.util.Locale;
import java.util.Optional;

/** A package ecosystem, named as OSV names it. */
public enum Ecosystem {
  NPM("npm"),
  PYPI("PyPI"),
  MAVEN("Maven");

  private final String osvName;

  Ecosystem(String osvName) {
    this.osvName = osvName;
  }

  /** The name OSV records use in {@code affected[].package.ecosystem}. */
  public String osvName() {
    return osvName;
  }

  /** The ecosystem for an OSV ecosystem name (case-insensitive), if it is one Vigil scans. */
  public static Optional<Ecosystem> fromOsv(String name) {
    for (Ecosystem e : values()) {
      if (e.osvName.equalsIgnoreCase(name) || e.name().equalsIgnoreCase(name)) {
        return Optional.of(e);
      }
    }
    return Optional.empty();
  }

  @Override
  public String toString() {
    return osvName.toLowerCase(Locale.ROOT);
  }
}
