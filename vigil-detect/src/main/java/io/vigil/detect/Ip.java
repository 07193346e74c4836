package io.vigil.detect;

/** IPv4 and IPv6 address parsing without name resolution, and prefix comparison. */
final class Ip {
  private Ip() {}

  /** The 4 or 16 bytes of a textual address, or null when the text is not one. */
  static byte[] parse(String s) {
    if (s.isEmpty() || s.length() > 64) {
      return null;
    }
    if (s.charAt(0) == '[' && s.endsWith("]")) {
      s = s.substring(1, s.length() - 1);
    }
    int zone = s.indexOf('%');
    if (zone >= 0) {
      s = s.substring(0, zone);
    }
    return s.indexOf(':') >= 0 ? parseV6(s) : parseV4(s);
  }

  static byte[] parseV4(String s) {
    byte[] out = new byte[4];
    int part = 0;
    int value = -1;
    for (int i = 0; i <= s.length(); i++) {
      char c = i < s.length() ? s.charAt(i) : '.';
      if (c == '.') {
        if (value < 0 || part > 3) {
          return null;
        }
        out[part++] = (byte) value;
        value = -1;
      } else if (c >= '0' && c <= '9') {
        value = (value < 0 ? 0 : value * 10) + (c - '0');
        if (value > 255) {
          return null;
        }
      } else {
        return null;
      }
    }
    return part == 4 ? out : null;
  }

  static byte[] parseV6(String s) {
    int dbl = s.indexOf("::");
    if (dbl >= 0 && s.indexOf("::", dbl + 1) >= 0) {
      return null;
    }
    String head = dbl >= 0 ? s.substring(0, dbl) : s;
    String tail = dbl >= 0 ? s.substring(dbl + 2) : "";
    byte[] h = groups(head);
    byte[] t = groups(tail);
    if (h == null || t == null) {
      return null;
    }
    if (dbl < 0 ? h.length != 16 : h.length + t.length > 14) {
      return null;
    }
    byte[] out = new byte[16];
    System.arraycopy(h, 0, out, 0, h.length);
    System.arraycopy(t, 0, out, 16 - t.length, t.length);
    return out;
  }

  private static byte[] groups(String s) {
    if (s.isEmpty()) {
      return new byte[0];
    }
    String[] parts = s.split(":", -1);
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    for (int i = 0; i < parts.length; i++) {
      String p = parts[i];
      if (i == parts.length - 1 && p.indexOf('.') >= 0) {
        byte[] v4 = parseV4(p);
        if (v4 == null) {
          return null;
        }
        out.writeBytes(v4);
        continue;
      }
      if (p.isEmpty() || p.length() > 4) {
        return null;
      }
      int v;
      try {
        v = Integer.parseInt(p, 16);
      } catch (NumberFormatException e) {
        return null;
      }
      out.write(v >> 8);
      out.write(v & 0xff);
    }
    return out.size() > 16 ? null : out.toByteArray();
  }

  static boolean isV4Mapped(byte[] ip) {
    for (int i = 0; i < 10; i++) {
      if (ip[i] != 0) {
        return false;
      }
    }
    return ip[10] == (byte) 0xff && ip[11] == (byte) 0xff;
  }

  static boolean inPrefix(byte[] ip, byte[] network, int prefix) {
    int full = prefix / 8;
    for (int i = 0; i < full; i++) {
      if (ip[i] != network[i]) {
        return false;
      }
    }
    int rest = prefix % 8;
    if (rest == 0) {
      return true;
    }
    int mask = (0xff << (8 - rest)) & 0xff;
    return (ip[full] & mask) == (network[full] & mask);
  }
}
