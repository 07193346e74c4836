package io.vigil.scan.analysis;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * An Aho-Corasick automaton over ASCII, case-insensitive: finds every occurrence of many literal
 * anchors in one pass over a file, so the number of rules does not multiply the time per byte.
 */
final class Anchors {
  /** Receives each occurrence: the anchor's index and the offset where it starts. */
  interface Hit {
    /** Returns false to stop the scan. */
    boolean at(int anchor, int start);
  }

  private static final int ALPHABET = 128;

  private final int[][] next;
  private final int[][] out;
  private final int[] lengths;

  Anchors(List<String> anchors) {
    lengths = new int[anchors.size()];
    List<int[]> gotoTable = new ArrayList<>();
    List<List<Integer>> outputs = new ArrayList<>();
    gotoTable.add(newRow());
    outputs.add(new ArrayList<>());
    for (int a = 0; a < anchors.size(); a++) {
      String s = anchors.get(a).toLowerCase(Locale.ROOT);
      lengths[a] = s.length();
      int state = 0;
      for (int i = 0; i < s.length(); i++) {
        int c = s.charAt(i);
        if (c >= ALPHABET) {
          throw new IllegalArgumentException("anchor must be ASCII: " + s);
        }
        if (gotoTable.get(state)[c] < 0) {
          gotoTable.add(newRow());
          outputs.add(new ArrayList<>());
          gotoTable.get(state)[c] = gotoTable.size() - 1;
        }
        state = gotoTable.get(state)[c];
      }
      outputs.get(state).add(a);
    }
    int n = gotoTable.size();
    int[] fail = new int[n];
    ArrayDeque<Integer> queue = new ArrayDeque<>();
    int[] root = gotoTable.get(0);
    for (int c = 0; c < ALPHABET; c++) {
      if (root[c] < 0) {
        root[c] = 0;
      } else {
        fail[root[c]] = 0;
        queue.add(root[c]);
      }
    }
    while (!queue.isEmpty()) {
      int s = queue.poll();
      int[] row = gotoTable.get(s);
      for (int c = 0; c < ALPHABET; c++) {
        int t = row[c];
        if (t < 0) {
          row[c] = gotoTable.get(fail[s])[c];
        } else {
          fail[t] = gotoTable.get(fail[s])[c];
          outputs.get(t).addAll(outputs.get(fail[t]));
          queue.add(t);
        }
      }
    }
    next = gotoTable.toArray(new int[0][]);
    out = new int[n][];
    for (int i = 0; i < n; i++) {
      out[i] = outputs.get(i).stream().mapToInt(Integer::intValue).toArray();
    }
  }

  private static int[] newRow() {
    int[] row = new int[ALPHABET];
    Arrays.fill(row, -1);
    return row;
  }

  void scan(char[] text, Hit hit) {
    int state = 0;
    int len = text.length;
    for (int i = 0; i < len; i++) {
      int c = text[i];
      if (c >= 'A' && c <= 'Z') {
        c += 32;
      } else if (c >= ALPHABET) {
        c = 0;
      }
      state = next[state][c];
      int[] o = out[state];
      for (int a : o) {
        if (!hit.at(a, i - lengths[a] + 1)) {
          return;
        }
      }
    }
  }
}
