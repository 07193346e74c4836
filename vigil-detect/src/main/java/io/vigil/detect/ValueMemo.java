package io.vigil.detect;

/**
 * The candidate rules a field's automata mark for a string value, remembered per value: event
 * streams repeat the same values (the same image paths, loaded DLLs, registry keys, call stacks)
 * far more often than they bring new ones, and a lookup (hash, one table slot, one comparison)
 * costs less than reading the value through up to three automata. A direct-mapped table of
 * immutable entries, read and written without locks by any number of threads (a lost race only
 * means a value is scanned again). It switches itself off for a field whose values rarely repeat
 * (hashes, command lines with unique arguments): after {@link #TRIAL} lookups with fewer than a
 * quarter hits, the field is scanned directly from then on.
 */
final class ValueMemo {
  /** Values longer than this are always scanned (hashing and keeping them costs too much). */
  static final int MAX_LENGTH = 1024;

  static final int SLOTS = 1024;
  static final int TRIAL = 4096;

  /** Characters of values kept at most per field (about 64 KB with Latin-1 strings). */
  static final int BUDGET = 64 * 1024;

  private record Entry(String value, int hash, int[] rules) {}

  private final Entry[] table = new Entry[SLOTS];
  // Counted only during the trial; plain fields, races only blur the counts.
  private int lookups;
  private int hits;
  private boolean off;
  // Characters of the values in the table (plain field: a race may blur it by a few values).
  private int chars;

  /** Whether the memo is still in use for its field. */
  boolean on() {
    return !off;
  }

  /** The rules marked for the value, or null when it is not known. */
  int[] get(String value) {
    int h = value.hashCode();
    Entry e = table[slot(h)];
    boolean hit = e != null && e.hash == h && e.value.equals(value);
    if (lookups < TRIAL) {
      lookups++;
      if (hit) {
        hits++;
      }
      if (lookups == TRIAL && hits < TRIAL / 4) {
        off = true;
      }
    }
    return hit ? e.rules : null;
  }

  void put(String value, int[] rules) {
    int h = value.hashCode();
    int i = slot(h);
    Entry old = table[i];
    int size = chars - (old == null ? 0 : old.value.length()) + value.length();
    if (size <= BUDGET) {
      table[i] = new Entry(value, h, rules);
      chars = size;
    }
  }

  /** Characters of the values kept. */
  int chars() {
    return chars;
  }

  private static int slot(int h) {
    h *= 0x9E3779B9;
    return (h ^ (h >>> 15)) & (SLOTS - 1);
  }

  /** For measurements: lookups and hits of the trial, and whether the memo is on. */
  String stats() {
    return hits + "/" + lookups + (off ? " off" : " on");
  }
}
