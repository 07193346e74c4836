package io.vigil.detect;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * All case-insensitive substring keywords of a rule set in one Aho–Corasick automaton over ASCII,
 * so that keyword (field-less) search scans each event's text once instead of once per keyword.
 * Keywords with non-ASCII characters stay out and are tested one by one.
 */
final class KeywordIndex {
  private static final int[] NONE = new int[0];
  private static final int ALPHABET = 128;

  private final Map<String, Integer> ids = new HashMap<>();
  // Characters that occur in some needle get their own class (1..k-1); every other character is
  // class 0 and always leads back to the root, so the table has k columns instead of 128.
  private final int[] classOf = new int[ALPHABET];
  private int classes;
  private int[] delta;
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

  /** Automaton states × character classes: the table's size in ints. */
  int tableSize() {
    return delta == null ? 0 : delta.length;
  }

  void build() {
    classes = 1;
    for (String needle : ids.keySet()) {
      for (int i = 0; i < needle.length(); i++) {
        char c = needle.charAt(i);
        if (classOf[c] == 0) {
          classOf[c] = classes++;
        }
      }
    }
    List<int[]> next = new ArrayList<>();
    List<List<Integer>> outputs = new ArrayList<>();
    next.add(newRow());
    outputs.add(new ArrayList<>());
    for (Map.Entry<String, Integer> e : ids.entrySet()) {
      int s = 0;
      for (int i = 0; i < e.getKey().length(); i++) {
        int c = classOf[e.getKey().charAt(i)];
        if (next.get(s)[c] < 0) {
          next.get(s)[c] = next.size();
          next.add(newRow());
          outputs.add(new ArrayList<>());
        }
        s = next.get(s)[c];
      }
      outputs.get(s).add(e.getValue());
    }
    int n = next.size();
    int[] fail = new int[n];
    int k = classes;
    delta = new int[n * k];
    ArrayDeque<Integer> queue = new ArrayDeque<>();
    for (int c = 0; c < k; c++) {
      int t = next.get(0)[c];
      if (t < 0) {
        delta[c] = 0;
      } else {
        delta[c] = t;
        fail[t] = 0;
        queue.add(t);
      }
    }
    while (!queue.isEmpty()) {
      int s = queue.poll();
      outputs.get(s).addAll(outputs.get(fail[s]));
      for (int c = 0; c < k; c++) {
        int t = next.get(s)[c];
        if (t < 0) {
          delta[s * k + c] = delta[fail[s] * k + c];
        } else {
          delta[s * k + c] = t;
          fail[t] = delta[fail[s] * k + c];
          queue.add(t);
        }
      }
    }
    out = new int[n][];
    for (int s = 0; s < n; s++) {
      List<Integer> o = outputs.get(s);
      out[s] = o.isEmpty() ? NONE : o.stream().mapToInt(Integer::intValue).distinct().toArray();
    }
  }

  private int[] newRow() {
    int[] row = new int[classes];
    java.util.Arrays.fill(row, -1);
    return row;
  }

  /**
   * Like {@link #scan(CharSequence, int[], int)}, and appends each newly found id to {@code hits}
   * (its first element is the count); returns the possibly grown array.
   */
  int[] scan(CharSequence text, int[] found, int stamp, int[] hits) {
    int s = 0;
    int[] d = delta;
    int k = classes;
    for (int i = 0, n = text.length(); i < n; i++) {
      char c = text.charAt(i);
      if (c >= ALPHABET) {
        s = 0;
        continue;
      }
      s = d[s * k + classOf[c]];
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
    int[] d = delta;
    int k = classes;
    for (int i = 0, n = text.length(); i < n; i++) {
      char c = text.charAt(i);
      if (c >= ALPHABET) {
        s = 0;
        continue;
      }
      s = d[s * k + classOf[c]];
      int[] o = out[s];
      for (int j = 0; j < o.length; j++) {
        found[o[j]] = stamp;
      }
    }
  }
}
