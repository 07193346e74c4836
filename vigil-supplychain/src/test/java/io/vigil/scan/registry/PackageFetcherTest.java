package io.vigil.scan.registry;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.vigil.scan.Ecosystem;
import io.vigil.scan.PackageRef;
import io.vigil.scan.registry.FetchResult.Failed;
import io.vigil.scan.registry.FetchResult.Fetched;
import io.vigil.scan.registry.FetchResult.Origin;
import io.vigil.testing.SharedData;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Fetch tests against a fake registry on 127.0.0.1 (port 0): npm, PyPI JSON API and Maven. */
class PackageFetcherTest {
  @TempDir Path tmp;

  private HttpServer server;
  private String base;
  private final Map<String, byte[]> files = new ConcurrentHashMap<>();
  private final List<String> requests = new CopyOnWriteArrayList<>();

  @BeforeEach
  void startFakeRegistry() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.setExecutor(
        Executors.newFixedThreadPool(4, Thread.ofPlatform().name("fake-registry-", 0).factory()));
    server.createContext(
        "/",
        ex -> {
          String path = ex.getRequestURI().getRawPath();
          requests.add(path);
          byte[] body = files.get(path);
          if (body == null) {
            ex.sendResponseHeaders(404, -1);
          } else {
            ex.sendResponseHeaders(200, body.length);
            try (OutputStream out = ex.getResponseBody()) {
              out.write(body);
            }
          }
          ex.close();
        });
    server.start();
    base = "http://127.0.0.1:" + server.getAddress().getPort();
  }

  @AfterEach
  void stop() {
    server.stop(0);
    ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
  }

  private FetchSettings settings() {
    return FetchSettings.defaults()
        .withRegistries(
            URI.create(base + "/npm/"),
            URI.create(base + "/pypi-mirror"),
            URI.create(base + "/maven2"))
        .withCacheDir(tmp.resolve("cache"))
        .withTimeouts(Duration.ofSeconds(5), Duration.ofSeconds(10));
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static String sri(String alg, byte[] data) throws Exception {
    String java = alg.equals("sha1") ? "SHA-1" : "SHA-" + alg.substring(3);
    return alg
        + "-"
        + Base64.getEncoder().encodeToString(MessageDigest.getInstance(java).digest(data));
  }

  private static String hex(String javaAlg, byte[] data) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance(javaAlg).digest(data));
  }

  private static PackageRef npm(String name, String version) {
    return new PackageRef(Ecosystem.NPM, name, version, "package-lock.json#/packages/x");
  }

  @Test
  void fetch_npmWithMatchingIntegrity_downloadsVerifiesAndCaches() throws Exception {
    byte[] tgz = bytes("fake tarball of left-pad");
    files.put("/npm/left-pad/-/left-pad-1.3.0.tgz", tgz);
    try (PackageFetcher f = PackageFetcher.create(settings())) {
      FetchResult r = f.fetch(npm("left-pad", "1.3.0"), sri("sha512", tgz));
      assertThat(r)
          .isInstanceOfSatisfying(
              Fetched.class,
              ok -> {
                assertThat(ok.origin()).isEqualTo(Origin.REGISTRY);
                assertThat(ok.verified()).isTrue();
                assertThat(ok.archive())
                    .startsWith(tmp.resolve("cache"))
                    .hasFileName("left-pad-1.3.0.tgz");
              });
      assertThat(Files.readAllBytes(((Fetched) r).archive())).isEqualTo(tgz);

      FetchResult again = f.fetch(npm("left-pad", "1.3.0"), sri("sha512", tgz));
      assertThat(again)
          .isInstanceOfSatisfying(
              Fetched.class, ok -> assertThat(ok.origin()).isEqualTo(Origin.CACHE));
      assertThat(requests).containsExactly("/npm/left-pad/-/left-pad-1.3.0.tgz");
    }
  }

  @Test
  void fetch_npmIntegrityMismatch_failsAndCachesNothing() throws Exception {
    files.put("/npm/left-pad/-/left-pad-1.3.0.tgz", bytes("tampered"));
    try (PackageFetcher f = PackageFetcher.create(settings())) {
      String expected = sri("sha1", bytes("the original"));
      String actual = hex("SHA-1", bytes("tampered"));
      FetchResult r = f.fetch(npm("left-pad", "1.3.0"), expected);
      assertThat(r)
          .isInstanceOfSatisfying(
              Failed.class,
              fail ->
                  assertThat(fail.reason())
                      .startsWith(
                          "integrity mismatch for "
                              + base
                              + "/npm/left-pad/-/left-pad-1.3.0.tgz: expected sha1:")
                      .contains(", got sha1:" + actual)
                      .endsWith("do not install it until the difference is explained"));
    }
    try (Stream<Path> s = Files.walk(tmp.resolve("cache"))) {
      assertThat(s.filter(Files::isRegularFile)).isEmpty();
    }
  }

  @Test
  void fetch_scopedNpmPackage_usesScopedTarballPath() throws Exception {
    files.put("/npm/@babel/core/-/core-7.26.0.tgz", bytes("babel"));
    try (PackageFetcher f = PackageFetcher.create(settings())) {
      assertThat(f.fetch(npm("@babel/core", "7.26.0"))).isInstanceOf(Fetched.class);
    }
  }

  @Test
  void fetch_pypi_readsJsonApiPrefersSdistAndChecksDigests() throws Exception {
    byte[] sdist = bytes("sdist bytes");
    byte[] wheel = bytes("wheel bytes");
    files.put("/files/requests-2.32.3.tar.gz", sdist);
    files.put("/files/requests-2.32.3-py3-none-any.whl", wheel);
    files.put(
        "/pypi-mirror/pypi/requests/2.32.3/json",
        bytes(
            """
            {"info": {"name": "requests", "version": "2.32.3"},
             "urls": [
              {"filename": "requests-2.32.3-py3-none-any.whl", "packagetype": "bdist_wheel",
               "url": "%s/files/requests-2.32.3-py3-none-any.whl", "digests": {"sha256": "%s"}},
              {"filename": "requests-2.32.3.tar.gz", "packagetype": "sdist",
               "url": "%s/files/requests-2.32.3.tar.gz", "digests": {"sha256": "%s"}}]}
            """
                .formatted(base, hex("SHA-256", wheel), base, hex("SHA-256", sdist))));
    PackageRef ref = new PackageRef(Ecosystem.PYPI, "requests", "2.32.3", "requirements.txt:1");
    try (PackageFetcher f = PackageFetcher.create(settings())) {
      FetchResult r = f.fetch(ref);
      assertThat(r)
          .isInstanceOfSatisfying(
              Fetched.class,
              ok -> {
                assertThat(ok.archive()).hasFileName("requests-2.32.3.tar.gz");
                assertThat(ok.verified()).isTrue();
              });
    }
    // a lockfile hash of the wheel picks the wheel
    Path other = tmp.resolve("cache2");
    try (PackageFetcher f = PackageFetcher.create(settings().withCacheDir(other))) {
      FetchResult r = f.fetch(ref, "sha256:" + hex("SHA-256", wheel));
      assertThat(r)
          .isInstanceOfSatisfying(
              Fetched.class,
              ok -> assertThat(ok.archive()).hasFileName("requests-2.32.3-py3-none-any.whl"));
    }
  }

  @Test
  void fetch_pypiFileNotMatchingRegistryDigest_fails() throws Exception {
    files.put("/files/evil-1.0.tar.gz", bytes("swapped on the mirror"));
    files.put(
        "/pypi-mirror/pypi/evil/1.0/json",
        bytes(
            """
            {"urls": [{"filename": "evil-1.0.tar.gz", "packagetype": "sdist",
              "url": "%s/files/evil-1.0.tar.gz", "digests": {"sha256": "%s"}}]}
            """
                .formatted(base, hex("SHA-256", bytes("original")))));
    try (PackageFetcher f = PackageFetcher.create(settings())) {
      FetchResult r = f.fetch(new PackageRef(Ecosystem.PYPI, "evil", "1.0", "r.txt:1"));
      assertThat(r)
          .isInstanceOfSatisfying(
              Failed.class,
              fail ->
                  assertThat(fail.reason())
                      .startsWith("integrity mismatch for " + base + "/files/evil-1.0.tar.gz"));
    }
  }

  @Test
  void fetch_pypiMetadataPointingAtLocalFile_isRefused() throws Exception {
    files.put(
        "/pypi-mirror/pypi/sneaky/1.0/json",
        bytes(
            """
            {"urls": [{"filename": "passwd", "packagetype": "sdist",
              "url": "file:///etc/passwd", "digests": {"sha256": "00"}}]}
            """));
    try (PackageFetcher f = PackageFetcher.create(settings())) {
      FetchResult r = f.fetch(new PackageRef(Ecosystem.PYPI, "sneaky", "1.0", "r.txt:1"));
      assertThat(r)
          .isInstanceOfSatisfying(
              Failed.class,
              fail ->
                  assertThat(fail.reason())
                      .endsWith(
                          "points the download at 'file:///etc/passwd', which is not an http(s) URL; refused"));
    }
  }

  @Test
  void fetch_maven_downloadsJarAndChecksSha1File() throws Exception {
    byte[] jar = bytes("PK fake jar");
    String dir = "/maven2/org/apache/commons/commons-text/1.9/";
    files.put(dir + "commons-text-1.9.jar", jar);
    files.put(
        dir + "commons-text-1.9.jar.sha1", bytes(hex("SHA-1", jar) + "  commons-text-1.9.jar\n"));
    PackageRef ref =
        new PackageRef(Ecosystem.MAVEN, "org.apache.commons:commons-text", "1.9", "pom.xml:3");
    try (PackageFetcher f = PackageFetcher.create(settings())) {
      assertThat(f.fetch(ref))
          .isInstanceOfSatisfying(Fetched.class, ok -> assertThat(ok.verified()).isTrue());
    }
    files.put(dir + "commons-text-1.9.jar", bytes("PK replaced jar"));
    try (PackageFetcher f = PackageFetcher.create(settings().withCacheDir(tmp.resolve("c2")))) {
      assertThat(f.fetch(ref))
          .isInstanceOfSatisfying(
              Failed.class, fail -> assertThat(fail.reason()).contains("integrity mismatch"));
    }
  }

  @Test
  void fetchAll_offlineWithEmptyCache_reportsEachMissingPackageWithoutNetwork() {
    try (PackageFetcher f = PackageFetcher.create(settings().withOffline(true))) {
      List<FetchResult> r = f.fetchAll(List.of(npm("a", "1.0.0"), npm("b", "2.0.0")), Map.of());
      assertThat(r).hasSize(2).allMatch(x -> x instanceof Failed);
      assertThat(((Failed) r.get(1)).reason())
          .startsWith(
              "not in the cache (offline): "
                  + tmp.resolve("cache").resolve("npm").resolve("b").resolve("2.0.0"))
          .endsWith("has no archive; run once without --offline, or give a packages directory");
      assertThat(requests).isEmpty();
    }
  }

  @Test
  void fetch_offlineAfterOnlineFetch_servesFromCache() throws Exception {
    files.put("/npm/ms/-/ms-2.1.3.tgz", bytes("ms"));
    try (PackageFetcher f = PackageFetcher.create(settings())) {
      assertThat(f.fetch(npm("ms", "2.1.3"))).isInstanceOf(Fetched.class);
    }
    server.stop(0);
    try (PackageFetcher f = PackageFetcher.create(settings().withOffline(true))) {
      assertThat(f.fetch(npm("ms", "2.1.3"), sri("sha512", bytes("ms"))))
          .isInstanceOfSatisfying(
              Fetched.class,
              ok -> {
                assertThat(ok.origin()).isEqualTo(Origin.CACHE);
                assertThat(ok.verified()).isTrue();
              });
      assertThat(f.fetch(npm("ms", "2.1.3"), sri("sha512", bytes("other"))))
          .isInstanceOfSatisfying(
              Failed.class,
              fail -> assertThat(fail.reason()).contains("does not match the lockfile"));
    }
  }

  @Test
  void fetch_notOnRegistry_reports404WithUrlAndSetting() {
    try (PackageFetcher f = PackageFetcher.create(settings())) {
      assertThat(f.fetch(npm("does-not-exist", "1.0.0")))
          .isInstanceOfSatisfying(
              Failed.class,
              fail ->
                  assertThat(fail.reason())
                      .isEqualTo(
                          "not found at "
                              + base
                              + "/npm/does-not-exist/-/does-not-exist-1.0.0.tgz (HTTP 404): check"
                              + " the name and version, or the npmRegistry setting if you use a"
                              + " mirror"));
    }
  }

  @Test
  void fetch_archiveOverLimit_failsNamingTheSetting() {
    files.put("/npm/big/-/big-1.0.0.tgz", new byte[5000]);
    try (PackageFetcher f = PackageFetcher.create(settings().withMaxArchiveBytes(1000))) {
      assertThat(f.fetch(npm("big", "1.0.0")))
          .isInstanceOfSatisfying(
              Failed.class,
              fail -> assertThat(fail.reason()).contains("is larger than maxArchiveBytes (1000"));
    }
  }

  @Test
  void fetch_unreachableRegistry_failsWithWhatToDo() throws IOException {
    int port;
    try (var s = new java.net.ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    FetchSettings st =
        settings()
            .withRegistries(
                URI.create("http://127.0.0.1:" + port), URI.create(base), URI.create(base));
    try (PackageFetcher f = PackageFetcher.create(st)) {
      assertThat(f.fetch(npm("x", "1.0.0")))
          .isInstanceOfSatisfying(
              Failed.class,
              fail ->
                  assertThat(fail.reason())
                      .startsWith(
                          "could not download http://127.0.0.1:" + port + "/x/-/x-1.0.0.tgz: ")
                      .endsWith(
                          "check the network or the npmRegistry setting, or use --offline with a filled cache"));
    }
  }

  @Test
  void fetch_unpinnedPackage_failsSayingThereIsNoVersion() {
    try (PackageFetcher f = PackageFetcher.create(settings())) {
      assertThat(f.fetch(new PackageRef(Ecosystem.PYPI, "numpy", "", "requirements.txt:4")))
          .isInstanceOfSatisfying(
              Failed.class,
              fail ->
                  assertThat(fail.reason())
                      .startsWith(
                          "no exact version (the manifest pins none at requirements.txt:4)"));
    }
  }

  @Test
  void fetch_hostileName_staysInsideTheCache() throws Exception {
    files.put("/npm/..%2F..%2Fescape/-/..%2F..%2Fescape-1.0.0.tgz", bytes("x"));
    try (PackageFetcher f = PackageFetcher.create(settings())) {
      Path dir = f.cacheDirFor(npm("../../escape", "../1.0.0"));
      assertThat(dir.normalize().startsWith(tmp.resolve("cache").resolve("npm"))).isTrue();
      assertThat(tmp.resolve("cache").resolve("npm").relativize(dir).getNameCount()).isEqualTo(2);
    }
  }

  @Test
  void fetchAll_manyPackages_resultsInInputOrder() throws Exception {
    List<PackageRef> refs = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      files.put("/npm/p" + i + "/-/p" + i + "-1.0.0.tgz", bytes("p" + i));
      refs.add(npm("p" + i, "1.0.0"));
    }
    try (PackageFetcher f = PackageFetcher.create(settings().withParallelism(4))) {
      List<FetchResult> r = f.fetchAll(refs, Map.of());
      assertThat(r).extracting(FetchResult::ref).containsExactlyElementsOf(refs);
      assertThat(r).allMatch(x -> x instanceof Fetched);
    }
  }

  @Test
  void fetch_packagesDir_findsNpmPypiAndMavenArchivesByFileName() throws Exception {
    Path dir = tmp.resolve("archives");
    Files.createDirectories(dir.resolve("sub"));
    Files.write(dir.resolve("swc-core-1.16.22.tgz"), bytes("swc"));
    Files.write(dir.resolve("sub/typing_extensions-4.12.2-py3-none-any.whl"), bytes("te"));
    Files.write(dir.resolve("org.mockito__mockito-core-5.24.0.jar"), bytes("mock"));
    try (PackageFetcher f =
        PackageFetcher.create(settings().withPackagesDir(dir).withOffline(true))) {
      assertThat(f.fetch(npm("@swc/core", "1.16.22")))
          .isInstanceOfSatisfying(
              Fetched.class, ok -> assertThat(ok.origin()).isEqualTo(Origin.PACKAGES_DIR));
      assertThat(f.fetch(new PackageRef(Ecosystem.PYPI, "typing-extensions", "4.12.2", "x")))
          .isInstanceOf(Fetched.class);
      assertThat(
              f.fetch(new PackageRef(Ecosystem.MAVEN, "org.mockito:mockito-core", "5.24.0", "x")))
          .isInstanceOf(Fetched.class);
      assertThat(f.fetch(npm("@swc/core", "1.16.22"), sri("sha256", bytes("other"))))
          .isInstanceOfSatisfying(
              Failed.class,
              fail ->
                  assertThat(fail.reason())
                      .startsWith("integrity mismatch for " + dir.resolve("swc-core-1.16.22.tgz")));
    }
    assertThat(requests).isEmpty();
  }

  @Test
  void fetch_sharedBenignSamples_matchManifestSha256() throws Exception {
    Path dir = SharedData.require("supplychain-samples/benign-npm");
    List<String> lines = Files.readAllLines(dir.resolve("manifest.tsv"), StandardCharsets.UTF_8);
    int checked = 0;
    try (PackageFetcher f =
        PackageFetcher.create(settings().withPackagesDir(dir).withOffline(true))) {
      for (String line : lines.subList(1, lines.size())) {
        String[] c = line.split("\t", -1);
        FetchResult r = f.fetch(npm(c[0], c[1]), "sha256:" + c[3]);
        assertThat(r)
            .as(line)
            .isInstanceOfSatisfying(Fetched.class, ok -> assertThat(ok.verified()).isTrue());
        checked++;
      }
    }
    assertThat(checked).isGreaterThanOrEqualTo(40);
  }
}
