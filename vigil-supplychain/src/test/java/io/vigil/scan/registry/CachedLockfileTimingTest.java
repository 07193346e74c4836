package io.vigil.scan.registry;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.scan.Finding;
import io.vigil.scan.PackageRef;
import io.vigil.scan.lockfile.LockfileResult;
import io.vigil.scan.lockfile.Lockfiles;
import io.vigil.scan.names.NameAnalyzer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A 1,000-entry package-lock.json whose packages are all in the cache: read, fetch (offline, every
 * archive verified against its sha512) and name analysis; prints the timings.
 */
class CachedLockfileTimingTest {
  @TempDir Path tmp;

  @Test
  void fetchAll_thousandCachedPackages_readsVerifiesAndAnalyzesQuickly() throws Exception {
    Path cache = tmp.resolve("cache");
    StringBuilder lock =
        new StringBuilder("{\"name\":\"big\",\"lockfileVersion\":3,\"packages\":{\"\":{}");
    for (int i = 0; i < 1000; i++) {
      String name = "pkg-" + i;
      byte[] tgz = ("archive of " + name + " ").repeat(200).getBytes(StandardCharsets.UTF_8);
      Path dir = cache.resolve("npm").resolve(name).resolve("1.0." + i);
      Files.createDirectories(dir);
      Files.write(dir.resolve(name + "-1.0." + i + ".tgz"), tgz);
      String sri =
          "sha512-"
              + Base64.getEncoder()
                  .encodeToString(MessageDigest.getInstance("SHA-512").digest(tgz));
      lock.append(",\"node_modules/")
          .append(name)
          .append("\":{\"version\":\"1.0.")
          .append(i)
          .append("\",\"integrity\":\"")
          .append(sri)
          .append("\"}");
    }
    lock.append("}}");
    Path file = tmp.resolve("package-lock.json");
    Files.writeString(file, lock, StandardCharsets.UTF_8);
    NameAnalyzer names = NameAnalyzer.defaults();

    long t0 = System.nanoTime();
    LockfileResult r = Lockfiles.read(file);
    long t1 = System.nanoTime();
    List<FetchResult> fetched;
    try (PackageFetcher f =
        PackageFetcher.create(FetchSettings.defaults().withCacheDir(cache).withOffline(true))) {
      fetched = f.fetchAll(r.packages(), r.integrity());
    }
    long t2 = System.nanoTime();
    List<Finding> findings = new ArrayList<>();
    for (PackageRef p : r.packages()) {
      findings.addAll(names.analyze(p));
    }
    long t3 = System.nanoTime();
    System.out.printf(
        "1000-entry package-lock.json: read %d ms, fetch from cache with sha512 check %d ms,"
            + " name analysis %d ms%n",
        (t1 - t0) / 1_000_000, (t2 - t1) / 1_000_000, (t3 - t2) / 1_000_000);

    assertThat(r.packages()).hasSize(1000);
    assertThat(fetched)
        .allSatisfy(
            x ->
                assertThat(x)
                    .isInstanceOfSatisfying(
                        FetchResult.Fetched.class, ok -> assertThat(ok.verified()).isTrue()));
  }
}
