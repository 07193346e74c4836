package io.vigil.scan.osv;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * A Python version as PEP 440 orders it: {@code [N!]N(.N)*[{a|b|rc}N][.postN][.devN][+local]}, with
 * the spellings PEP 440 normalizes ({@code alpha}, {@code beta}, {@code c}, {@code pre}, {@code
 * preview}, {@code rev}, {@code r}, {@code 1.0-1} as a post release, separators {@code - _ .}).
 * Order: epoch, release (trailing zeros ignored), then {@code dev < a < b < rc < release < post},
 * then local labels.
 */
final class Pep440Version implements Comparable<Pep440Version> {
  static final int MAX_LENGTH = 256;

  private final BigInteger epoch;
  private final List<BigInteger> release;
  // pre: phase 0=a,1=b,2=rc; null when absent
  private final int prePhase;
  private final BigInteger preNum;
  private final BigInteger post; // null when absent
  private final BigInteger dev; // null when absent
  private final List<String> local;

  private Pep440Version(
      BigInteger epoch,
      List<BigInteger> release,
      int prePhase,
      BigInteger preNum,
      BigInteger post,
      BigInteger dev,
      List<String> local) {
    this.epoch = epoch;
    this.release = release;
    this.prePhase = prePhase;
    this.preNum = preNum;
    this.post = post;
    this.dev = dev;
    this.local = local;
  }

  /** A small hand-written scanner (no regex): returns empty for anything PEP 440 does not allow. */
  static Optional<Pep440Version> parse(String text) {
    String s = text.trim().toLowerCase(Locale.ROOT);
    if (s.isEmpty() || s.length() > MAX_LENGTH) {
      return Optional.empty();
    }
    Cursor c = new Cursor(s);
    c.accept("v");
    BigInteger epoch = BigInteger.ZERO;
    int save = c.pos;
    BigInteger first = c.number();
    if (first == null) {
      return Optional.empty();
    }
    if (c.accept("!")) {
      epoch = first;
      first = c.number();
      if (first == null) {
        return Optional.empty();
      }
    } else {
      c.pos = save;
      first = c.number();
    }
    List<BigInteger> release = new ArrayList<>();
    release.add(first);
    while (c.peek() == '.' && c.pos + 1 < s.length() && Character.isDigit(s.charAt(c.pos + 1))) {
      c.pos++;
      release.add(c.number());
    }
    int prePhase = -1;
    BigInteger preNum = null;
    int mark = c.pos;
    c.separator();
    String phase = c.word("alpha", "beta", "preview", "pre", "rc", "a", "b", "c");
    if (phase != null) {
      prePhase =
          switch (phase) {
            case "a", "alpha" -> 0;
            case "b", "beta" -> 1;
            default -> 2;
          };
      int m2 = c.pos;
      c.separator();
      preNum = c.number();
      if (preNum == null) {
        c.pos = m2;
        preNum = BigInteger.ZERO;
      }
    } else {
      c.pos = mark;
    }
    BigInteger post = null;
    mark = c.pos;
    if (c.accept("-") && Character.isDigit(c.peek())) {
      post = c.number();
    } else {
      c.pos = mark;
      c.separator();
      if (c.word("post", "rev", "r") != null) {
        int m2 = c.pos;
        c.separator();
        post = c.number();
        if (post == null) {
          c.pos = m2;
          post = BigInteger.ZERO;
        }
      } else {
        c.pos = mark;
      }
    }
    BigInteger dev = null;
    mark = c.pos;
    c.separator();
    if (c.word("dev") != null) {
      int m2 = c.pos;
      c.separator();
      dev = c.number();
      if (dev == null) {
        c.pos = m2;
        dev = BigInteger.ZERO;
      }
    } else {
      c.pos = mark;
    }
    List<String> local = List.of();
    if (c.accept("+")) {
      String rest = s.substring(c.pos);
      if (rest.isEmpty()) {
        return Optional.empty();
      }
      List<String> parts = new ArrayList<>();
      for (String p : rest.split("[-_.]", -1)) {
        if (p.isEmpty() || !p.chars().allMatch(ch -> Character.isLetterOrDigit(ch) && ch < 128)) {
          return Optional.empty();
        }
        parts.add(p);
      }
      local = List.copyOf(parts);
      c.pos = s.length();
    }
    if (c.pos != s.length()) {
      return Optional.empty();
    }
    return Optional.of(
        new Pep440Version(epoch, List.copyOf(release), prePhase, preNum, post, dev, local));
  }

