package io.vigil.detect;

/**
 * From the values of the routing fields (e.g. Channel and EventID) to the event's {@link Bucket}:
 * the gates are evaluated once per distinct combination, not once per event. A fixed-size
 * open-addressing table of immutable entries, read without locks by any number of threads; a lost
 * race only means an entry is computed twice. When the table is full, new combinations are simply
 * not cached (events with hostile, ever-new values still match, only slower).
 */
final class RouteCache {
  /** Distinct routing-value combinations kept at most. */
  static final int CAPACITY = 4096;

  private static final int PROBES = 8;

  private record Entry(Object[] values, int hash, Bucket bucket) {}

  private final Entry[] table = new Entry[CAPACITY];

  /** The cached bucket for these values, or null. */
  Bucket get(Object[] values, int hash) {
    int i = mix(hash);
    for (int p = 0; p < PROBES; p++) {
      Entry e = table[(i + p) & (CAPACITY - 1)];
      if (e == null) {
        return null;
      }
      if (e.hash == hash && same(e.values, values)) {
        return e.bucket;
      }
    }
    return null;
  }

  /** Caches a bucket for a copy of the values (the caller must not change the array later). */
  void put(Object[] values, int hash, Bucket bucket) {
    int i = mix(hash);
    for (int p = 0; p < PROBES; p++) {
      int slot = (i + p) & (CAPACITY - 1);
      Entry e = table[slot];
      if (e == null) {
        table[slot] = new Entry(values, hash, bucket);
        return;
      }
      if (e.hash == hash && same(e.values, values)) {
        return;
      }
    }
  }

  private static boolean same(Object[] a, Object[] b) {
    for (int i = 0; i < a.length; i++) {
      Object x = a[i];
      Object y = b[i];
      if (x != y && (x == null || !x.equals(y) || x.getClass() != y.getClass())) {
        return false;
      }
    }
    return true;
  }

  private static int mix(int h) {
    h *= 0x9E3779B9;
    return h ^ (h >>> 16);
  }
}
