package io.vigil.ingest;

import java.util.Locale;

/**
 * Limits on hostile input while reading, each a named setting with a safe default. A record or file
 * over a limit is reported as a {@link ReadProblem} that names the setting to raise.
 *
 * @param maxLineChars longest JSON line, or longest single object of a JSON array or of
 *     concatenated objects, in characters ({@code ingest.max-line-chars}); longer ones are skipped
 * @param maxExpandedBytes most bytes read out of one compressed input (a {@code .gz} file, or all
 *     entries of a {@code .zip} together), the zip-bomb guard ({@code ingest.max-expanded-bytes})
 * @param maxArchiveEntries most entries read from one zip archive ({@code
 *     ingest.max-archive-entries})
 */
public record ReadLimits(int maxLineChars, long maxExpandedBytes, int maxArchiveEntries) {
  /** Setting name of {@link #maxLineChars()}. */
  public static final String MAX_LINE_CHARS = "ingest.max-line-chars";

  /** Setting name of {@link #maxExpandedBytes()}. */
  public static final String MAX_EXPANDED_BYTES = "ingest.max-expanded-bytes";

  /** Setting name of {@link #maxArchiveEntries()}. */
  public static final String MAX_ARCHIVE_ENTRIES = "ingest.max-archive-entries";

  /**
   * 8 MiB per line (the same as the JSON event limit), 16 GiB out of one archive (far beyond real
   * log exports, far below what a zip bomb expands to), 100,000 entries per zip.
   */
  public static final ReadLimits DEFAULT = new ReadLimits(8 << 20, 16L << 30, 100_000);

  public ReadLimits {
    if (maxLineChars < 2 || maxExpandedBytes < 1 || maxArchiveEntries < 1) {
      throw new IllegalArgumentException(
          "read limits must be positive ("
              + MAX_LINE_CHARS
              + " >= 2, "
              + MAX_EXPANDED_BYTES
              + " >= 1, "
              + MAX_ARCHIVE_ENTRIES
              + " >= 1)");
    }
  }

  /**
   * These limits with one setting changed, from text such as {@code 64m}, {@code 2g} or {@code
   * 500000}.
   *
   * @throws IllegalArgumentException naming the setting and the accepted forms when the name or the
   *     value is not understood
   */
  public ReadLimits with(String setting, String value) {
    long v = parseSize(setting, value);
    return switch (setting) {
      case MAX_LINE_CHARS -> new ReadLimits(toInt(setting, v), maxExpandedBytes, maxArchiveEntries);
      case MAX_EXPANDED_BYTES -> new ReadLimits(maxLineChars, v, maxArchiveEntries);
      case MAX_ARCHIVE_ENTRIES -> new ReadLimits(maxLineChars, maxExpandedBytes, toInt(setting, v));
      default ->
          throw new IllegalArgumentException(
              "unknown read limit '"
                  + setting
                  + "'; the settings are "
                  + MAX_LINE_CHARS
                  + ", "
                  + MAX_EXPANDED_BYTES
                  + " and "
                  + MAX_ARCHIVE_ENTRIES);
    };
  }

  private static long parseSize(String setting, String value) {
    String v = value.trim().toLowerCase(Locale.ROOT).replace("_", "");
    long unit = 1;
    if (!v.isEmpty()) {
      switch (v.charAt(v.length() - 1)) {
        case 'k' -> unit = 1L << 10;
        case 'm' -> unit = 1L << 20;
        case 'g' -> unit = 1L << 30;
        case 't' -> unit = 1L << 40;
        default -> unit = 1;
      }
      if (unit != 1) {
        v = v.substring(0, v.length() - 1);
      }
    }
    try {
      long n = Long.parseLong(v);
      if (n < 1) {
        throw new NumberFormatException();
      }
      return Math.multiplyExact(n, unit);
    } catch (NumberFormatException | ArithmeticException e) {
      throw new IllegalArgumentException(
          setting
              + ": '"
              + value
              + "' is not a positive size; give a number, optionally with k, m, g or t (e.g. 64m)");
    }
  }

  private static int toInt(String setting, long v) {
    if (v > Integer.MAX_VALUE - 16) {
      throw new IllegalArgumentException(
          setting + ": " + v + " is too large; the most is " + (Integer.MAX_VALUE - 16));
    }
    return (int) v;
  }
}
