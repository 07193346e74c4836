package io.vigil.scan;

import java.util.Objects;

/**
 * A package named by a lockfile or manifest: ecosystem, name and exact version, and where it was
 * listed. For Maven the name is {@code groupId:artifactId}; for PyPI it is kept as written and
 * compared in PEP 503 normalized form.
 *
 * @param ecosystem the package's ecosystem
 * @param name the package name (npm scoped names keep their {@code @scope/})
 * @param version the exact version, or empty when the manifest pins none
 * @param source the lockfile path and line (or JSON pointer) that listed it, for findings
 */
public record PackageRef(Ecosystem ecosystem, String name, String version, String source) {
  public PackageRef {
    Objects.requireNonNull(ecosystem, "ecosystem");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(version, "version");
    Objects.requireNonNull(source, "source");
    if (name.isBlank()) {
      throw new IllegalArgumentException("package name is blank (listed at " + source + ")");
    }
  }

  @Override
  public String toString() {
    return ecosystem + ":" + name + (version.isEmpty() ? "" : "@" + version);
  }
}
