package io.vigil.scan.archive;

import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * One regular file of a package, held in memory.
 *
 * @param path the path inside the package with the archive's single top folder (npm's {@code
 *     package/}, an sdist's {@code name-1.0/}) removed, always with {@code /} separators
 * @param bytes the file's content; callers must not change it
 */
public record PackageFile(String path, byte[] bytes) {
  public PackageFile {
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(bytes, "bytes");
  }

  /** The file name after the last {@code /}. */
  public String name() {
    int slash = path.lastIndexOf('/');
    return slash < 0 ? path : path.substring(slash + 1);
  }

  /** The content decoded as UTF-8 (malformed bytes replaced). */
  public String text() {
    return new String(bytes, StandardCharsets.UTF_8);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof PackageFile f
        && f.path.equals(path)
        && java.util.Arrays.equals(f.bytes, bytes);
  }

  @Override
  public int hashCode() {
    return path.hashCode();
  }

  @Override
  public String toString() {
    return path + " (" + bytes.length + " bytes)";
  }
}
