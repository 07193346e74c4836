package io.vigil.detect;

import com.google.re2j.Matcher;
import io.vigil.event.Event;
import java.math.BigInteger;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.IsoFields;
import java.util.List;
import java.util.Locale;

/**
 * One compiled test of a single scalar event value (a String, Long, Double, Boolean or {@link
 * Event#NULL}); multi-valued fields are tested element by element by the caller.
 */
sealed interface ValueTest {
  /**
   * @param value a scalar, never null
   * @param slot the schema slot the value came from, for the lower-case cache; -1 for list elements
   */
  boolean test(Object value, int slot, MatchContext ctx);

  /** What the test expects, in Sigma-like notation, for explanations. */
  String describe();

  /**
   * Whether the text holds the lower-case ASCII needle at {@code start} (in range), ignoring ASCII
   * case only: no Unicode case folding, so the dotless i or the long s never match {@code i} or
   * {@code s} (callers exclude the Kelvin sign and the dotted capital I, whose lower case is
   * ASCII).
   */
  static boolean foldedAt(String text, int start, String needle) {
    for (int j = 0; j < needle.length(); j++) {
      char c = text.charAt(start + j);
      if (c >= 'A' && c <= 'Z') {
        c += 32;
      }
      if (c != needle.charAt(j)) {
        return false;
      }
    }
    return true;
  }

  static String text(Object value) {
    if (value instanceof String s) {
      return s;
    }
    if (value instanceof Double d && d == Math.rint(d) && !Double.isInfinite(d)) {
      return Long.toString(d.longValue());
    }
    return String.valueOf(value);
  }

