package io.vigil.scan.registry;

import io.vigil.scan.PackageRef;
import java.nio.file.Path;
import java.util.Objects;

/** The outcome of fetching one package: its archive on disk, or why there is none. */
public sealed interface FetchResult {
  /** The package that was asked for. */
  PackageRef ref();

  /** Where a fetched archive came from. */
  enum Origin {
    /** Already in the local cache (and still matching its integrity, when one was given). */
    CACHE,
    /** Downloaded from the registry just now (and written to the cache). */
    REGISTRY,
    /** Found in the directory of archives given by {@link FetchSettings#packagesDir()}. */
    PACKAGES_DIR
  }

  /**
   * The package archive ({@code .tgz}, {@code .tar.gz}, {@code .whl}, {@code .zip}, {@code .jar}).
   *
   * @param ref the package
   * @param archive the archive file, inside the cache or the packages directory
   * @param origin where it came from
   * @param verified true when a lockfile integrity or registry digest was checked and matched
   */
  record Fetched(PackageRef ref, Path archive, Origin origin, boolean verified)
      implements FetchResult {
    public Fetched {
      Objects.requireNonNull(ref, "ref");
      Objects.requireNonNull(archive, "archive");
      Objects.requireNonNull(origin, "origin");
    }
  }

  /**
   * No archive: not found, not cached while offline, integrity mismatch, network or size limit.
   *
   * @param ref the package
   * @param reason what happened and what to do, e.g. naming the setting to change
   */
  record Failed(PackageRef ref, String reason) implements FetchResult {
    public Failed {
      Objects.requireNonNull(ref, "ref");
      Objects.requireNonNull(reason, "reason");
    }
  }
}
