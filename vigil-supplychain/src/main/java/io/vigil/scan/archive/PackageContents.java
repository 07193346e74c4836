package io.vigil.scan.archive;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The files of one package read into memory, and the entries that were refused.
 *
 * @param source the archive or directory read, for messages
 * @param kind how it was read: {@code tgz}, {@code zip}, {@code directory}
 * @param files the regular files, in archive order
 * @param refused entries that were not read (traversal, links)
 */
public record PackageContents(
    String source, String kind, List<PackageFile> files, List<RefusedEntry> refused) {
  public PackageContents {
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(kind, "kind");
    files = List.copyOf(files);
    refused = List.copyOf(refused);
  }

  /** The file at a path inside the package (after the top folder was removed). */
  public Optional<PackageFile> file(String path) {
    for (PackageFile f : files) {
      if (f.path().equals(path)) {
        return Optional.of(f);
      }
    }
    return Optional.empty();
  }

  /** Files by path, for lookups when following references between files. */
  public Map<String, PackageFile> byPath() {
    Map<String, PackageFile> m = new LinkedHashMap<>();
    for (PackageFile f : files) {
      m.putIfAbsent(f.path(), f);
    }
    return m;
  }
}
