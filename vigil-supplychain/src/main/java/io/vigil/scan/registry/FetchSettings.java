package io.vigil.scan.registry;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * Where and how {@link PackageFetcher} fetches packages. Registry base URLs may point at mirrors.
 *
 * @param npmRegistry npm registry base, default {@code https://registry.npmjs.org}
 * @param pypiRegistry PyPI base (JSON API at {@code /pypi/NAME/VERSION/json}), default {@code
 *     https://pypi.org}
 * @param mavenRepository Maven repository base, default {@code https://repo1.maven.org/maven2}
 * @param cacheDir the local cache, default {@code $VIGIL_CACHE} or {@code ~/.cache/vigil/packages}
 * @param packagesDir a directory of archives to take packages from before the cache and registry;
 *     {@code null} for none
 * @param offline when true, nothing is downloaded: packages come from the packages directory or the
 *     cache, and each one missing is reported
 * @param connectTimeout TCP connect timeout ({@code connectTimeout}, default 10 s)
 * @param requestTimeout whole-request timeout ({@code requestTimeout}, default 120 s)
 * @param maxArchiveBytes largest archive downloaded ({@code maxArchiveBytes}, default 256 MiB)
 * @param maxMetadataBytes largest registry JSON document read ({@code maxMetadataBytes}, default 16
 *     MiB)
 * @param parallelism most downloads at once ({@code parallelism}, default 8)
 */
public record FetchSettings(
    URI npmRegistry,
    URI pypiRegistry,
    URI mavenRepository,
    Path cacheDir,
    Path packagesDir,
    boolean offline,
    Duration connectTimeout,
    Duration requestTimeout,
    long maxArchiveBytes,
    long maxMetadataBytes,
    int parallelism) {

  public FetchSettings {
    Objects.requireNonNull(npmRegistry, "npmRegistry");
    Objects.requireNonNull(pypiRegistry, "pypiRegistry");
    Objects.requireNonNull(mavenRepository, "mavenRepository");
    Objects.requireNonNull(cacheDir, "cacheDir");
    Objects.requireNonNull(connectTimeout, "connectTimeout");
    Objects.requireNonNull(requestTimeout, "requestTimeout");
    if (maxArchiveBytes <= 0 || maxMetadataBytes <= 0 || parallelism <= 0) {
      throw new IllegalArgumentException(
          "maxArchiveBytes, maxMetadataBytes and parallelism must be positive");
    }
  }

  /** The defaults: public registries, the default cache, online. */
  public static FetchSettings defaults() {
    return new FetchSettings(
        URI.create("https://registry.npmjs.org"),
        URI.create("https://pypi.org"),
        URI.create("https://repo1.maven.org/maven2"),
        defaultCacheDir(),
        null,
        false,
        Duration.ofSeconds(10),
        Duration.ofSeconds(120),
        256L << 20,
        16L << 20,
        8);
  }

  /** {@code $VIGIL_CACHE} when set, else {@code ~/.cache/vigil/packages}. */
  public static Path defaultCacheDir() {
    String env = System.getenv("VIGIL_CACHE");
    if (env != null && !env.isBlank()) {
      return Path.of(env);
    }
    return Path.of(System.getProperty("user.home"), ".cache", "vigil", "packages");
  }

  /** The packages directory, when one was given. */
  public Optional<Path> packagesDirectory() {
    return Optional.ofNullable(packagesDir);
  }

  public FetchSettings withRegistries(URI npm, URI pypi, URI maven) {
    return new FetchSettings(
        npm,
        pypi,
        maven,
        cacheDir,
        packagesDir,
        offline,
        connectTimeout,
        requestTimeout,
        maxArchiveBytes,
        maxMetadataBytes,
        parallelism);
  }

  public FetchSettings withCacheDir(Path dir) {
    return new FetchSettings(
        npmRegistry,
        pypiRegistry,
        mavenRepository,
        dir,
        packagesDir,
        offline,
        connectTimeout,
        requestTimeout,
        maxArchiveBytes,
        maxMetadataBytes,
        parallelism);
  }

  public FetchSettings withPackagesDir(Path dir) {
    return new FetchSettings(
        npmRegistry,
        pypiRegistry,
        mavenRepository,
        cacheDir,
        dir,
        offline,
        connectTimeout,
        requestTimeout,
        maxArchiveBytes,
        maxMetadataBytes,
        parallelism);
  }

  public FetchSettings withOffline(boolean off) {
    return new FetchSettings(
        npmRegistry,
        pypiRegistry,
        mavenRepository,
        cacheDir,
        packagesDir,
        off,
        connectTimeout,
        requestTimeout,
        maxArchiveBytes,
        maxMetadataBytes,
        parallelism);
  }

  public FetchSettings withTimeouts(Duration connect, Duration request) {
    return new FetchSettings(
        npmRegistry,
        pypiRegistry,
        mavenRepository,
        cacheDir,
        packagesDir,
        offline,
        connect,
        request,
        maxArchiveBytes,
        maxMetadataBytes,
        parallelism);
  }

  public FetchSettings withMaxArchiveBytes(long max) {
    return new FetchSettings(
        npmRegistry,
        pypiRegistry,
        mavenRepository,
        cacheDir,
        packagesDir,
        offline,
        connectTimeout,
        requestTimeout,
        max,
        maxMetadataBytes,
        parallelism);
  }

  public FetchSettings withParallelism(int n) {
    return new FetchSettings(
        npmRegistry,
        pypiRegistry,
        mavenRepository,
        cacheDir,
        packagesDir,
        offline,
        connectTimeout,
        requestTimeout,
        maxArchiveBytes,
        maxMetadataBytes,
        n);
  }
}
