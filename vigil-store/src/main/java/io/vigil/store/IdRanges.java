package io.vigil.store;

import java.util.Iterator;
import java.util.Map;
import java.util.TreeMap;

/**
 * A set of event ids kept as ranges [first, last] (ids added in spool order form few ranges), with
 * a text form for a day's commit data: {@code "1~2000,4001~6000"} (ids may be negative). Not
 * thread-safe.
 */
final class IdRanges {
  private final TreeMap<Long, Long> ranges = new TreeMap<>();

  boolean contains(long id) {
    Map.Entry<Long, Long> e = ranges.floorEntry(id);
    return e != null && e.getValue() >= id;
  }

  void add(long id) {
    Map.Entry<Long, Long> below = ranges.floorEntry(id);
    if (below != null && below.getValue() >= id) {
      return;
    }
    long first = id;
    long last = id;
    if (below != null && below.getValue() == id - 1) {
      first = below.getKey();
    }
    Long above = id == Long.MAX_VALUE ? null : ranges.get(id + 1);
    if (above != null) {
      last = above;
      ranges.remove(id + 1);
    }
    ranges.put(first, last);
  }

  void remove(long id) {
    Map.Entry<Long, Long> e = ranges.floorEntry(id);
    if (e == null || e.getValue() < id) {
      return;
    }
    long first = e.getKey();
    long last = e.getValue();
    ranges.remove(first);
    if (first < id) {
      ranges.put(first, id - 1);
    }
    if (id < last) {
      ranges.put(id + 1, last);
    }
  }

  /** Forgets every id up to {@code mark} (inclusive). */
  void removeUpTo(long mark) {
    Iterator<Map.Entry<Long, Long>> it = ranges.entrySet().iterator();
    Map.Entry<Long, Long> spanning = null;
    while (it.hasNext()) {
      Map.Entry<Long, Long> e = it.next();
      if (e.getKey() > mark) {
        break;
      }
      if (e.getValue() > mark) {
        spanning = Map.entry(mark + 1, e.getValue());
      }
      it.remove();
    }
    if (spanning != null) {
      ranges.put(spanning.getKey(), spanning.getValue());
    }
  }

  IdRanges copy() {
    IdRanges r = new IdRanges();
    r.ranges.putAll(ranges);
    return r;
  }

  int rangeCount() {
    return ranges.size();
  }

  /** The text form: ranges separated by commas, "" when empty. */
  String encode() {
    StringBuilder b = new StringBuilder();
    for (Map.Entry<Long, Long> e : ranges.entrySet()) {
      if (!b.isEmpty()) {
        b.append(',');
      }
      b.append(e.getKey()).append('~').append(e.getValue());
    }
    return b.toString();
  }

  /** Parses {@link #encode}'s form; null or "" is the empty set. */
  static IdRanges decode(String text) {
    IdRanges r = new IdRanges();
    if (text == null || text.isEmpty()) {
      return r;
    }
    for (String part : text.split(",")) {
      int sep = part.indexOf('~');
      r.ranges.put(Long.parseLong(part.substring(0, sep)), Long.parseLong(part.substring(sep + 1)));
    }
    return r;
  }
}
