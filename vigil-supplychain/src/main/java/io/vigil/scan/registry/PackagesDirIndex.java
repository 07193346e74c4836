package io.vigil.scan.registry;

import io.vigil.scan.Ecosystem;
import io.vigil.scan.PackageRef;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A directory of package archives, indexed once by the names and versions their file names can
 * mean: {@code name-1.0.0.tgz} and {@code scope-name-1.0.0.tgz} (npm pack), {@code
 * name-1.0.tar.gz}, {@code .zip} and {@code name-1.0-py3-none-any.whl} (PyPI), {@code
 * artifact-1.0.jar} and {@code group__artifact-1.0.jar} (Maven). Subdirectories are searched to a
 * depth of {@value #MAX_DEPTH}.
 */
final class PackagesDirIndex {
  static final int MAX_DEPTH = 3;

  private final Path dir;
  private Map<String, Path> index;

  PackagesDirIndex(Path dir) {
    this.dir = dir;
  }

  synchronized Path find(PackageRef ref) {
    if (index == null) {
      index = build();
    }
    return switch (ref.ecosystem()) {
      case NPM -> {
        String n = ref.name().toLowerCase(Locale.ROOT);
        Path p = index.get(key(Ecosystem.NPM, n.replace("@", "").replace('/', '-'), ref.version()));
        if (p == null && n.contains("/")) {
          p = index.get(key(Ecosystem.NPM, n.substring(n.indexOf('/') + 1), ref.version()));
        }
        yield p;
      }
      case PYPI -> index.get(key(Ecosystem.PYPI, pep503(ref.name()), ref.version()));
      case MAVEN -> {
        String n = ref.name();
        Path p = index.get(key(Ecosystem.MAVEN, n.replace(":", "__"), ref.version()));
        if (p == null && n.contains(":")) {
          p = index.get(key(Ecosystem.MAVEN, n.substring(n.indexOf(':') + 1), ref.version()));
        }
        yield p;
      }
    };
  }

  private static String key(Ecosystem e, String name, String version) {
    return e.name() + "\u0000" + name.toLowerCase(Locale.ROOT) + "\u0000" + version;
  }

  static String pep503(String name) {
    return name.toLowerCase(Locale.ROOT).replaceAll("[-_.]+", "-");
  }

  private Map<String, Path> build() {
    Map<String, Path> out = new HashMap<>();
    if (!Files.isDirectory(dir)) {
      return out;
    }
    try (Stream<Path> files = Files.walk(dir, MAX_DEPTH)) {
      files
          .filter(Files::isRegularFile)
          .sorted()
          .forEach(
              p -> {
                String f = p.getFileName().toString();
                String lower = f.toLowerCase(Locale.ROOT);
                if (lower.endsWith(".whl")) {
                  String[] parts = f.substring(0, f.length() - 4).split("-");
                  if (parts.length >= 3) {
                    out.putIfAbsent(key(Ecosystem.PYPI, pep503(parts[0]), parts[1]), p);
                  }
                  return;
                }
                String stem;
                Ecosystem[] ecos;
                if (lower.endsWith(".tgz")) {
                  stem = f.substring(0, f.length() - 4);
                  ecos = new Ecosystem[] {Ecosystem.NPM};
                } else if (lower.endsWith(".tar.gz")) {
                  stem = f.substring(0, f.length() - 7);
                  ecos = new Ecosystem[] {Ecosystem.PYPI, Ecosystem.NPM};
                } else if (lower.endsWith(".zip")) {
                  stem = f.substring(0, f.length() - 4);
                  ecos = new Ecosystem[] {Ecosystem.PYPI};
                } else if (lower.endsWith(".jar")) {
                  stem = f.substring(0, f.length() - 4);
                  ecos = new Ecosystem[] {Ecosystem.MAVEN};
                } else {
                  return;
                }
                // every "-<digit>" may start the version
                for (int i = 1; i < stem.length() - 1; i++) {
                  if (stem.charAt(i) == '-' && Character.isDigit(stem.charAt(i + 1))) {
                    String name = stem.substring(0, i);
                    String version = stem.substring(i + 1);
                    for (Ecosystem e : ecos) {
                      String n = e == Ecosystem.PYPI ? pep503(name) : name;
                      out.putIfAbsent(key(e, n, version), p);
                    }
                  }
                }
              });
    } catch (IOException e) {
      throw new UncheckedIOException("could not list the packages directory " + dir, e);
    }
    return out;
  }
}
