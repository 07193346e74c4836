package io.vigil.detect;

import java.util.List;

/**
 * A Sigma field name resolved to the event paths it may live at, tried in order (first present
 * wins). Slots are assigned once the rule set's schema is built; equal path lists share one
 * instance.
 */
final class Field {
  /**
   * Stands for "any value of the event" in keyword atoms ({@link AtomIndex}); it has no path, and
   * buckets answer its atoms by scanning the event's raw JSON text.
   */
  static final Field KEYWORDS = new Field("<keywords>", List.of());

  final String name;
  final List<String> paths;
  int[] slots = new int[0];

  Field(String name, List<String> paths) {
    this.name = name;
    this.paths = List.copyOf(paths);
  }

  /** The value at the first present path, or null; leaves that slot in {@code ctx.lastSlot}. */
  Object get(MatchContext ctx) {
    int[] s = slots;
    int[] map = ctx.slotMap;
    for (int i = 0; i < s.length; i++) {
      Object v;
      if (map == null) {
        v = ctx.event.get(s[i]);
      } else {
        int o = map[s[i]];
        v = o >= 0 ? ctx.event.get(o) : ctx.event.get(paths.get(i));
      }
      if (v != null) {
        ctx.lastSlot = s[i];
        return v;
      }
    }
    ctx.lastSlot = -1;
    return null;
  }

  /** The path the value was found at (for explanations), or null when missing. */
  String foundPath(MatchContext ctx) {
    if (get(ctx) == null) {
      return null;
    }
    for (int i = 0; i < slots.length; i++) {
      if (slots[i] == ctx.lastSlot) {
        return paths.get(i);
      }
    }
    return null;
  }
}
