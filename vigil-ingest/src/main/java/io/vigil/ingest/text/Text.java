package io.vigil.ingest.text;

import java.nio.charset.StandardCharsets;

/** Small parsing helpers shared by the text decoders. */
final class Text {
  private Text() {}

  /** A decimal number of at most 18 digits, or -1 when {@code s[from,to)} is not one. */
  static long digits(CharSequence s, int from, int to) {
    if (from >= to || to - from > 18) {
      return -1;
    }
    long n = 0;
    for (int i = from; i < to; i++) {
      char c = s.charAt(i);
      if (c < '0' || c > '9') {
        return -1;
      }
      n = n * 10 + (c - '0');
    }
    return n;
  }

  /** A whole decimal number, or -1. */
  static long digits(String s) {
    return digits(s, 0, s.length());
  }

  /** {@code s} as a Long when it is a decimal integer (an optional minus sign), else null. */
  static Long integer(String s) {
    if (s == null || s.isEmpty()) {
      return null;
    }
    boolean minus = s.charAt(0) == '-';
    long v = digits(s, minus ? 1 : 0, s.length());
    return v < 0 ? null : minus ? -v : v;
  }

  /** Whether {@code s} is a non-empty run of an even number of hex digits. */
  static boolean isHex(String s) {
    if (s.isEmpty() || (s.length() & 1) != 0) {
      return false;
    }
    for (int i = 0; i < s.length(); i++) {
      if (Character.digit(s.charAt(i), 16) < 0) {
        return false;
      }
    }
    return true;
  }

  /** Hex digits decoded as UTF-8 (invalid sequences become U+FFFD); NULs become {@code nul}. */
  static String unhex(String hex, String nul) {
    byte[] bytes = new byte[hex.length() / 2];
    for (int i = 0; i < bytes.length; i++) {
      bytes[i] =
          (byte)
              ((Character.digit(hex.charAt(2 * i), 16) << 4)
                  | Character.digit(hex.charAt(2 * i + 1), 16));
    }
    int end = bytes.length;
    while (end > 0 && bytes[end - 1] == 0) {
      end--;
    }
    String s = new String(bytes, 0, end, StandardCharsets.UTF_8);
    return s.indexOf('\0') >= 0 ? s.replace("\0", nul) : s;
  }

  /** At most {@code max} characters of {@code s}, for messages. */
  static String clip(String s, int max) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < s.length() && out.length() < max; i++) {
      char c = s.charAt(i);
      out.append(c < 0x20 || c == 0x7f ? '?' : c);
    }
    if (s.length() > max) {
      out.append('…');
    }
    return out.toString();
  }

  /** Where a dotted IPv4 or an IPv6 address looks plausible (no resolution, no full check). */
  static boolean looksLikeIp(String s) {
    if (s.isEmpty() || s.length() > 45) {
      return false;
    }
    boolean colon = false;
    int dots = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == ':') {
        colon = true;
      } else if (c == '.') {
        dots++;
      } else if (Character.digit(c, 16) < 0) {
        return false;
      }
    }
    return colon || dots == 3;
  }
}