  private static final class Cursor {
    final String s;
    int pos;

    Cursor(String s) {
      this.s = s;
    }

    char peek() {
      return pos < s.length() ? s.charAt(pos) : '\0';
    }

    boolean accept(String t) {
      if (s.startsWith(t, pos)) {
        pos += t.length();
        return true;
      }
      return false;
    }

    void separator() {
      char ch = peek();
      if (ch == '-' || ch == '_' || ch == '.') {
        pos++;
      }
    }

    String word(String... words) {
      for (String w : words) {
        if (s.startsWith(w, pos)) {
          pos += w.length();
          return w;
        }
      }
      return null;
    }

    BigInteger number() {
      int start = pos;
      while (pos < s.length() && Character.isDigit(s.charAt(pos)) && s.charAt(pos) < 128) {
        pos++;
      }
      return pos == start ? null : new BigInteger(s.substring(start, pos));
    }
  }

  @Override
  public int compareTo(Pep440Version o) {
    int c = epoch.compareTo(o.epoch);
    if (c != 0) {
      return c;
    }
    int n = Math.max(release.size(), o.release.size());
    for (int i = 0; i < n; i++) {
      BigInteger a = i < release.size() ? release.get(i) : BigInteger.ZERO;
      BigInteger b = i < o.release.size() ? o.release.get(i) : BigInteger.ZERO;
      c = a.compareTo(b);
      if (c != 0) {
        return c;
      }
    }
    c = Long.compare(preKey(), o.preKey());
    if (c == 0 && prePhase >= 0 && o.prePhase >= 0) {
      c = preNum.compareTo(o.preNum);
    }
    if (c != 0) {
      return c;
    }
    c = compareAbsentLow(post, o.post);
    if (c != 0) {
      return c;
    }
    c = compareAbsentHigh(dev, o.dev);
    if (c != 0) {
      return c;
    }
    return compareLocal(local, o.local);
  }

  /** -1 for a dev release with no pre or post (sorts before any pre), the phase, or 3 for none. */
  private long preKey() {
    if (prePhase < 0) {
      return post == null && dev != null ? -1 : 3;
    }
    return prePhase;
  }

  private static int compareAbsentLow(BigInteger a, BigInteger b) {
    if (a == null || b == null) {
      return a == null ? (b == null ? 0 : -1) : 1;
    }
    return a.compareTo(b);
  }

  private static int compareAbsentHigh(BigInteger a, BigInteger b) {
    if (a == null || b == null) {
      return a == null ? (b == null ? 0 : 1) : -1;
    }
    return a.compareTo(b);
  }

  private static int compareLocal(List<String> a, List<String> b) {
    for (int i = 0; i < Math.min(a.size(), b.size()); i++) {
      String x = a.get(i);
      String y = b.get(i);
      boolean xn = NpmVersion.isDigits(x);
      boolean yn = NpmVersion.isDigits(y);
      int c;
      if (xn && yn) {
        c = new BigInteger(x).compareTo(new BigInteger(y));
      } else if (xn != yn) {
        c = xn ? 1 : -1;
      } else {
        c = x.compareTo(y);
      }
      if (c != 0) {
        return c;
      }
    }
    return Integer.compare(a.size(), b.size());
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Pep440Version v && compareTo(v) == 0;
  }

  @Override
  public int hashCode() {
    return epoch.hashCode();
  }
}
