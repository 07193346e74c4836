package io.vigil.detect;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Many lower-case substring needles in one Aho–Corasick automaton over ASCII, so that a text is
 * scanned once for all of them. The trie is sparse (sorted child keys per state, failure links),
 * which keeps tens of thousands of needle characters in a few MiB; the root's transitions are a
 * dense table. Needles with non-ASCII characters or NUL are refused (id -1) and tested one by one.
 */
final class KeywordIndex {
  private static final int[] NONE = new int[0];
  private static final char[] NO_KEYS = new char[0];
  private static final int ALPHABET = 128;

  private final Map<String, Integer> ids = new HashMap<>();
  private final int[] rootNext = new int[ALPHABET];
  private char[][] keys;
  private int[][] kids;
  private int[] fail;
  private int[][] out;

  /** The id of a needle, adding it while building; -1 when it cannot be indexed. */
  int add(String needle) {
    if (needle.isEmpty()) {
      return -1;
    }
    for (int i = 0; i < needle.length(); i++) {
      char c = needle.charAt(i);
      if (c == 0 || c >= ALPHABET) {
        return -1;
      }
    }
    return ids.computeIfAbsent(needle, k -> ids.size());
  }

  int size() {
    return ids.size();
  }

  /** Approximate size of the automaton in ints, for measurements. */
  int tableSize() {
    long n = ALPHABET + (fail == null ? 0 : fail.length * 3L);
    if (keys != null) {
      for (char[] k : keys) {
        n += k.length;
      }
    }
    return (int) Math.min(Integer.MAX_VALUE, n);
  }

  void build() {
    List<TreeMap<Character, Integer>> children = new ArrayList<>();
    List<List<Integer>> outputs = new ArrayList<>();
    children.add(new TreeMap<>());
    outputs.add(new ArrayList<>());
    for (Map.Entry<String, Integer> e : ids.entrySet()) {
      int s = 0;
      for (int i = 0; i < e.getKey().length(); i++) {
        char c = e.getKey().charAt(i);
        Integer t = children.get(s).get(c);
        if (t == null) {
          t = children.size();
          children.get(s).put(c, t);
          children.add(new TreeMap<>());
          outputs.add(new ArrayList<>());
        }
        s = t;
      }
      outputs.get(s).add(e.getValue());
    }
    int n = children.size();
    keys = new char[n][];
    kids = new int[n][];
    for (int s = 0; s < n; s++) {
      TreeMap<Character, Integer> m = children.get(s);
      keys[s] = m.isEmpty() ? NO_KEYS : new char[m.size()];
      kids[s] = m.isEmpty() ? NONE : new int[m.size()];
      int i = 0;
      for (Map.Entry<Character, Integer> e : m.entrySet()) {
        keys[s][i] = e.getKey();
        kids[s][i++] = e.getValue();
      }
    }
    for (int c = 0; c < ALPHABET; c++) {
      rootNext[c] = child(0, (char) c) < 0 ? 0 : child(0, (char) c);
    }
    fail = new int[n];
    ArrayDeque<Integer> queue = new ArrayDeque<>();
    for (int t : kids[0]) {
      fail[t] = 0;
      queue.add(t);
    }
    while (!queue.isEmpty()) {
      int s = queue.poll();
      outputs.get(s).addAll(outputs.get(fail[s]));
      for (int i = 0; i < keys[s].length; i++) {
        int t = kids[s][i];
        fail[t] = step(fail[s], keys[s][i]);
        queue.add(t);
      }
    }
    out = new int[n][];
    for (int s = 0; s < n; s++) {
      List<Integer> o = outputs.get(s);
      out[s] = o.isEmpty() ? NONE : o.stream().mapToInt(Integer::intValue).distinct().toArray();
    }
  }

  private int child(int s, char c) {
    char[] k = keys[s];
    int lo = 0;
    int hi = k.length - 1;
    while (lo <= hi) {
      int mid = (lo + hi) >>> 1;
      char m = k[mid];
      if (m < c) {
        lo = mid + 1;
      } else if (m > c) {
        hi = mid - 1;
      } else {
        return kids[s][mid];
      }
    }
    return -1;
  }

  /** The automaton's move from state s on an ASCII character. */
  private int step(int s, char c) {
    while (s != 0) {
      int t = child(s, c);
      if (t >= 0) {
        return t;
      }
      s = fail[s];
    }
    return rootNext[c];
  }

  /**
   * Like {@link #scan(CharSequence, int[], int)}, and appends each newly found id to {@code hits}
   * (its first element is the count); returns the possibly grown array.
   */
  int[] scan(CharSequence text, int[] found, int stamp, int[] hits) {
    int s = 0;
    for (int i = 0, n = text.length(); i < n; i++) {
      char c = text.charAt(i);
      if (c >= ALPHABET) {
        s = 0;
        continue;
      }
      s = step(s, c);
      int[] o = out[s];
      for (int j = 0; j < o.length; j++) {
        int id = o[j];
        if (found[id] != stamp) {
          found[id] = stamp;
          if (hits[0] + 1 >= hits.length) {
            hits = java.util.Arrays.copyOf(hits, hits.length * 2);
          }
          hits[++hits[0]] = id;
        }
      }
    }
    return hits;
  }

  /** Marks {@code found[id] = stamp} for every needle occurring in the lower-case text. */
  void scan(CharSequence text, int[] found, int stamp) {
    int s = 0;
    for (int i = 0, n = text.length(); i < n; i++) {
      char c = text.charAt(i);
      if (c >= ALPHABET) {
        s = 0;
        continue;
      }
      s = step(s, c);
      int[] o = out[s];
      for (int j = 0; j < o.length; j++) {
        found[o[j]] = stamp;
      }
    }
  }
}
