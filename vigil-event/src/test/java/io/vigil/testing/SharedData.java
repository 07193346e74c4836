package io.vigil.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;

/**
 * Finds the read-only ../shared folder (SigmaHQ rules, datasets, package samples) for tests: from
 * {@code $VIGIL_SHARED}, or as a folder named {@code shared} beside the project root or any of the
 * working directory's ancestors. Tests that need it call {@link #require(String)}, which skips the
 * test with a message when the folder is absent (a user's fresh clone) instead of passing silently.
 */
public final class SharedData {
  private SharedData() {}

  /** The shared folder, when it can be found. */
  public static Optional<Path> root() {
    String env = System.getenv("VIGIL_SHARED");
    if (env != null && !env.isBlank()) {
      Path p = Path.of(env).toAbsolutePath().normalize();
      return Files.isDirectory(p) ? Optional.of(p) : Optional.empty();
    }
    Path dir = Path.of("").toAbsolutePath();
    while (dir != null) {
      Path candidate = dir.resolve("shared");
      if (Files.isDirectory(candidate.resolve("sigma"))
          || Files.isDirectory(candidate.resolve("datasets"))) {
        return Optional.of(candidate);
      }
      dir = dir.getParent();
    }
    return Optional.empty();
  }

  /**
   * A path inside the shared folder; skips the calling test (JUnit assumption) with a message
   * naming what is missing when the folder or the path is absent.
   */
  public static Path require(String relative) {
    Optional<Path> root = root();
    Assumptions.assumeTrue(
        root.isPresent(),
        "skipped: the shared data folder was not found (looked for $VIGIL_SHARED and ../shared);"
            + " this test needs "
            + relative);
    Path p = root.get().resolve(relative);
    Assumptions.assumeTrue(
        Files.exists(p), "skipped: " + p + " is missing from the shared data folder");
    return p;
  }
}
