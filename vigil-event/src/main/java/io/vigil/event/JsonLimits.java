package io.vigil.event;

/**
 * Limits on one JSON event, each a named setting with a safe default; an event over a limit is
 * rejected with an error that names the setting to raise.
 *
 * @param maxEventChars longest event text accepted ({@code json.max-event-chars})
 * @param maxDepth deepest nesting of objects and arrays ({@code json.max-depth})
 * @param maxFields most keys in one event ({@code json.max-fields})
 */
public record JsonLimits(int maxEventChars, int maxDepth, int maxFields) {
  /** 8 MiB of text, 64 levels, 100,000 keys: far beyond real Windows, cloud and network events. */
  public static final JsonLimits DEFAULT = new JsonLimits(8 << 20, 64, 100_000);

  public JsonLimits {
    if (maxEventChars < 2 || maxDepth < 1 || maxFields < 1) {
      throw new IllegalArgumentException(
          "JSON limits must be positive (json.max-event-chars >= 2, json.max-depth >= 1,"
              + " json.max-fields >= 1)");
    }
  }
}
