package io.vigil.detect;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * All string needles of one field in one Aho–Corasick automaton, answering exact, prefix, suffix
 * and substring needles in a single pass over a value: the value is scanned as {@code BEGIN value
 * END}, so a prefix needle is {@code BEGIN p}, a suffix {@code s END} and an exact value {@code
 * BEGIN e END}. Values are lower-cased on the fly (ASCII by table; a value with other characters is
 * lower-cased as a whole, as the matchers do). The alphabet is compressed to the characters that
 * occur in needles; states near the root (most of the scan's time) have dense transition rows,
 * deeper ones sorted children and failure links. Each state lists the rule numbers to mark when it
 * is reached. Immutable after construction, so threads share it.
 */
final class FieldAutomaton {
  /** Dense transition cells per automaton at most (ints); deeper states stay sparse. */
  static final int DENSE_CELLS = 1 << 20;

  static final char BEGIN = '\uE000';
  static final char END = '\uE001';
  private static final int[] NONE = new int[0];
  private static final byte[] LOWER_ASCII = new byte[128];

  static {
    for (int c = 0; c < 128; c++) {
      LOWER_ASCII[c] = (byte) (c >= 'A' && c <= 'Z' ? c + 32 : c);
    }
  }

  private final int classes;
  // Class of each lower-cased ASCII character (after LOWER_ASCII), and of other characters.
  private final int[] asciiClass = new int[128];
  private final char[] otherChars;
  private final int[] otherClass;
  private final int beginClass;
  private final int endClass;
  // Per state: offset of its dense row in delta, or -1; failure link; sparse children.
  private int[] row;
  private int[] delta;
  private int[] fail;
  // Sparse children of all states, sorted by class: those of state s at [first[s], first[s + 1]).
  private int[] first;
  private int[] childClass;
  private int[] childState;
  private final int[][] marks;
  private final int states;
  // When every state fits in dense rows: transitions by (state << shift | class), giving the
  // target state shifted the same way; the scan loops below use only these two arrays.
  private final int shift;
  private final int[] dfa;
  private final boolean[] marking;
  // Every needle starts with BEGIN (exact and prefix needles, or reversed suffix needles): once the
  // scan is back at the root, nothing more can be found, so it stops there.
  private final boolean anchored;
  // Whether some needle could occur in the text of a number written with a fraction or an
  // exponent (digits, '.', '-', '+', 'e' only).
  private final boolean numericNeedles;
  // The (lower-case ASCII) character pairs that start some needle, indexed by first << 7 | second
  // (a needle of one character, or whose second is not ASCII, marks every pair it starts); null
  // when a needle starts with BEGIN.
  private final boolean[] pairs;
  // Whether every needle starts with two ASCII characters (or is one ASCII character): what
  // scanJson needs. The substring scan uses pairs also when some needle starts otherwise (a value's
  // non-ASCII characters always stop its filter).
  private final boolean asciiPairStarts;
  // Substring needles only, all ASCII and at least SKIP_MIN characters long: a Wu–Manber shift
  // table. For the last character pair of a window of the shortest needle's length (lower-case
  // ASCII, first << 7 | second), how far the window may move without passing over the start of a
  // needle; null when not usable.
  private final byte[] skip;
  private final int window;

  /** The shortest needle length from which the shift table pays (shifts of up to length - 1). */
  static final int SKIP_MIN = 4;

  /**
   * @param needles needle text (lower case; may start with {@link #BEGIN} or end with {@link #END})
   *     to the rule numbers it marks
   */
  FieldAutomaton(Map<String, int[]> needles) {
    this(needles, DENSE_CELLS);
  }

  /**
   * @param needles as above
   * @param denseCells dense transition cells at most (ints); deeper states stay sparse
   */
  FieldAutomaton(Map<String, int[]> needles, int denseCells) {
    TreeSet<Character> chars = new TreeSet<>();
    for (String n : needles.keySet()) {
      for (int i = 0; i < n.length(); i++) {
        char c = n.charAt(i);
        if (c != BEGIN && c != END) {
          chars.add(c);
        }
      }
    }
    int k = 1; // class 0: any character no needle holds
    List<Character> others = new ArrayList<>();
    for (char c : chars) {
      if (c < 128) {
        asciiClass[c] = k++;
      } else {
        others.add(c);
      }
    }
    otherChars = new char[others.size()];
    otherClass = new int[others.size()];
    for (int i = 0; i < others.size(); i++) {
      otherChars[i] = others.get(i);
      otherClass[i] = k++;
    }
    beginClass = k++;
    endClass = k++;
    classes = k;

    // Trie: the children of all states in one open-addressing table keyed by (state, class);
    // each state keeps its parent and the class of the edge from it, and the marks of the needle
    // ending there (needles are distinct, so at most one).
    int total = 1;
    for (String n : needles.keySet()) {
      total += n.length();
    }
    int cap = Integer.highestOneBit(Math.max(16, total * 2)) << 1;
    long[] keys = new long[cap]; // (state << 32 | class) + 1; 0: empty
    int[] vals = new int[cap];
    int[] parent = new int[total];
    int[] edge = new int[total];
    int[][] own = new int[total][];
    int count = 1;
    for (Map.Entry<String, int[]> e : needles.entrySet()) {
      String n = e.getKey();
      int s = 0;
      for (int i = 0; i < n.length(); i++) {
        int cls = classOfLower(n.charAt(i));
        long key = (((long) s << 32) | cls) + 1;
        int h = (int) mix(key) & (cap - 1);
        while (keys[h] != 0 && keys[h] != key) {
          h = (h + 1) & (cap - 1);
        }
        if (keys[h] == 0) {
          keys[h] = key;
          vals[h] = count;
          parent[count] = s;
          edge[count] = cls;
          count++;
        }
        s = vals[h];
      }
      own[s] = e.getValue();
    }
    states = count;
    int[] fanout = new int[states];
    for (int t = 1; t < states; t++) {
      fanout[parent[t]]++;
    }
    first = new int[states + 1];
    for (int s = 0; s < states; s++) {
      first[s + 1] = first[s] + fanout[s];
      fanout[s] = 0;
    }
    childClass = new int[states - 1];
    childState = new int[states - 1];
    for (int t = 1; t < states; t++) {
      int p = parent[t];
      // insertion by class: children stay sorted
      int lo = first[p];
      int j = lo + fanout[p]++;
      while (j > lo && childClass[j - 1] > edge[t]) {
        childClass[j] = childClass[j - 1];
        childState[j] = childState[j - 1];
        j--;
      }
      childClass[j] = edge[t];
      childState[j] = t;
    }
    // Breadth-first order: failure links, merged marks, dense rows for the first states.
    fail = new int[states];
    row = new int[states];
    Arrays.fill(row, -1);
    int[] order = new int[states];
    // order doubles as the queue: states are appended as their parents are taken
    int n = 1;
    for (int head = 0; head < n; head++) {
      for (int j = first[order[head]]; j < first[order[head] + 1]; j++) {
        order[n++] = childState[j];
      }
    }
    boolean allAnchored = !needles.isEmpty();
    for (String needle : needles.keySet()) {
      allAnchored &= needle.charAt(0) == BEGIN;
    }
    anchored = allAnchored;
    boolean anyNumeric = false;
    for (String needle : needles.keySet()) {
      anyNumeric |= numeric(needle);
    }
    numericNeedles = anyNumeric;
    boolean[] ps = new boolean[128 * 128];
    boolean asciiPairs = true;
    for (String needle : needles.keySet()) {
      char a = needle.charAt(0);
      if (a == BEGIN) {
        ps = null;
        asciiPairs = false;
        break;
      }
      if (a >= 128) {
        // starts only at a non-ASCII character of the value, where the filter always stops
        asciiPairs = false;
        continue;
      }
      if (needle.length() == 1 || needle.charAt(1) >= 128) {
        asciiPairs &= needle.length() == 1;
        for (int b = 0; b < 128; b++) {
          ps[(a << 7) | b] = true;
        }
      } else {
        ps[(a << 7) | needle.charAt(1)] = true;
      }
    }
    pairs = ps;
    asciiPairStarts = asciiPairs;
    int shortest = Integer.MAX_VALUE;
    boolean shiftable = !needles.isEmpty();
    for (String needle : needles.keySet()) {
      shortest = Math.min(shortest, needle.length());
      shiftable &= keepsShiftTable(needle);
    }
    if (shiftable) {
      int w = Math.min(shortest, 127);
      byte[] sk = new byte[128 * 128];
      Arrays.fill(sk, (byte) (w - 1));
      for (String needle : needles.keySet()) {
        for (int j = 1; j < w; j++) {
          int at = (needle.charAt(j - 1) << 7) | needle.charAt(j);
          sk[at] = (byte) Math.min(sk[at], w - 1 - j);
        }
      }
      skip = sk;
      window = w;
    } else {
      skip = null;
      window = 0;
    }
    int denseStates = Math.max(1, Math.min(states, denseCells / classes));
    delta = new int[denseStates * classes];
    marks = new int[states][];
    for (int i = 0; i < states; i++) {
      int s = order[i];
      if (s != 0) {
        // fail[s] was set when its parent was visited
        marks[s] = merge(own[s], marks[fail[s]]);
      } else {
        marks[s] = merge(own[s], NONE);
      }
      if (i < denseStates) {
        row[s] = i * classes;
      }
      for (int j = first[s]; j < first[s + 1]; j++) {
        int t = childState[j];
        fail[t] = s == 0 ? 0 : step(fail[s], childClass[j]);
      }
      if (row[s] >= 0) {
        // the failure state comes earlier in breadth-first order, so its row is dense and done:
        // start from a copy of it (the root's row starts all zero), then set the own children
        int base = row[s];
        if (s != 0) {
          System.arraycopy(delta, row[fail[s]], delta, base, classes);
        }
        for (int j = first[s]; j < first[s + 1]; j++) {
          delta[base + childClass[j]] = childState[j];
        }
      }
    }
    // Whether a state marks rules: read per step instead of its marks (an array per state).
    marking = new boolean[states];
    for (int st = 0; st < states; st++) {
      marking[st] = marks[st].length != 0;
    }
    int sh = 32 - Integer.numberOfLeadingZeros(classes - 1);
    if (denseStates == states && ((long) states << sh) <= denseCells * 2L) {
      shift = sh;
      dfa = new int[states << sh];
      for (int st = 0; st < states; st++) {
        for (int c = 0; c < classes; c++) {
          dfa[(st << sh) | c] = delta[row[st] + c] << sh;
        }
      }
      // The scans use only the dense table now: drop the construction tables.
      delta = null;
      row = null;
      fail = null;
      first = null;
      childClass = null;
      childState = null;
    } else {
      shift = 0;
      dfa = null;
    }
  }

  private static boolean numeric(String needle) {
    for (int i = 0; i < needle.length(); i++) {
      if ("0123456789.-+e".indexOf(needle.charAt(i)) < 0) {
        return false;
      }
    }
    return true;
  }

  /** The own marks (any order, maybe repeated) and the inherited ones (ascending), ascending. */
  private static int[] merge(int[] own, int[] inherited) {
    if (own == null || own.length == 0) {
      return inherited;
    }
    int[] all = Arrays.copyOf(own, own.length + inherited.length);
    System.arraycopy(inherited, 0, all, own.length, inherited.length);
    Arrays.sort(all);
    int n = 0;
    for (int i = 0; i < all.length; i++) {
      if (n == 0 || all[n - 1] != all[i]) {
        all[n++] = all[i];
      }
    }
    return n == all.length ? all : Arrays.copyOf(all, n);
  }

  /**
   * Whether an automaton whose needles all pass keeps a shift table: a substring needle of ASCII
   * only (so neither {@link #BEGIN} nor {@link #END}) and at least {@link #SKIP_MIN} characters.
   */
  static boolean keepsShiftTable(String needle) {
    if (needle.length() < SKIP_MIN) {
      return false;
    }
    for (int i = 0; i < needle.length(); i++) {
      if (needle.charAt(i) >= 128) {
        return false;
      }
    }
    return true;
  }

  private static long mix(long k) {
    k *= 0x9E3779B97F4A7C15L;
    return k ^ (k >>> 29);
  }

  private int step(int s, int cls) {
    while (true) {
      int r = row[s];
      if (r >= 0) {
        return delta[r + cls];
      }
      int[] cs = childClass;
      for (int i = first[s], end = first[s + 1]; i < end; i++) {
        if (cs[i] == cls) {
          return childState[i];
        }
        if (cs[i] > cls) {
          break;
        }
      }
      s = fail[s];
    }
  }

  /** The class of a character that is already lower case (needle text). */
  private int classOfLower(char c) {
    if (c == BEGIN) {
      return beginClass;
    }
    if (c == END) {
      return endClass;
    }
    if (c < 128) {
      return asciiClass[c];
    }
    int i = Arrays.binarySearch(otherChars, c);
    return i >= 0 ? otherClass[i] : 0;
  }

  int states() {
    return states;
  }

  /** For measurements: size, table kind and how the scan skips. */
  String describe() {
    return states
        + (dfa != null ? " dense" : " sparse")
        + (anchored ? " anchored" : "")
        + (skip != null ? " shift " + window : pairs != null ? " pairs" : "");
  }

  /** Approximate heap of the tables in bytes, for measurements. */
  long bytes() {
    long b = dfa != null ? dfa.length * 4L + states : delta.length * 4L + states * 16L;
    if (childClass != null) {
      b += childClass.length * 8L;
    }
    for (int s = 0; s < states; s++) {
      b += marks[s].length == 0 ? 0 : marks[s].length * 4L + 16;
    }
    return b;
  }

  /** Whether every needle starts with {@link #BEGIN} (the scan stops once back at the root). */
  boolean anchored() {
    return anchored;
  }

  /** Marks in {@code bits} every rule whose needle occurs in the value (as text, lower-cased). */
  void scan(String value, long[] bits) {
    scan(value, false, bits);
  }

  /**
   * Marks in {@code bits} every rule whose needle occurs in the value, lower-cased; {@code
   * reversed}: the value is read from its last character to its first (for an automaton of reversed
   * suffix needles). An {@link #anchored} automaton stops as soon as no needle can match any more,
   * so an exact, prefix or (reversed) suffix lookup reads only the characters it needs.
   */
  void scan(String value, boolean reversed, long[] bits) {
    int n = value.length();
    if (dfa == null) {
      for (int i = 0; i < n; i++) {
        if (value.charAt(i) >= 128) {
          scanLower(value.toLowerCase(java.util.Locale.ROOT), reversed, bits);
          return;
        }
      }
      scanSparse(value, reversed, true, bits);
      return;
    }
    int[] d = dfa;
    boolean[] mk = marking;
    int sh = shift;
    int[] ac = asciiClass;
    boolean stop = anchored;
    int s = d[beginClass];
    if (mk[s >>> sh]) {
      mark(marks[s >>> sh], bits);
    }
    if (!reversed && !stop && pairs != null) {
      // Substring needles of ASCII: while at the root, skip every position whose character pair
      // starts no needle (independent table lookups, much cheaper than automaton steps).
      boolean[] ps = pairs;
      byte[] low = LOWER_ASCII;
      byte[] sk = skip;
      int w = window;
      if (sk != null && (value.indexOf('\u212A') >= 0 || value.indexOf('\u0130') >= 0)) {
        // the only characters whose lower case holds ASCII (k, i): the skips below may pass over
        // characters unseen, so such a value is lower-cased first (instant for Latin-1 strings)
        scanLower(value.toLowerCase(java.util.Locale.ROOT), false, bits);
        return;
      }
      int i = 0;
      while (i < n) {
        if (s == 0 && sk != null) {
          // Wu–Manber: move a window of the shortest needle's length by its last pair's shift; a
          // needle can start only where the shift is 0 and the pair filter agrees
          while (true) {
            if (i + w > n) {
              return; // no needle fits in what is left (substring needles only: no END marks)
            }
            char c1 = value.charAt(i + w - 2);
            char c2 = value.charAt(i + w - 1);
            if ((c1 | c2) >= 128) {
              break;
            }
            int by = sk[(low[c1] << 7) | low[c2]];
            if (by != 0) {
              i += by;
              continue;
            }
            char c = value.charAt(i);
            char d2 = value.charAt(i + 1);
            if ((c | d2) >= 128 || ps[(low[c] << 7) | low[d2]]) {
              break;
            }
            i++;
          }
        } else if (s == 0) {
          while (i + 1 < n) {
            char c = value.charAt(i);
            char c2 = value.charAt(i + 1);
            if ((c | c2) >= 128 || ps[(low[c] << 7) | low[c2]]) {
              break;
            }
            i++;
          }
        }
        char c = value.charAt(i++);
        if (c >= 128) {
          // marks so far also hold for the lower-cased value: scan that from the start
          scanLower(value.toLowerCase(java.util.Locale.ROOT), false, bits);
          return;
        }
        s = d[s | ac[low[c]]];
        if (mk[s >>> sh]) {
          mark(marks[s >>> sh], bits);
        }
      }
    } else if (!reversed) {
      for (int i = 0; i < n; i++) {
        char c = value.charAt(i);
        if (c >= 128) {
          // marks so far also hold for the lower-cased value: scan that from the start
          scanLower(value.toLowerCase(java.util.Locale.ROOT), false, bits);
          return;
        }
        s = d[s | ac[LOWER_ASCII[c]]];
        if (mk[s >>> sh]) {
          mark(marks[s >>> sh], bits);
        } else if (s == 0 && stop) {
          return;
        }
      }
    } else {
      for (int i = n - 1; i >= 0; i--) {
        char c = value.charAt(i);
        if (c >= 128) {
          scanLower(value.toLowerCase(java.util.Locale.ROOT), true, bits);
          return;
        }
        s = d[s | ac[LOWER_ASCII[c]]];
        if (mk[s >>> sh]) {
          mark(marks[s >>> sh], bits);
        } else if (s == 0 && stop) {
          return;
        }
      }
    }
    s = d[s | endClass];
    if (mk[s >>> sh]) {
      mark(marks[s >>> sh], bits);
    }
  }

  /** The automaton without dense table: a value of ASCII ({@code ascii}) or lower-cased. */
  private void scanSparse(String value, boolean reversed, boolean ascii, long[] bits) {
    int n = value.length();
    int s = step(0, beginClass);
    mark(marks[s], bits);
    for (int k = 0; k < n; k++) {
      char c = value.charAt(reversed ? n - 1 - k : k);
      s = step(s, ascii ? asciiClass[LOWER_ASCII[c]] : classOfLower(c));
      if (marking[s]) {
        mark(marks[s], bits);
      } else if (s == 0 && anchored) {
        return;
      }
    }
    mark(marks[step(s, endClass)], bits);
  }

  /** Marks for a value already lower-cased (possibly non-ASCII). */
  private void scanLower(String lower, boolean reversed, long[] bits) {
    if (dfa == null) {
      scanSparse(lower, reversed, false, bits);
      return;
    }
    int[] d = dfa;
    boolean[] mk = marking;
    int sh = shift;
    int n = lower.length();
    int st = d[beginClass];
    if (mk[st >>> sh]) {
      mark(marks[st >>> sh], bits);
    }
    for (int k = 0; k < n; k++) {
      st = d[st | classOfLower(lower.charAt(reversed ? n - 1 - k : k))];
      if (mk[st >>> sh]) {
        mark(marks[st >>> sh], bits);
      } else if (st == 0 && anchored) {
        return;
      }
    }
    st = d[st | endClass];
    if (mk[st >>> sh]) {
      mark(marks[st >>> sh], bits);
    }
  }

  /**
   * Marks the needles that occur in the text of any value of a JSON object, scanning its raw text
   * once: string escapes are decoded on the fly and characters lower-cased one by one (keys and
   * punctuation are scanned too, which can only add marks). For substring needles of ASCII
   * characters only. Returns false when it cannot answer (a number written with a fraction or an
   * exponent, whose value text may differ from its spelling, while a needle is made only of number
   * characters; an automaton too large to be dense; a broken escape): the caller must then treat
   * every needle as found.
   */
  boolean scanJson(String json, long[] bits) {
    if (dfa == null) {
      return false;
    }
    if (numericNeedles || !asciiPairStarts) {
      return scanJsonSlow(json, bits);
    }
    boolean[] ps = pairs;
    int[] d = dfa;
    boolean[] mk = marking;
    int sh = shift;
    int n = json.length();
    int i = 0;
    while (i < n) {
      // At the root: skip positions where no needle can start (their character pair starts none).
      while (i + 1 < n) {
        char c = json.charAt(i);
        char c2 = json.charAt(i + 1);
        if (c >= 128
            || c2 >= 128
            || c == '\\'
            || c2 == '\\'
            || ps[(LOWER_ASCII[c] << 7) | LOWER_ASCII[c2]]) {
          break;
        }
        i++;
      }
      // Run the automaton from here until it is back at the root.
      int s = 0;
      do {
        char c = json.charAt(i++);
        int cls;
        if (c == '\\') {
          if (i >= n) {
            return false;
          }
          char e = json.charAt(i++);
          switch (e) {
            case 'b' -> c = '\b';
            case 'f' -> c = '\f';
            case 'n' -> c = '\n';
            case 'r' -> c = '\r';
            case 't' -> c = '\t';
            case 'u' -> {
              if (i + 4 > n) {
                return false;
              }
              int code = 0;
              for (int k = 0; k < 4; k++) {
                int dg = Character.digit(json.charAt(i + k), 16);
                if (dg < 0) {
                  return false;
                }
                code = code * 16 + dg;
              }
              i += 4;
              c = (char) code;
            }
            default -> c = e;
          }
          c = Character.toLowerCase(c);
          cls = c < 128 ? asciiClass[c] : 0;
        } else if (c < 128) {
          cls = asciiClass[LOWER_ASCII[c]];
        } else {
          char l = Character.toLowerCase(c);
          cls = l < 128 ? asciiClass[l] : 0;
        }
        s = d[s | cls];
        if (mk[s >>> sh]) {
          mark(marks[s >>> sh], bits);
        }
      } while (s != 0 && i < n);
    }
    return true;
  }

  private boolean scanJsonSlow(String json, long[] bits) {
    if (dfa == null) {
      return false;
    }
    int[] d = dfa;
    boolean[] mk = marking;
    int sh = shift;
    boolean numbers = numericNeedles;
    boolean inString = false;
    char prev = 0;
    int s = 0;
    for (int i = 0, n = json.length(); i < n; i++) {
      char c = json.charAt(i);
      int cls;
      if (c < 128) {
        if (c == '\\') {
          // only inside strings in valid JSON: decode the escape
          if (i + 1 >= n) {
            return false;
          }
          char e = json.charAt(++i);
          switch (e) {
            case 'b' -> c = '\b';
            case 'f' -> c = '\f';
            case 'n' -> c = '\n';
            case 'r' -> c = '\r';
            case 't' -> c = '\t';
            case 'u' -> {
              if (i + 4 >= n) {
                return false;
              }
              int code = 0;
              for (int k = 1; k <= 4; k++) {
                int dg = Character.digit(json.charAt(i + k), 16);
                if (dg < 0) {
                  return false;
                }
                code = code * 16 + dg;
              }
              i += 4;
              c = (char) code;
            }
            default -> c = e;
          }
          c = Character.toLowerCase(c);
          cls = c < 128 ? asciiClass[c] : 0;
        } else {
          if (c == '"') {
            inString = !inString;
          } else if (numbers && !inString) {
            if (c == '.' || ((c == 'e' || c == 'E') && prev >= '0' && prev <= '9')) {
              return false; // a number whose value text may differ from its spelling
            }
            prev = c;
          }
          cls = asciiClass[LOWER_ASCII[c]];
        }
      } else {
        char l = Character.toLowerCase(c);
        cls = l < 128 ? asciiClass[l] : 0;
      }
      s = d[s | cls];
      if (mk[s >>> sh]) {
        mark(marks[s >>> sh], bits);
      }
    }
    return true;
  }

  /** Marks for the decimal text of a number ({@code reversed}: read from its last digit). */
  void scan(long value, char[] scratch, boolean reversed, long[] bits) {
    int len = 0;
    long v = value;
    boolean negative = v < 0;
    if (v == 0) {
      scratch[len++] = '0';
    }
    while (v != 0) {
      scratch[len++] = (char) ('0' + Math.abs(v % 10));
      v /= 10;
    }
    if (negative) {
      scratch[len++] = '-';
    }
    // scratch holds the text backwards, the last digit first; all ASCII
    if (dfa == null) {
      int s = step(0, beginClass);
      mark(marks[s], bits);
      for (int k = 0; k < len; k++) {
        s = step(s, asciiClass[scratch[reversed ? k : len - 1 - k]]);
        mark(marks[s], bits);
      }
      mark(marks[step(s, endClass)], bits);
      return;
    }
    int[] d = dfa;
    boolean[] mk = marking;
    int sh = shift;
    int st = d[beginClass];
    if (mk[st >>> sh]) {
      mark(marks[st >>> sh], bits);
    }
    for (int k = 0; k < len; k++) {
      st = d[st | asciiClass[scratch[reversed ? k : len - 1 - k]]];
      if (mk[st >>> sh]) {
        mark(marks[st >>> sh], bits);
      }
    }
    st = d[st | endClass];
    if (mk[st >>> sh]) {
      mark(marks[st >>> sh], bits);
    }
  }

  private static void mark(int[] rules, long[] bits) {
    for (int r : rules) {
      bits[r >>> 6] |= 1L << r;
    }
  }
}
