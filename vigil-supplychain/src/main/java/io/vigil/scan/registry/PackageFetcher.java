package io.vigil.scan.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vigil.scan.PackageRef;
import io.vigil.scan.registry.FetchResult.Failed;
import io.vigil.scan.registry.FetchResult.Fetched;
import io.vigil.scan.registry.FetchResult.Origin;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.stream.Stream;

/**
 * Fetches package archives named by lockfiles: from a directory of archives, the local cache, or
 * the package's registry (npm, PyPI, Maven Central or their mirrors), checking each against the
 * lockfile's integrity when one is given. Thread-safe; one instance per scan.
 *
 * <pre>{@code
 * try (PackageFetcher fetcher = PackageFetcher.create(FetchSettings.defaults().withOffline(true))) {
 *   FetchResult r = fetcher.fetch(ref, lockfile.integrityOf(ref).orElse(""));
 * }
 * }</pre>
 */
public final class PackageFetcher implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String USER_AGENT = "vigil-scan (+https://github.com/vigil)";

  private final FetchSettings settings;
  private final HttpClient http;
  private final PackagesDirIndex packagesDir;

  private PackageFetcher(FetchSettings settings) {
    this.settings = settings;
    this.http =
        HttpClient.newBuilder()
            .connectTimeout(settings.connectTimeout())
            .followRedirects(HttpClient.Redirect.NORMAL)
            .build();
    this.packagesDir = settings.packagesDirectory().map(PackagesDirIndex::new).orElse(null);
  }

  /** A fetcher with these settings. */
  public static PackageFetcher create(FetchSettings settings) {
    return new PackageFetcher(Objects.requireNonNull(settings, "settings"));
  }

  /** The settings this fetcher uses. */
  public FetchSettings settings() {
    return settings;
  }

  /** Fetches one package without a lockfile integrity (registry digests are still checked). */
  public FetchResult fetch(PackageRef ref) {
    return fetch(ref, "");
  }

  /**
   * Fetches one package and checks it against {@code expectedIntegrity} (SRI or {@code alg:hex}
   * tokens, see {@link io.vigil.scan.lockfile.LockfileResult#integrity()}; empty for none). Never
   * throws for network or registry trouble: that is a {@link Failed} with the reason.
   */
  public FetchResult fetch(PackageRef ref, String expectedIntegrity) {
    Objects.requireNonNull(ref, "ref");
    Integrity expected = Integrity.parse(expectedIntegrity == null ? "" : expectedIntegrity);
    if (ref.version().isEmpty()) {
      return new Failed(
          ref,
          "no exact version (the manifest pins none at "
              + ref.source()
              + "), so there is no archive to fetch; pin it or scan a lockfile");
    }
    try {
      if (packagesDir != null) {
        Path p = packagesDir.find(ref);
        if (p != null) {
          Verification v = verify(p, expected);
          if (v.mismatch() != null) {
            return new Failed(ref, "integrity mismatch for " + p + ": " + v.mismatch());
          }
          return new Fetched(ref, p, Origin.PACKAGES_DIR, v.matched());
        }
      }
      Path dir = cacheDirFor(ref);
      Path cached = cachedArchive(dir);
      if (cached != null) {
        Verification v = verify(cached, expected);
        if (v.mismatch() == null) {
          return new Fetched(ref, cached, Origin.CACHE, v.matched());
        }
        if (settings.offline()) {
          return new Failed(
              ref,
              "cached archive "
                  + cached
                  + " does not match the lockfile: "
                  + v.mismatch()
                  + "; delete it and fetch again without --offline");
        }
        Files.deleteIfExists(cached);
      }
      if (settings.offline()) {
        return new Failed(
            ref,
            "not in the cache (offline): "
                + dir
                + " has no archive; run once without --offline, or give a packages directory");
      }
      return download(ref, expected, dir);
    } catch (IOException e) {
      return new Failed(ref, "could not read or write the package cache: " + e);
    } catch (IllegalArgumentException e) {
      return new Failed(ref, "cannot build a registry request for " + ref + ": " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Failed(ref, "interrupted while fetching");
    }
  }

  /**
   * Fetches many packages, at most {@link FetchSettings#parallelism()} downloads at once; results
   * are in the order of {@code refs}.
   */
  public List<FetchResult> fetchAll(List<PackageRef> refs, Map<PackageRef, String> integrity) {
    Semaphore slots = new Semaphore(settings.parallelism());
    List<FetchResult> out = new ArrayList<>(refs.size());
    try (ExecutorService pool =
        Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("vigil-fetch-", 0).factory())) {
      Map<PackageRef, Future<FetchResult>> futures = new LinkedHashMap<>();
      for (PackageRef ref : refs) {
        futures.computeIfAbsent(
            ref,
            r ->
                pool.submit(
                    () -> {
                      slots.acquire();
                      try {
                        return fetch(r, integrity.getOrDefault(r, ""));
                      } finally {
                        slots.release();
                      }
                    }));
      }
      for (PackageRef ref : refs) {
        try {
          out.add(futures.get(ref).get());
        } catch (ExecutionException e) {
          out.add(new Failed(ref, "fetch failed: " + e.getCause()));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          out.add(new Failed(ref, "interrupted while fetching"));
        }
      }
    }
    return out;
  }

  @Override
  public void close() {
    http.close();
  }

  // ---- cache -------------------------------------------------------------------------------

  Path cacheDirFor(PackageRef ref) {
    return settings
        .cacheDir()
        .resolve(ref.ecosystem().name().toLowerCase(Locale.ROOT))
        .resolve(safeSegment(ref.name()))
        .resolve(safeSegment(ref.version()));
  }

  private static Path cachedArchive(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      return null;
    }
    try (Stream<Path> files = Files.list(dir)) {
      return files
          .filter(Files::isRegularFile)
          .filter(p -> !p.getFileName().toString().endsWith(".part"))
          .sorted()
          .findFirst()
          .orElse(null);
    }
  }

  /** A file-name-safe form: letters, digits and {@code ._+-} kept, the rest percent-encoded. */
  static String safeSegment(String s) {
    StringBuilder b = new StringBuilder();
    for (byte c : s.getBytes(StandardCharsets.UTF_8)) {
      if ((c >= 'a' && c <= 'z')
          || (c >= 'A' && c <= 'Z')
          || (c >= '0' && c <= '9')
          || c == '_'
          || c == '+'
          || c == '-'
          || (c == '.' && b.length() > 0)) {
        b.append((char) c);
      } else {
        b.append('%').append(String.format(Locale.ROOT, "%02X", c & 0xff));
      }
    }
    return b.toString();
  }

  /** Percent-encodes one URL path segment (keeps RFC 3986 unreserved characters and '@'). */
  static String urlSegment(String s) {
    StringBuilder b = new StringBuilder();
    for (byte c : s.getBytes(StandardCharsets.UTF_8)) {
      if ((c >= 'a' && c <= 'z')
          || (c >= 'A' && c <= 'Z')
          || (c >= '0' && c <= '9')
          || c == '_'
          || c == '-'
          || c == '.'
          || c == '~'
          || c == '@'
          || c == '+') {
        b.append((char) c);
      } else {
        b.append('%').append(String.format(Locale.ROOT, "%02X", c & 0xff));
      }
    }
    String out = b.toString();
    return out.equals(".") || out.equals("..") ? out.replace(".", "%2E") : out;
  }

  private static String base(URI uri) {
    String s = uri.toString();
    return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
  }

  // ---- download ----------------------------------------------------------------------------

  private FetchResult download(PackageRef ref, Integrity expected, Path dir)
      throws IOException, InterruptedException {
    return switch (ref.ecosystem()) {
      case NPM -> downloadNpm(ref, expected, dir);
      case PYPI -> downloadPypi(ref, expected, dir);
      case MAVEN -> downloadMaven(ref, expected, dir);
    };
  }

  private FetchResult downloadNpm(PackageRef ref, Integrity expected, Path dir)
      throws IOException, InterruptedException {
    String name = ref.name();
    String pathName;
    String baseName;
    if (name.startsWith("@") && name.indexOf('/') > 0) {
      int slash = name.indexOf('/');
      pathName = urlSegment(name.substring(0, slash)) + "/" + urlSegment(name.substring(slash + 1));
      baseName = name.substring(slash + 1);
    } else {
      pathName = urlSegment(name);
      baseName = name;
    }
    String file = baseName + "-" + ref.version() + ".tgz";
    URI url = URI.create(base(settings.npmRegistry()) + "/" + pathName + "/-/" + urlSegment(file));
    return downloadTo(
        ref, url, expected, Integrity.parse(""), dir, safeSegment(file), "npmRegistry");
  }

  private FetchResult downloadPypi(PackageRef ref, Integrity expected, Path dir)
      throws IOException, InterruptedException {
    URI meta =
        URI.create(
            base(settings.pypiRegistry())
                + "/pypi/"
                + urlSegment(ref.name())
                + "/"
                + urlSegment(ref.version())
                + "/json");
    HttpResponse<InputStream> resp = send(meta);
    byte[] body;
    try (InputStream in = resp.body()) {
      if (resp.statusCode() != 200) {
        return new Failed(ref, httpProblem(meta, resp.statusCode(), "pypiRegistry"));
      }
      body = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, settings.maxMetadataBytes() + 1));
    }
    if (body.length > settings.maxMetadataBytes()) {
      return new Failed(
          ref,
          "registry metadata at "
              + meta
              + " is larger than maxMetadataBytes ("
              + settings.maxMetadataBytes()
              + "); raise the setting if this is expected");
    }
    JsonNode urls;
    try {
      urls = JSON.readTree(body).path("urls");
    } catch (IOException e) {
      return new Failed(ref, "registry metadata at " + meta + " is not JSON: " + e.getMessage());
    }
    JsonNode chosen = choosePypiFile(urls, expected);
    if (chosen == null) {
      return new Failed(
          ref,
          "PyPI lists no downloadable sdist or wheel for "
              + ref.name()
              + " "
              + ref.version()
              + " at "
              + meta);
    }
    String url = chosen.path("url").asText("");
    String filename = chosen.path("filename").asText("");
    if (filename.isEmpty()) {
      filename = url.substring(url.lastIndexOf('/') + 1);
    }
    URI fileUri;
    try {
      fileUri = meta.resolve(url);
    } catch (IllegalArgumentException e) {
      return new Failed(ref, "PyPI metadata at " + meta + " has a bad file URL: " + url);
    }
    String scheme = fileUri.getScheme() == null ? "" : fileUri.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("https") && !scheme.equals("http")) {
      return new Failed(
          ref,
          "PyPI metadata at "
              + meta
              + " points the download at '"
              + url
              + "', which is not an http(s) URL; refused");
    }
    String sha256 = chosen.path("digests").path("sha256").asText("");
    Integrity registry =
        sha256.isEmpty() ? Integrity.parse("") : Integrity.parse("sha256:" + sha256);
    return downloadTo(ref, fileUri, expected, registry, dir, safeSegment(filename), "pypiRegistry");
  }

  /** Prefers a file whose digest the lockfile names, then an sdist, then a pure wheel, then any. */
  private static JsonNode choosePypiFile(JsonNode urls, Integrity expected) {
    JsonNode sdist = null;
    JsonNode pureWheel = null;
    JsonNode anyWheel = null;
    for (JsonNode u : urls) {
      if (!u.path("url").isTextual()) {
        continue;
      }
      String sha = u.path("digests").path("sha256").asText("");
      for (Integrity.Digest d : expected.digests()) {
        if (d.algorithm().equals("sha256") && HexFormat.of().formatHex(d.value()).equals(sha)) {
          return u;
        }
      }
      String type = u.path("packagetype").asText("");
      String fn = u.path("filename").asText(u.path("url").asText());
      if (type.equals("sdist") && sdist == null) {
        sdist = u;
      } else if (type.equals("bdist_wheel")) {
        if (fn.endsWith("-none-any.whl") && pureWheel == null) {
          pureWheel = u;
        } else if (anyWheel == null) {
          anyWheel = u;
        }
      }
    }
    return sdist != null ? sdist : pureWheel != null ? pureWheel : anyWheel;
  }

  private FetchResult downloadMaven(PackageRef ref, Integrity expected, Path dir)
      throws IOException, InterruptedException {
    int colon = ref.name().indexOf(':');
    if (colon <= 0 || colon == ref.name().length() - 1) {
      return new Failed(
          ref, "Maven package name must be groupId:artifactId, was '" + ref.name() + "'");
    }
    String group = ref.name().substring(0, colon);
    String artifact = ref.name().substring(colon + 1);
    StringBuilder path = new StringBuilder(base(settings.mavenRepository()));
    for (String g : group.split("\\.")) {
      path.append('/').append(urlSegment(g));
    }
    String file = artifact + "-" + ref.version() + ".jar";
    path.append('/')
        .append(urlSegment(artifact))
        .append('/')
        .append(urlSegment(ref.version()))
        .append('/')
        .append(urlSegment(file));
    URI jar = URI.create(path.toString());
    Integrity registry = Integrity.parse("");
    HttpResponse<InputStream> sha = send(URI.create(jar + ".sha1"));
    try (InputStream in = sha.body()) {
      if (sha.statusCode() == 200) {
        String text = new String(in.readNBytes(256), StandardCharsets.US_ASCII).trim();
        int space = text.indexOf(' ');
        registry = Integrity.parse("sha1:" + (space > 0 ? text.substring(0, space) : text));
      }
    }
    return downloadTo(ref, jar, expected, registry, dir, safeSegment(file), "mavenRepository");
  }

  private HttpResponse<InputStream> send(URI uri) throws IOException, InterruptedException {
    HttpRequest req =
        HttpRequest.newBuilder(uri)
            .timeout(settings.requestTimeout())
            .header("User-Agent", USER_AGENT)
            .GET()
            .build();
    return http.send(req, HttpResponse.BodyHandlers.ofInputStream());
  }

  private static String httpProblem(URI url, int status, String setting) {
    if (status == 404) {
      return "not found at "
          + url
          + " (HTTP 404): check the name and version, or the "
          + setting
          + " setting if you use a mirror";
    }
    return "registry answered HTTP "
        + status
        + " for "
        + url
        + "; try again later or set "
        + setting
        + " to a mirror";
  }

  private FetchResult downloadTo(
      PackageRef ref,
      URI url,
      Integrity expected,
      Integrity registry,
      Path dir,
      String fileName,
      String setting)
      throws IOException, InterruptedException {
    HttpResponse<InputStream> resp;
    try {
      resp = send(url);
    } catch (IOException e) {
      return new Failed(
          ref,
          "could not download "
              + url
              + ": "
              + e
              + "; check the network or the "
              + setting
              + " setting, or use --offline with a filled cache");
    }
    Files.createDirectories(dir);
    Path tmp = Files.createTempFile(dir, "download-", ".part");
    try {
      long max = settings.maxArchiveBytes();
      try (InputStream in = resp.body()) {
        if (resp.statusCode() != 200) {
          return new Failed(ref, httpProblem(url, resp.statusCode(), setting));
        }
        long declared = resp.headers().firstValueAsLong("Content-Length").orElse(-1);
        if (declared > max) {
          return new Failed(ref, tooLarge(url, declared));
        }
        long total = 0;
        byte[] buf = new byte[64 * 1024];
        try (OutputStream out = Files.newOutputStream(tmp)) {
          int n;
          while ((n = in.read(buf)) > 0) {
            total += n;
            if (total > max) {
              return new Failed(ref, tooLarge(url, total));
            }
            out.write(buf, 0, n);
          }
        }
      }
      Verification v = verify(tmp, expected.plus(registry));
      if (v.mismatch() != null) {
        return new Failed(
            ref,
            "integrity mismatch for "
                + url
                + ": "
                + v.mismatch()
                + "; the archive was not kept. The package may have been replaced or tampered"
                + " with; do not install it until the difference is explained");
      }
      Path target = dir.resolve(fileName);
      Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      return new Fetched(ref, target, Origin.REGISTRY, v.matched());
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  private String tooLarge(URI url, long bytes) {
    return "archive at "
        + url
        + " is larger than maxArchiveBytes ("
        + settings.maxArchiveBytes()
        + ", saw at least "
        + bytes
        + " bytes); raise the setting if this package is expected to be that big";
  }

  // ---- verification ------------------------------------------------------------------------

  private record Verification(boolean matched, String mismatch) {}

  /**
   * Checks a file against every expected digest, grouped by algorithm: an algorithm matches when
   * any of its digests equals the file's; a mismatch is any algorithm with none matching.
   */
  private static Verification verify(Path file, Integrity expected) throws IOException {
    if (expected.isEmpty()) {
      return new Verification(false, null);
    }
    Map<String, MessageDigest> digesters = new LinkedHashMap<>();
    for (Integrity.Digest d : expected.digests()) {
      digesters.computeIfAbsent(d.javaName(), Integrity::digester);
    }
    byte[] buf = new byte[64 * 1024];
    try (InputStream in = Files.newInputStream(file)) {
      int n;
      while ((n = in.read(buf)) > 0) {
        for (MessageDigest md : digesters.values()) {
          md.update(buf, 0, n);
        }
      }
    }
    Map<String, byte[]> actual = new LinkedHashMap<>();
    digesters.forEach((k, md) -> actual.put(k, md.digest()));
    Map<String, Boolean> ok = new LinkedHashMap<>();
    for (Integrity.Digest d : expected.digests()) {
      boolean eq = MessageDigest.isEqual(actual.get(d.javaName()), d.value());
      ok.merge(d.javaName(), eq, Boolean::logicalOr);
    }
    for (Map.Entry<String, Boolean> e : ok.entrySet()) {
      if (!e.getValue()) {
        String alg = e.getKey().toLowerCase(Locale.ROOT).replace("-", "");
        StringBuilder want = new StringBuilder();
        for (Integrity.Digest d : expected.digests()) {
          if (d.javaName().equals(e.getKey())) {
            want.append(want.length() == 0 ? "" : " or ").append(d.display());
          }
        }
        return new Verification(
            false,
            "expected "
                + want
                + ", got "
                + alg
                + ":"
                + HexFormat.of().formatHex(actual.get(e.getKey())));
      }
    }
    return new Verification(true, null);
  }
}
