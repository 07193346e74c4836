package io.vigil.scan.osv;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A semantic version as npm orders it (SemVer 2.0.0): {@code
 * MAJOR.MINOR.PATCH[-PRERELEASE][+BUILD]}; a prerelease sorts before its release, identifiers
 * compare numerically when both are digits, digits before letters, and build metadata is ignored. A
 * leading {@code v} or {@code =} is allowed, and missing minor or patch parts count as 0.
 */
record NpmVersion(BigInteger major, BigInteger minor, BigInteger patch, List<String> pre)
    implements Comparable<NpmVersion> {
  static final int MAX_LENGTH = 256;

  static Optional<NpmVersion> parse(String text) {
    String s = text.trim();
    if (s.isEmpty() || s.length() > MAX_LENGTH) {
      return Optional.empty();
    }
    if (s.charAt(0) == 'v' || s.charAt(0) == 'V' || s.charAt(0) == '=') {
      s = s.substring(1);
    }
    int plus = s.indexOf('+');
    if (plus >= 0) {
      s = s.substring(0, plus);
    }
    String core = s;
    List<String> pre = List.of();
    int dash = s.indexOf('-');
    if (dash >= 0) {
      core = s.substring(0, dash);
      String p = s.substring(dash + 1);
      if (p.isEmpty()) {
        return Optional.empty();
      }
      List<String> ids = new ArrayList<>();
      for (String id : p.split("\\.", -1)) {
        if (id.isEmpty() || !id.chars().allMatch(c -> Character.isLetterOrDigit(c) || c == '-')) {
          return Optional.empty();
        }
        ids.add(id);
      }
      pre = List.copyOf(ids);
    }
    String[] parts = core.split("\\.", -1);
    if (parts.length > 3) {
      return Optional.empty();
    }
    BigInteger[] nums = {BigInteger.ZERO, BigInteger.ZERO, BigInteger.ZERO};
    for (int i = 0; i < parts.length; i++) {
      if (!isDigits(parts[i])) {
        return Optional.empty();
      }
      nums[i] = new BigInteger(parts[i]);
    }
    return Optional.of(new NpmVersion(nums[0], nums[1], nums[2], pre));
  }

  static boolean isDigits(String s) {
    return !s.isEmpty() && s.chars().allMatch(c -> c >= '0' && c <= '9');
  }

  @Override
  public int compareTo(NpmVersion o) {
    int c = major.compareTo(o.major);
    if (c == 0) {
      c = minor.compareTo(o.minor);
    }
    if (c == 0) {
      c = patch.compareTo(o.patch);
    }
    if (c != 0) {
      return c;
    }
    if (pre.isEmpty() || o.pre.isEmpty()) {
      return Boolean.compare(pre.isEmpty(), o.pre.isEmpty());
    }
    for (int i = 0; i < Math.min(pre.size(), o.pre.size()); i++) {
      String a = pre.get(i);
      String b = o.pre.get(i);
      boolean an = isDigits(a);
      boolean bn = isDigits(b);
      int d;
      if (an && bn) {
        d = new BigInteger(a).compareTo(new BigInteger(b));
      } else if (an != bn) {
        d = an ? -1 : 1;
      } else {
        d = a.compareTo(b);
      }
      if (d != 0) {
        return d;
      }
    }
    return Integer.compare(pre.size(), o.pre.size());
  }
}
