package io.vigil.scan.names;

/** Optimal-string-alignment edit distance (insert, delete, substitute, swap two neighbours). */
final class Distance {
  private Distance() {}

  /** The distance, or {@code max + 1} as soon as it is known to exceed {@code max}. */
  static int osa(String a, String b, int max) {
    int n = a.length();
    int m = b.length();
    if (Math.abs(n - m) > max) {
      return max + 1;
    }
    int[] prev2 = new int[m + 1];
    int[] prev = new int[m + 1];
    int[] cur = new int[m + 1];
    for (int j = 0; j <= m; j++) {
      prev[j] = j;
    }
    for (int i = 1; i <= n; i++) {
      cur[0] = i;
      int rowMin = cur[0];
      char ca = a.charAt(i - 1);
      for (int j = 1; j <= m; j++) {
        char cb = b.charAt(j - 1);
        int cost = ca == cb ? 0 : 1;
        int v = Math.min(Math.min(prev[j] + 1, cur[j - 1] + 1), prev[j - 1] + cost);
        if (i > 1 && j > 1 && ca == b.charAt(j - 2) && a.charAt(i - 2) == cb) {
          v = Math.min(v, prev2[j - 2] + 1);
        }
        cur[j] = v;
        rowMin = Math.min(rowMin, v);
      }
      if (rowMin > max) {
        return max + 1;
      }
      int[] t = prev2;
      prev2 = prev;
      prev = cur;
      cur = t;
    }
    return prev[m];
  }

  /** A short description of how {@code a} differs from {@code b}. */
  static String describe(String a, String b, int distance) {
    if (distance == 1 && a.length() == b.length()) {
      for (int i = 0; i < a.length() - 1; i++) {
        if (a.charAt(i) != b.charAt(i)) {
          if (a.charAt(i) == b.charAt(i + 1) && a.charAt(i + 1) == b.charAt(i)) {
            return "two letters swapped ('"
                + a.substring(i, i + 2)
                + "' for '"
                + b.substring(i, i + 2)
                + "')";
          }
          return "one character changed ('" + a.charAt(i) + "' for '" + b.charAt(i) + "')";
        }
      }
      return "one character changed";
    }
    if (distance == 1) {
      return a.length() > b.length() ? "one character added" : "one character left out";
    }
    return "edit distance " + distance;
  }
}
