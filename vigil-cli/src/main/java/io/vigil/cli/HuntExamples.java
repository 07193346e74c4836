package io.vigil.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * The starter rules and the example log that ship inside the jar, so that {@code vigil hunt} with
 * no arguments shows what a hunt looks like. Both were written for Vigil (not copied from SigmaHQ).
 */
final class HuntExamples {
  private static final String DIR = "/io/vigil/cli/examples/";

  /** How the example log is named in output. */
  static final String EXAMPLE_LOG = "examples/windows-example.jsonl";

  private HuntExamples() {}

  /** The example log, as a stream. */
  static InputStream exampleLog() {
    return open(DIR + "windows-example.jsonl");
  }

  /**
   * Copies the starter rules to a new temporary directory (the engine reads rule files) and returns
   * it; the caller deletes it with {@link #delete(Path)}.
   */
  static Path starterRules() throws IOException {
    Path dir = Files.createTempDirectory("vigil-starter-rules");
    for (String name : ruleNames()) {
      try (InputStream in = open(DIR + "rules/" + name)) {
        Files.copy(in, dir.resolve(name));
      }
    }
    return dir;
  }

  /** The starter rule file names, from the index beside them. */
  static List<String> ruleNames() throws IOException {
    List<String> names = new ArrayList<>();
    try (InputStream in = open(DIR + "rules/INDEX")) {
      for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
        String name = line.strip();
        if (!name.isEmpty() && !name.startsWith("#")) {
          names.add(name);
        }
      }
    }
    return names;
  }

  static void delete(Path dir) {
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      // a temporary directory left behind is harmless
    }
  }

  private static InputStream open(String resource) {
    InputStream in = HuntExamples.class.getResourceAsStream(resource);
    if (in == null) {
      throw new UncheckedIOException(
          new IOException(
              "the resource "
                  + resource
                  + " is missing from the vigil jar; rebuild it (./mvnw -pl vigil-cli -am"
                  + " install)"));
    }
    return in;
  }
}
