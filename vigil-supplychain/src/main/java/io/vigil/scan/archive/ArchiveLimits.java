package io.vigil.scan.archive;

/**
 * Limits on hostile archives and directories, each a named setting with a safe default. A package
 * that passes one is refused with an error naming the setting, so an analyst can raise it for a
 * package they trust to be large.
 *
 * @param maxEntries how many entries (files, directories, links) one package may hold
 * @param maxExpandedBytes how many bytes all files of one package may expand to
 * @param maxEntryBytes how many bytes one file may expand to
 * @param maxPathLength how many characters one entry name may have
 */
public record ArchiveLimits(
    int maxEntries, long maxExpandedBytes, long maxEntryBytes, int maxPathLength) {

  /** 20,000 entries, 512 MiB expanded, 64 MiB per file, 1,024-character names. */
  public static final ArchiveLimits DEFAULTS =
      new ArchiveLimits(20_000, 512L << 20, 64L << 20, 1_024);

  public ArchiveLimits {
    positive("maxEntries", maxEntries);
    positive("maxExpandedBytes", maxExpandedBytes);
    positive("maxEntryBytes", maxEntryBytes);
    positive("maxPathLength", maxPathLength);
  }

  /** A copy with one setting changed, by its name as written in this record. */
  public ArchiveLimits with(String setting, long value) {
    return switch (setting) {
      case "maxEntries" ->
          new ArchiveLimits(Math.toIntExact(value), maxExpandedBytes, maxEntryBytes, maxPathLength);
      case "maxExpandedBytes" -> new ArchiveLimits(maxEntries, value, maxEntryBytes, maxPathLength);
      case "maxEntryBytes" -> new ArchiveLimits(maxEntries, maxExpandedBytes, value, maxPathLength);
      case "maxPathLength" ->
          new ArchiveLimits(maxEntries, maxExpandedBytes, maxEntryBytes, Math.toIntExact(value));
      default ->
          throw new IllegalArgumentException(
              "unknown archive limit '"
                  + setting
                  + "'; expected one of maxEntries, maxExpandedBytes, maxEntryBytes, maxPathLength");
    };
  }

  private static void positive(String name, long value) {
    if (value <= 0) {
      throw new IllegalArgumentException(name + " must be > 0, was " + value);
    }
  }
}
