package io.vigil.detect;

import io.vigil.event.Event;
import java.util.Locale;

/**
 * Per-thread scratch state for matching one event: the event, and lower-cased copies of string
 * field values computed at most once per slot per event (stamped with a generation counter so that
 * nothing is cleared or allocated between events).
 */
final class MatchContext {
  Event event;
  int lastSlot = -1;

  /** Our slot to the event schema's slot, when the event was parsed with another schema. */
  int[] slotMap;

  private int generation;
  private String[] lower = new String[0];
  private int[] stamp = new int[0];

  void reset(Event e, int slots) {
    event = e;
    if (lower.length < slots) {
      lower = new String[slots];
      stamp = new int[slots];
    }
    if (++generation == 0) {
      java.util.Arrays.fill(stamp, 0);
      generation = 1;
    }
  }

  /** The lower-case form of a string value read from a slot (-1: not cached). */
  String lower(int slot, String s) {
    if (slot < 0 || slot >= lower.length) {
      return s.toLowerCase(Locale.ROOT);
    }
    if (stamp[slot] == generation) {
      return lower[slot];
    }
    String l = s.toLowerCase(Locale.ROOT);
    lower[slot] = l;
    stamp[slot] = generation;
    return l;
  }
}
