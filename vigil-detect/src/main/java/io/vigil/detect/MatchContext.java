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

  private final java.util.ArrayList<String> keywordOriginal = new java.util.ArrayList<>();
  private final java.util.ArrayList<String> keywordLower = new java.util.ArrayList<>();
  private int keywordGeneration = -1;

  KeywordIndex keywords;
  private int[] scratchFound = new int[0];
  private int[] scratchHits = new int[64];
  private int scanStamp;
  private long[] atomBits = new long[0];

  private long[] readyBits = new long[0];

  /** Scratch marks of a field item's {@link StrIndex}. */
  final long[] testBits = new long[1];

  /** Scratch for the decimal digits of a number being scanned. */
  final char[] digits = new char[24];

  /** Scratch for the values of the fields that route an event. */
  Object[] routeValues = new Object[0];

  private long[] bucketBits = new long[0];

  /** A cleared bit set of at least the given number of words, for a bucket's candidates. */
  long[] bucketBits(int words) {
    return bucketBits = cleared(bucketBits, words);
  }

  /** The array with its first {@code words} words cleared, or a larger new one. */
  private static long[] cleared(long[] bits, int words) {
    if (bits.length < words) {
      return new long[Math.max(words, 2 * bits.length)];
    }
    java.util.Arrays.fill(bits, 0, words, 0L);
    return bits;
  }

  /**
   * While a bucket's candidates are evaluated: per field item id (from {@link #answersFrom}), the
   * bit of each of its tests in {@link #answerBits} (-1: evaluate it), or null; null outside.
   */
  int[][] answers;

  int answersFrom;
  long[] answerBits;

  private long[] memoBits = new long[0];

  /** A cleared bit set of at least the given number of words, for one field's marks. */
  long[] memoBits(int words) {
    return memoBits = cleared(memoBits, words);
  }

  /** The numbers of the bits set in the first {@code words} words, ascending. */
  int[] setBits(long[] bits, int words) {
    int n = 0;
    for (int w = 0; w < words; w++) {
      n += Long.bitCount(bits[w]);
    }
    int[] out = new int[n];
    int k = 0;
    for (int w = 0; w < words; w++) {
      for (long b = bits[w]; b != 0; b &= b - 1) {
        out[k++] = (w << 6) | Long.numberOfTrailingZeros(b);
      }
    }
    return out;
  }

  /** A cleared bit set of the given number of words, for the rules ready to evaluate. */
  long[] readyBits(int words) {
    if (readyBits.length != words) {
      readyBits = new long[words];
    } else {
      java.util.Arrays.fill(readyBits, 0L);
    }
    return readyBits;
  }

  /** A cleared bit set for the atoms of one event. */
  long[] atomBits(int atoms) {
    int words = (atoms + 63) >>> 6;
    if (atomBits.length < words) {
      atomBits = new long[words];
    } else {
      java.util.Arrays.fill(atomBits, 0L);
    }
    return atomBits;
  }

  int[] scratchFound(int size) {
    if (scratchFound.length < size) {
      scratchFound = new int[Math.max(size, scratchFound.length * 2)];
      scanStamp = 0;
    }
    return scratchFound;
  }

  int[] scratchHits() {
    return scratchHits;
  }

  void keepHits(int[] hits) {
    scratchHits = hits;
  }

  /** A fresh stamp for {@link #scratchFound}; the array is cleared when stamps wrap. */
  int nextScanStamp() {
    if (++scanStamp == Integer.MAX_VALUE) {
      java.util.Arrays.fill(scratchFound, 0);
      scanStamp = 1;
    }
    return scanStamp;
  }

  private long[] candidateBits = new long[0];

  /** A cleared bit set for the rules of one event. */
  long[] candidates(int rules) {
    int words = (rules + 63) >>> 6;
    if (candidateBits.length < words) {
      candidateBits = new long[words];
    } else {
      java.util.Arrays.fill(candidateBits, 0L);
    }
    return candidateBits;
  }

  /** Whether the event holds a value at one of our schema's slots. */
  boolean present(int slot, io.vigil.event.FieldSchema schema) {
    if (slotMap == null) {
      return event.get(slot) != null;
    }
    int o = slotMap[slot];
    return o >= 0 ? event.get(o) != null : event.get(schema.paths().get(slot)) != null;
  }

  private int[] keywordFound = new int[0];
  private int scannedGeneration = -1;
  private final StringBuilder keywordText = new StringBuilder();

  /** Whether the indexed keyword occurs in any value of the event (one scan per event). */
  boolean keywordFound(int id) {
    if (scannedGeneration != generation) {
      if (keywordFound.length < keywords.size()) {
        keywordFound = new int[keywords.size()];
      }
      keywordValues();
      keywordText.setLength(0);
      for (String v : keywordLower) {
        keywordText.append(v).append('\u0000');
      }
      keywords.scan(keywordText, keywordFound, generation);
      scannedGeneration = generation;
    }
    return keywordFound[id] == generation;
  }

  void reset(Event e, int slots) {
    event = e;
    if (lower.length < slots) {
      lower = new String[slots];
      stamp = new int[slots];
    }
    if (++generation == 0) {
      java.util.Arrays.fill(stamp, 0);
      java.util.Arrays.fill(keywordFound, 0);
      scannedGeneration = -1;
      keywordGeneration = -1;
      generation = 1;
    }
  }

  /**
   * Every scalar value of the event as text (for keyword search), with lower-case forms at {@code
   * lowerOut}; built once per event.
   */
  java.util.List<String> keywordValues() {
    if (keywordGeneration != generation) {
      keywordOriginal.clear();
      keywordLower.clear();
      for (Object v : event.all().values()) {
        if (v instanceof java.util.List<?> list) {
          for (Object x : list) {
            addKeyword(x);
          }
        } else {
          addKeyword(v);
        }
      }
      if (keywordOriginal.isEmpty() && event.raw() != null && !event.raw().startsWith("{")) {
        addKeyword(event.raw());
      }
      keywordGeneration = generation;
    }
    return keywordOriginal;
  }

  /** The lower-case forms of {@link #keywordValues()}, same order; call that first. */
  java.util.List<String> keywordLower() {
    return keywordLower;
  }

  private void addKeyword(Object v) {
    if (v == null || v == Event.NULL) {
      return;
    }
    String s = ValueTest.text(v);
    keywordOriginal.add(s);
    keywordLower.add(s.toLowerCase(Locale.ROOT));
  }

  /** Whether the lower-case form of the slot's value is already known for this event. */
  boolean hasLower(int slot) {
    return slot >= 0 && slot < lower.length && stamp[slot] == generation;
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
