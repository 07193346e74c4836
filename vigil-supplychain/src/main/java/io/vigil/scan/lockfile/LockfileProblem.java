package io.vigil.scan.lockfile;

import java.util.Objects;

/**
 * Something a lockfile reader could not use: a malformed entry (an {@link Level#ERROR}) or a
 * dependency it read but cannot check, such as an unpinned requirement (a {@link Level#WARNING}).
 *
 * @param level how serious it is
 * @param file the lockfile (or included file) it was seen in
 * @param line the 1-based line, or 0 when the format has no useful line (a JSON pointer is then
 *     part of the message)
 * @param message what was seen, what was expected, and what to do
 */
public record LockfileProblem(Level level, String file, int line, String message) {
  /** How serious a problem is. */
  public enum Level {
    /**
     * A dependency that was read but cannot be checked (unpinned, local path, managed elsewhere).
     */
    WARNING,
    /** Input that could not be read as the format says. */
    ERROR
  }

  public LockfileProblem {
    Objects.requireNonNull(level, "level");
    Objects.requireNonNull(file, "file");
    Objects.requireNonNull(message, "message");
  }

  @Override
  public String toString() {
    return file
        + (line > 0 ? ":" + line : "")
        + ": "
        + level.name().toLowerCase(java.util.Locale.ROOT)
        + ": "
        + message;
  }
}
