package io.vigil.scan.archive;

import java.util.Objects;

/**
 * An archive entry that was not read because reading it could write or point outside the package: a
 * path with {@code ..}, an absolute path, a symbolic or hard link, a device file.
 *
 * @param name the entry name as stored in the archive
 * @param reason why it was refused, e.g. {@code path-traversal}, {@code absolute-path}, {@code
 *     link}
 * @param detail what was seen, e.g. the link target
 */
public record RefusedEntry(String name, String reason, String detail) {
  public RefusedEntry {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(reason, "reason");
    Objects.requireNonNull(detail, "detail");
  }
}
