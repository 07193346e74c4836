package io.vigil.scan.lockfile;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Reads lockfiles and manifests into the packages they name: {@code package-lock.json} and {@code
 * npm-shrinkwrap.json} (v1–v3), {@code yarn.lock} (v1 and Berry), {@code pnpm-lock.yaml} (v5, v6,
 * v9), pip requirements files, {@code poetry.lock}, {@code Pipfile.lock}, {@code pom.xml}, {@code
 * gradle.lockfile} and CycloneDX JSON SBOMs. The format is chosen by file name, then by content.
 * Reading never stops at the first problem: every problem is listed with file and line (or JSON
 * pointer), and whatever could be read is returned.
 *
 * <pre>{@code
 * LockfileResult r = Lockfiles.read(Path.of("package-lock.json"));
 * r.problems().forEach(System.err::println);
 * for (PackageRef p : r.packages()) { ... r.integrityOf(p) ... }
 * }</pre>
 */
public final class Lockfiles {
  private Lockfiles() {}

  /** The file names {@link #read(Path)} recognizes without looking inside. */
  public static final List<String> KNOWN_NAMES =
      List.of(
          "package-lock.json",
          "npm-shrinkwrap.json",
          "yarn.lock",
          "pnpm-lock.yaml",
          "requirements.txt",
          "poetry.lock",
          "Pipfile.lock",
          "pom.xml",
          "gradle.lockfile",
          "bom.json",
          "*.cdx.json");

  /** Reads with {@link LockfileLimits#DEFAULTS}. */
  public static LockfileResult read(Path file) {
    return read(file, LockfileLimits.DEFAULTS);
  }

  /**
   * Reads one lockfile or manifest. Never throws for bad content or an unreadable file: those are
   * {@link LockfileProblem.Level#ERROR} problems in the result.
   */
  public static LockfileResult read(Path file, LockfileLimits limits) {
    Objects.requireNonNull(file, "file");
    Objects.requireNonNull(limits, "limits");
    Collector c = new Collector(file.toString(), limits);
    String content;
    try {
      if (!Files.isRegularFile(file)) {
        c.error(0, "no such file (or not a regular file); expected a lockfile or manifest");
        return c.result("unknown");
      }
      long size = Files.size(file);
      if (size > limits.maxFileBytes()) {
        c.error(
            0,
            "the file has "
                + size
                + " bytes, more than maxFileBytes ("
                + limits.maxFileBytes()
                + "); raise maxFileBytes if it is a genuine lockfile");
        return c.result("unknown");
      }
      content = new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
    } catch (IOException e) {
      c.error(0, "could not read the file: " + e);
      return c.result("unknown");
    }
    if (content.startsWith("\uFEFF")) {
      content = content.substring(1);
    }
    Format format = detect(file, content);
    String described =
        switch (format) {
          case NPM -> NpmLockReader.read(content, c);
          case YARN -> YarnLockReader.read(content, c);
          case PNPM -> PnpmLockReader.read(content, c);
          case REQUIREMENTS -> RequirementsReader.read(file, content, c);
          case POETRY -> PoetryLockReader.read(content, c);
          case PIPFILE -> PipfileLockReader.read(content, c);
          case POM -> PomReader.read(file, content, c);
          case GRADLE -> GradleLockReader.read(content, c);
          case CYCLONEDX -> CycloneDxReader.read(content, c);
          case UNKNOWN -> {
            c.error(
                0,
                "not a lockfile or manifest Vigil reads; expected one of "
                    + String.join(", ", KNOWN_NAMES)
                    + " (by name or content)");
            yield "unknown";
          }
        };
    return c.result(described);
  }

  /** True when {@link #read(Path)} would recognize the file by its name alone. */
  public static boolean isLockfileName(Path file) {
    return byName(file.getFileName() == null ? "" : file.getFileName().toString())
        != Format.UNKNOWN;
  }

  enum Format {
    NPM,
    YARN,
    PNPM,
    REQUIREMENTS,
    POETRY,
    PIPFILE,
    POM,
    GRADLE,
    CYCLONEDX,
    UNKNOWN
  }

  static Format detect(Path file, String content) {
    Format f = byName(file.getFileName() == null ? "" : file.getFileName().toString());
    return f != Format.UNKNOWN ? f : byContent(content);
  }

  static Format byName(String name) {
    String n = name.toLowerCase(Locale.ROOT);
    if (n.equals("package-lock.json")
        || n.equals("npm-shrinkwrap.json")
        || n.equals(".package-lock.json")) {
      return Format.NPM;
    }
    if (n.equals("yarn.lock")) {
      return Format.YARN;
    }
    if (n.equals("pnpm-lock.yaml") || n.equals("pnpm-lock.yml")) {
      return Format.PNPM;
    }
    if (n.equals("poetry.lock")) {
      return Format.POETRY;
    }
    if (n.equals("pipfile.lock")) {
      return Format.PIPFILE;
    }
    if (n.equals("pom.xml") || n.endsWith(".pom")) {
      return Format.POM;
    }
    if (n.endsWith(".lockfile")) {
      return Format.GRADLE;
    }
    if (n.endsWith(".cdx.json")
        || n.equals("bom.json")
        || n.equals("sbom.json")
        || n.endsWith(".cyclonedx.json")) {
      return Format.CYCLONEDX;
    }
    if ((n.startsWith("requirements")
            || n.endsWith("requirements.txt")
            || n.startsWith("constraints"))
        && (n.endsWith(".txt") || n.endsWith(".in") || n.endsWith(".pip"))) {
      return Format.REQUIREMENTS;
    }
    return Format.UNKNOWN;
  }

  static Format byContent(String content) {
    String head = content.length() > 4096 ? content.substring(0, 4096) : content;
    String t = head.stripLeading();
    if (t.startsWith("{")) {
      if (head.contains("\"bomFormat\"")) {
        return Format.CYCLONEDX;
      }
      if (head.contains("\"lockfileVersion\"")) {
        return Format.NPM;
      }
      if (head.contains("\"_meta\"")
          && (head.contains("\"default\"")
              || head.contains("\"develop\"")
              || head.contains("pipfile-spec"))) {
        return Format.PIPFILE;
      }
      return Format.UNKNOWN;
    }
    if (t.startsWith("<")) {
      return head.contains("<project") ? Format.POM : Format.UNKNOWN;
    }
    if (head.contains("# yarn lockfile v1") || head.contains("__metadata:")) {
      return Format.YARN;
    }
    if (head.contains("lockfileVersion:")) {
      return Format.PNPM;
    }
    if (head.contains("[[package]]")) {
      return Format.POETRY;
    }
    if (head.contains("Gradle") && head.contains("dependency-locking")) {
      return Format.GRADLE;
    }
    return Format.UNKNOWN;
  }
}
