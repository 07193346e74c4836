package io.vigil.cli;

import io.vigil.detect.LoadOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** Options that change how Sigma rules load, shared by {@code hunt}, {@code rules check/test}. */
final class RuleLoadOptions {
  @Option(
      names = "--mapping",
      paramLabel = "FILE",
      description = "Extra log-source and field mapping file (repeat for more).")
  List<Path> mappings = new ArrayList<>();

  @Option(
      names = "--placeholders",
      paramLabel = "FILE",
      description = "YAML map of values for |expand placeholders.")
  Path placeholders;

  /**
   * The engine's load options for these flags.
   *
   * @throws IllegalArgumentException with a message that names the file, what was wrong and what to
   *     give instead
   */
  LoadOptions resolve() {
    for (Path p : mappings) {
      String why = unreadable(p);
      if (why != null) {
        throw new IllegalArgumentException(
            "cannot read mapping file "
                + p
                + ": "
                + why
                + ". Give a mapping YAML file (format in docs/SIGMA.md).");
      }
    }
    LoadOptions options = LoadOptions.defaults().withMappingFiles(mappings);
    if (placeholders == null) {
      return options;
    }
    String why = unreadable(placeholders);
    if (why == null) {
      try {
        return options.withPlaceholders(LoadOptions.readPlaceholders(placeholders));
      } catch (IOException | IllegalArgumentException e) {
        why = e.getMessage();
      }
    }
    throw new IllegalArgumentException(
        "cannot read placeholders "
            + placeholders
            + ": "
            + why
            + ". Give a YAML map of placeholder names to lists of values, e.g."
            + " 'Admins: [alice, bob]'.");
  }

  /** Why a path cannot be read, or null when it can. */
  static String unreadable(Path p) {
    if (!Files.exists(p)) {
      return "no such file or directory";
    }
    if (!Files.isReadable(p)) {
      return "permission denied";
    }
    return null;
  }
}
