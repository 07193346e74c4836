package io.vigil.scan.lockfile;

import io.vigil.scan.PackageRef;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What a lockfile or manifest names: the packages (in file order, duplicates removed), the problems
 * seen while reading (the rest was still read), and the integrity each package was locked with,
 * when the format records one.
 *
 * @param format the format that was detected, e.g. {@code package-lock.json v3}
 * @param packages the packages; an empty {@link PackageRef#version()} means the manifest pins none
 *     (a {@link LockfileProblem.Level#WARNING} says so)
 * @param problems what could not be read or checked, in file order
 * @param integrity the expected digests per package, space-separated tokens, each either SRI
 *     ({@code sha512-BASE64}) or {@code alg:HEX} (e.g. {@code sha256:ab12…}); any one matching is
 *     enough
 */
public record LockfileResult(
    String format,
    List<PackageRef> packages,
    List<LockfileProblem> problems,
    Map<PackageRef, String> integrity) {
  public LockfileResult {
    Objects.requireNonNull(format, "format");
    packages = List.copyOf(packages);
    problems = List.copyOf(problems);
    integrity = Map.copyOf(integrity);
  }

  /** The expected digests for one package, when the lockfile recorded them. */
  public Optional<String> integrityOf(PackageRef ref) {
    return Optional.ofNullable(integrity.get(ref));
  }

  /** True when at least one problem is an {@link LockfileProblem.Level#ERROR}. */
  public boolean hasErrors() {
    return problems.stream().anyMatch(p -> p.level() == LockfileProblem.Level.ERROR);
  }
}