  /**
   * A wildcard pattern: exact, prefix, suffix, substring or general glob; case-insensitive unless
   * cased.
   */
  record Str(Kind kind, String needle, boolean cased, long asLong, boolean numeric, String shown)
      implements ValueTest {
    enum Kind {
      EXACT,
      PREFIX,
      SUFFIX,
      CONTAINS,
      GLOB
    }

    static Str of(Pattern p, boolean cased) {
      String t = p.text();
      String shown = p.display();
      int any = count(t, Pattern.ANY);
      boolean one = t.indexOf(Pattern.ONE) >= 0;
      Kind kind;
      String needle;
      if (one) {
        kind = Kind.GLOB;
        needle = t;
      } else if (any == 0) {
        kind = Kind.EXACT;
        needle = t;
      } else if (any == 1 && t.length() >= 1 && t.charAt(t.length() - 1) == Pattern.ANY) {
        kind = Kind.PREFIX;
        needle = t.substring(0, t.length() - 1);
      } else if (any == 1 && t.charAt(0) == Pattern.ANY) {
        kind = Kind.SUFFIX;
        needle = t.substring(1);
      } else if (any == 2
          && t.length() >= 2
          && t.charAt(0) == Pattern.ANY
          && t.charAt(t.length() - 1) == Pattern.ANY) {
        kind = Kind.CONTAINS;
        needle = t.substring(1, t.length() - 1);
      } else {
        kind = Kind.GLOB;
        needle = t;
      }
      if (!cased) {
        needle = needle.toLowerCase(Locale.ROOT);
      }
      long asLong = 0;
      boolean numeric = false;
      if (kind == Kind.EXACT && isInteger(needle)) {
        try {
          asLong = Long.parseLong(needle);
          numeric = true;
        } catch (NumberFormatException e) {
          numeric = false;
        }
      }
      return new Str(kind, needle, cased, asLong, numeric, shown);
    }

    private static int count(String s, char c) {
      int n = 0;
      for (int i = 0; i < s.length(); i++) {
        if (s.charAt(i) == c) {
          n++;
        }
      }
      return n;
    }

    @Override
    public boolean test(Object value, int slot, MatchContext ctx) {
      if (kind != Kind.EXACT && (needle.isEmpty() || (kind == Kind.GLOB && anyOnly(needle)))) {
        // '*' (any text, e.g. "ContextInfo: '*'"): true for every value but null, without
        // lower-casing a value of kilobytes to find it out
        return value != Event.NULL;
      }
      String s;
      if (value instanceof String str) {
        if (!cased && str.length() >= FOLD_MIN && !ctx.hasLower(slot) && foldable(str)) {
          return compareFolded(str);
        }
        s = cased ? str : ctx.lower(slot, str);
      } else if (value instanceof Long l) {
        if (numeric) {
          return l == asLong;
        }
        s = Long.toString(l);
      } else if (value == Event.NULL) {
        return false;
      } else {
        s = text(value);
        if (!cased) {
          s = s.toLowerCase(Locale.ROOT);
        }
      }
      return compare(s);
    }

    /**
     * Values from this length on are tested without a lower-case copy when they allow it ({@link
     * #foldable}): lower-casing kilobytes (a PowerShell {@code ContextInfo}) for one test costs
     * more than finding the needle ignoring ASCII case; shorter values are lower-cased once per
     * event and shared by every test of the slot.
     */
    static final int FOLD_MIN = 256;

    /**
     * Whether testing the value ignoring ASCII case gives what testing its lower-case form gives:
     * true when the needle is ASCII, not a glob (globs use the slot's shared lower-case copy), and
     * the value holds neither the Kelvin sign nor the dotted capital I, the only characters whose
     * lower case is (or starts with) an ASCII letter. Every other character lower-cases to itself
     * or to another non-ASCII character, one for one, so it can never equal a needle character
     * either way.
     */
    private boolean foldable(String value) {
      if (kind == Kind.GLOB) {
        return false;
      }
      for (int i = 0; i < needle.length(); i++) {
        if (needle.charAt(i) >= 128) {
          return false;
        }
      }
      // immediate for a Latin-1 string, which cannot hold either
      return value.indexOf('\u212A') < 0 && value.indexOf('\u0130') < 0;
    }

    /** {@link #compare} of the value's lower-case form, for a {@link #foldable} value. */
    private boolean compareFolded(String s) {
      int n = needle.length();
      return switch (kind) {
        case EXACT -> s.length() == n && foldedAt(s, 0, needle);
        case PREFIX -> s.length() >= n && foldedAt(s, 0, needle);
        case SUFFIX -> s.length() >= n && foldedAt(s, s.length() - n, needle);
        case CONTAINS -> containsFolded(s);
        case GLOB -> throw new IllegalStateException("a glob is never foldable");
      };
    }

    /**
     * Finds the needle ignoring ASCII case: the value is searched (vectorized {@code indexOf}) for
     * the needle's rarest character, in each case when it is a letter, and each hit is checked.
     */
    private boolean containsFolded(String s) {
      int anchor = 0;
      int best = -1;
      for (int i = 0; i < needle.length(); i++) {
        int r = KeywordScanner.rarity(needle.charAt(i));
        if (r > best) {
          best = r;
          anchor = i;
        }
      }
      char lo = needle.charAt(anchor);
      int last = s.length() - needle.length() + anchor;
      if (containsFoldedAt(s, lo, anchor, last)) {
        return true;
      }
      char up = (char) (lo >= 'a' && lo <= 'z' ? lo - 32 : lo);
      return up != lo && containsFoldedAt(s, up, anchor, last);
    }

    private boolean containsFoldedAt(String s, char c, int anchor, int last) {
      for (int p = s.indexOf(c, anchor); p >= 0 && p <= last; p = s.indexOf(c, p + 1)) {
        if (foldedAt(s, p - anchor, needle)) {
          return true;
        }
      }
      return false;
    }

    /** Whether a glob is made of {@link Pattern#ANY} only (it matches every text). */
    static boolean anyOnly(String glob) {
      for (int i = 0; i < glob.length(); i++) {
        if (glob.charAt(i) != Pattern.ANY) {
          return false;
        }
      }
      return true;
    }

    /** Tests a string whose lower-case form is already known. */
    boolean testText(String original, String lower) {
      return compare(cased ? original : lower);
    }

    private boolean compare(String s) {
      return switch (kind) {
        case EXACT -> s.equals(needle);
        case PREFIX -> s.startsWith(needle);
        case SUFFIX -> s.endsWith(needle);
        case CONTAINS -> s.contains(needle);
        case GLOB -> glob(needle, s);
      };
    }

    @Override
    public String describe() {
      String q = "'" + shown + "'";
      return cased ? q + " (cased)" : q;
    }
  }

  /** Iterative wildcard match with single-star backtracking: O(n·m) worst case, no recursion. */
  static boolean glob(String p, String s) {
    int pi = 0;
    int si = 0;
    int star = -1;
    int mark = 0;
    int pn = p.length();
    int sn = s.length();
    while (si < sn) {
      if (pi < pn) {
        char pc = p.charAt(pi);
        if (pc == Pattern.ANY) {
          star = pi++;
          mark = si;
          continue;
        }
        if (pc == Pattern.ONE || pc == s.charAt(si)) {
          pi++;
          si++;
          continue;
        }
      }
      if (star >= 0) {
        pi = star + 1;
        si = ++mark;
      } else {
        return false;
      }
    }
    while (pi < pn && p.charAt(pi) == Pattern.ANY) {
      pi++;
    }
    return pi == pn;
  }

