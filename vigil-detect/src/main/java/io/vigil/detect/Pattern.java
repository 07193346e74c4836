package io.vigil.detect;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * A Sigma string value after escape processing: literal characters plus the two wildcards, which
 * are encoded as private-use characters so that transformations (windash, base64, UTF-16) can work
 * on plain strings. {@code bytes} says the characters stand for bytes 0–255 (after a UTF-16
 * modifier), so base64 must encode them as ISO-8859-1 rather than UTF-8.
 */
record Pattern(String text, boolean bytes) {
  static final char ANY = '\uF8FE';
  static final char ONE = '\uF8FF';
  static final String DASHES = "-/\u2013\u2014\u2015";

  /** Parses a Sigma string: {@code *}, {@code ?} wildcards, {@code \*}, {@code \?}, {@code \\}. */
  static Pattern parse(String raw) {
    StringBuilder sb = new StringBuilder(raw.length());
    for (int i = 0; i < raw.length(); i++) {
      char c = raw.charAt(i);
      if (c == '\\' && i + 1 < raw.length()) {
        char n = raw.charAt(i + 1);
        if (n == '*' || n == '?' || n == '\\') {
          sb.append(n);
          i++;
          continue;
        }
        sb.append('\\');
      } else if (c == '*') {
        sb.append(ANY);
      } else if (c == '?') {
        sb.append(ONE);
      } else {
        sb.append(c);
      }
    }
    return new Pattern(sb.toString(), false);
  }

  /** A pattern of literal characters only. */
  static Pattern literal(String s) {
    return new Pattern(s, false);
  }

  boolean hasWildcards() {
    return text.indexOf(ANY) >= 0 || text.indexOf(ONE) >= 0;
  }

  Pattern contains() {
    String t = text;
    if (t.isEmpty() || t.charAt(0) != ANY) {
      t = ANY + t;
    }
    if (t.length() == 1 || t.charAt(t.length() - 1) != ANY) {
      t = t + ANY;
    }
    return new Pattern(t, bytes);
  }

  Pattern startsWith() {
    return text.isEmpty() || text.charAt(text.length() - 1) != ANY
        ? new Pattern(text + ANY, bytes)
        : this;
  }

  Pattern endsWith() {
    return text.isEmpty() || text.charAt(0) != ANY ? new Pattern(ANY + text, bytes) : this;
  }

  /** The text with wildcards shown in Sigma notation, for messages. */
  String display() {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case ANY -> sb.append('*');
        case ONE -> sb.append('?');
        case '*', '?' -> sb.append('\\').append(c);
        default -> {
          if (c < 0x20 || (bytes && c == 0)) {
            sb.append(String.format(java.util.Locale.ROOT, "\\x%02x", (int) c));
          } else {
            sb.append(c);
          }
        }
      }
    }
    return sb.toString();
  }

  /** UTF-16 encoding of the literal characters, as byte characters; wildcards stay wildcards. */
  Pattern utf16(boolean littleEndian, boolean bom) throws IllegalArgumentException {
    StringBuilder sb = new StringBuilder(text.length() * 2 + 2);
    if (bom) {
      sb.append(littleEndian ? "\u00ff\u00fe" : "\u00fe\u00ff");
    }
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == ANY || c == ONE) {
        sb.append(c);
        continue;
      }
      char hi = (char) ((c >> 8) & 0xff);
      char lo = (char) (c & 0xff);
      if (littleEndian) {
        sb.append(lo).append(hi);
      } else {
        sb.append(hi).append(lo);
      }
    }
    return new Pattern(sb.toString(), true);
  }

  private byte[] encodedBytes() {
    return text.getBytes(bytes ? StandardCharsets.ISO_8859_1 : StandardCharsets.UTF_8);
  }

  Pattern base64() {
    return new Pattern(Base64.getEncoder().encodeToString(encodedBytes()), false);
  }

  /** The three shifted base64 forms whose middle part is stable wherever the value sits. */
  List<Pattern> base64Offsets() {
    byte[] value = encodedBytes();
    int[] start = {0, 2, 3};
    int[] endTrim = {0, 3, 2};
    List<Pattern> out = new ArrayList<>(3);
    for (int i = 0; i < 3; i++) {
      byte[] shifted = new byte[value.length + i];
      for (int k = 0; k < i; k++) {
        shifted[k] = ' ';
      }
      System.arraycopy(value, 0, shifted, i, value.length);
      String b64 = Base64.getEncoder().encodeToString(shifted);
      int end = b64.length() - endTrim[(value.length + i) % 3];
      String part = start[i] < end ? b64.substring(start[i], end) : "";
      if (!part.isEmpty() && !out.contains(new Pattern(part, false))) {
        out.add(new Pattern(part, false));
      }
    }
    return out;
  }

  /** Every spelling with each dash-like character replaced by each of the five. */
  List<Pattern> windash(int max) {
    List<String> out = new ArrayList<>();
    out.add("");
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      boolean dash = DASHES.indexOf(c) >= 0;
      List<String> next = new ArrayList<>(dash ? out.size() * DASHES.length() : out.size());
      for (String prefix : out) {
        if (dash) {
          for (int d = 0; d < DASHES.length(); d++) {
            next.add(prefix + DASHES.charAt(d));
          }
        } else {
          next.add(prefix + c);
        }
      }
      if (next.size() > max) {
        return null;
      }
      out = next;
    }
    List<Pattern> patterns = new ArrayList<>(out.size());
    for (String s : out) {
      patterns.add(new Pattern(s, bytes));
    }
    return patterns;
  }
}