  static boolean isInteger(String s) {
    if (s.isEmpty() || s.length() > 19) {
      return false;
    }
    int start = s.charAt(0) == '-' ? 1 : 0;
    if (start == s.length()) {
      return false;
    }
    for (int i = start; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < '0' || c > '9') {
        return false;
      }
    }
    return true;
  }

  /** A number from the event as a double, or NaN when the value is not numeric. */
  static double number(Object value) {
    if (value instanceof Long l) {
      return l;
    }
    if (value instanceof Double d) {
      return d;
    }
    if (value instanceof String s) {
      String t = s.trim();
      if (t.isEmpty() || t.length() > 64) {
        return Double.NaN;
      }
      char c = t.charAt(0);
      if (!(c == '-' || c == '+' || c == '.' || (c >= '0' && c <= '9'))) {
        return Double.NaN;
      }
      try {
        if (t.startsWith("0x") || t.startsWith("0X")) {
          return new BigInteger(t.substring(2), 16).doubleValue();
        }
        return Double.parseDouble(t);
      } catch (NumberFormatException e) {
        return Double.NaN;
      }
    }
    return Double.NaN;
  }

  /** Numeric equality for a YAML number: 4688 matches 4688L, 4688.0 and "4688". */
  record Num(double value, String shown) implements ValueTest {
    @Override
    public boolean test(Object v, int slot, MatchContext ctx) {
      if (v instanceof Long l) {
        return l == value;
      }
      if (v instanceof String s && s.equals(shown)) {
        return true;
      }
      return number(v) == value;
    }

    @Override
    public String describe() {
      return shown;
    }
  }

  /** A YAML boolean: matches Boolean values and the strings true/false in any case. */
  record Bool(boolean value) implements ValueTest {
    @Override
    public boolean test(Object v, int slot, MatchContext ctx) {
      if (v instanceof Boolean b) {
        return b == value;
      }
      return v instanceof String s && s.equalsIgnoreCase(Boolean.toString(value));
    }

    @Override
    public String describe() {
      return Boolean.toString(value);
    }
  }

  /** {@code null}: an explicit null or an empty list (a missing field is handled by the caller). */
  record Null() implements ValueTest {
    @Override
    public boolean test(Object v, int slot, MatchContext ctx) {
      return v == Event.NULL;
    }

    @Override
    public String describe() {
      return "null";
    }
  }

  /**
   * A regular expression (RE2/J, linear time), searched anywhere in the value. {@code minChars}: a
   * length every match needs (in characters; 0 when unknown), checked before the regex runs; {@code
   * dotRun}: the regex is exactly {@code .{N,}} (or {@code .{N}}, {@code .{N,M}}), answered without
   * RE2/J as "a run of N code points without a line feed" (any N code points with the {@code s}
   * flag) — RE2/J would step N states per character.
   */
  record Regex(com.google.re2j.Pattern pattern, String shown, int minChars, boolean dotRun)
      implements ValueTest {
    private static final java.util.regex.Pattern COUNTED_DOT =
        java.util.regex.Pattern.compile("(\\^?)\\.\\{([0-9]{1,9})(?:,[0-9]{0,9})?\\}(\\$?)");

    Regex(com.google.re2j.Pattern pattern, String shown) {
      this(pattern, shown, minChars(shown), dotRun(shown));
    }

    /**
     * The length in characters every match of the regex needs, for the one shape where that is
     * worth knowing ({@code .{N}}, {@code .{N,}} or {@code .{N,M}}, optionally anchored); 0
     * otherwise. RE2/J's {@code .} is one code point, so a match of N code points has at least N
     * chars.
     */
    static int minChars(String re) {
      java.util.regex.Matcher m = COUNTED_DOT.matcher(re);
      return m.matches() ? Integer.parseInt(m.group(2)) : 0;
    }

    /** Whether the regex is an unanchored counted dot, answered by {@link #hasRun}. */
    static boolean dotRun(String re) {
      java.util.regex.Matcher m = COUNTED_DOT.matcher(re);
      return m.matches() && m.group(1).isEmpty() && m.group(3).isEmpty();
    }

    /**
     * Whether the text holds {@code n} consecutive code points other than a line feed (any {@code
     * n} code points when {@code dotAll}), as RE2/J finds {@code .{n,}}.
     */
    static boolean hasRun(String s, int n, boolean dotAll) {
      int run = 0;
      for (int i = 0, len = s.length(); i < len; i++) {
        char c = s.charAt(i);
        if (c == '\n' && !dotAll) {
          run = 0;
          continue;
        }
        if (Character.isHighSurrogate(c)
            && i + 1 < len
            && Character.isLowSurrogate(s.charAt(i + 1))) {
          i++;
        }
        if (++run >= n) {
          return true;
        }
      }
      return n == 0;
    }

    @Override
    public boolean test(Object v, int slot, MatchContext ctx) {
      if (v == Event.NULL) {
        return false;
      }
      String s = text(v);
      if (s.length() < minChars) {
        return false;
      }
      if (dotRun) {
        return hasRun(s, minChars, (pattern.flags() & com.google.re2j.Pattern.DOTALL) != 0);
      }
      Matcher m = pattern.matcher(s);
      return m.find();
    }

    @Override
    public String describe() {
      return "re '" + shown + "'";
    }
  }

  /** gt, gte, lt, lte against a number. */
  record Compare(String op, double value, String shown) implements ValueTest {
    @Override
    public boolean test(Object v, int slot, MatchContext ctx) {
      double d = number(v);
      if (Double.isNaN(d)) {
        return false;
      }
      return switch (op) {
        case "gt" -> d > value;
        case "gte" -> d >= value;
        case "lt" -> d < value;
        default -> d <= value;
      };
    }

    @Override
    public String describe() {
      return op + " " + shown;
    }
  }

  /** An IPv4 or IPv6 network; IPv4-mapped IPv6 addresses match IPv4 networks. */
  record Cidr(byte[] network, int prefix, String shown) implements ValueTest {
    @Override
    public boolean test(Object v, int slot, MatchContext ctx) {
      if (!(v instanceof String s)) {
        return false;
      }
      byte[] ip = Ip.parse(s);
      if (ip == null) {
        return false;
      }
      if (ip.length == 16 && network.length == 4 && Ip.isV4Mapped(ip)) {
        ip = java.util.Arrays.copyOfRange(ip, 12, 16);
      }
      return ip.length == network.length && Ip.inPrefix(ip, network, prefix);
    }

    @Override
    public String describe() {
      return "cidr " + shown;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Cidr c
          && c.prefix == prefix
          && java.util.Arrays.equals(c.network, network);
    }

    @Override
    public int hashCode() {
      return java.util.Arrays.hashCode(network) * 31 + prefix;
    }
  }

  /** A part of a timestamp (minute, hour, day, week, month, year) tested numerically. */
  record TimePart(String unit, ValueTest inner) implements ValueTest {
    @Override
    public boolean test(Object v, int slot, MatchContext ctx) {
      LocalDateTime t = timestamp(v);
      if (t == null) {
        return false;
      }
      long part =
          switch (unit) {
            case "minute" -> t.getMinute();
            case "hour" -> t.getHour();
            case "day" -> t.getDayOfMonth();
            case "week" -> t.get(IsoFields.WEEK_OF_WEEK_BASED_YEAR);
            case "month" -> t.getMonthValue();
            default -> t.getYear();
          };
      return inner.test(part, -1, ctx);
    }

    @Override
    public String describe() {
      return unit + " " + inner.describe();
    }

    static LocalDateTime timestamp(Object v) {
      if (v instanceof Long l) {
        long millis = Math.abs(l) < 100_000_000_000L ? l * 1000 : l;
        return LocalDateTime.ofEpochSecond(
            Math.floorDiv(millis, 1000),
            (int) Math.floorMod(millis, 1000) * 1_000_000,
            ZoneOffset.UTC);
      }
      if (!(v instanceof String s) || s.length() < 10 || s.length() > 64) {
        return null;
      }
      String t = s.trim().replace(' ', 'T');
      try {
        return OffsetDateTime.parse(t, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toLocalDateTime();
      } catch (DateTimeParseException e) {
        // no offset: a local timestamp, taken as written
      }
      try {
        return LocalDateTime.parse(t, DateTimeFormatter.ISO_LOCAL_DATE_TIME);
      } catch (DateTimeParseException e) {
        // a date without a time
      }
      try {
        return java.time.LocalDate.parse(t.length() > 10 ? t.substring(0, 10) : t).atStartOfDay();
      } catch (DateTimeParseException e) {
        return null;
      }
    }
  }

  /** Alternatives from one rule value (windash, base64offset, placeholders): any may match. */
  record AnyOf(List<ValueTest> tests) implements ValueTest {
    @Override
    public boolean test(Object v, int slot, MatchContext ctx) {
      for (ValueTest t : tests) {
        if (t.test(v, slot, ctx)) {
          return true;
        }
      }
      return false;
    }

    @Override
    public String describe() {
      StringBuilder sb = new StringBuilder("any of [");
      for (int i = 0; i < tests.size(); i++) {
        if (i > 0) {
          sb.append(", ");
        }
        if (i == 8) {
          sb.append("… ").append(tests.size() - 8).append(" more");
          break;
        }
        sb.append(tests.get(i).describe());
      }
      return sb.append(']').toString();
    }
  }
}
