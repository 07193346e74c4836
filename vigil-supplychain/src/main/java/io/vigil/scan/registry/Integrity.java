package io.vigil.scan.registry;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;

/**
 * Expected digests of an archive, parsed from lockfile text: space-separated tokens, each SRI
 * ({@code sha512-BASE64}, npm) or {@code alg:HEX} ({@code sha256:…}, pip, Pipfile.lock, poetry).
 * The archive matches when any supported token matches.
 */
final class Integrity {
  record Digest(String algorithm, byte[] value) {
    String javaName() {
      return switch (algorithm) {
        case "sha1" -> "SHA-1";
        case "sha256" -> "SHA-256";
        case "sha384" -> "SHA-384";
        case "sha512" -> "SHA-512";
        case "md5" -> "MD5";
        default -> throw new IllegalStateException(algorithm);
      };
    }

    String display() {
      return algorithm + ":" + HexFormat.of().formatHex(value);
    }
  }

  private final List<Digest> digests;

  private Integrity(List<Digest> digests) {
    this.digests = List.copyOf(digests);
  }

  /** Parses the tokens it understands; unknown algorithms and malformed tokens are ignored. */
  static Integrity parse(String text) {
    List<Digest> out = new ArrayList<>();
    if (text != null) {
      for (String token : text.trim().split("\\s+")) {
        Digest d = parseToken(token);
        if (d != null) {
          out.add(d);
        }
      }
    }
    return new Integrity(out);
  }

  private static Digest parseToken(String token) {
    int colon = token.indexOf(':');
    int dash = token.indexOf('-');
    try {
      if (colon > 0 && (dash < 0 || colon < dash)) {
        String alg = normalize(token.substring(0, colon));
        return alg == null
            ? null
            : new Digest(
                alg, HexFormat.of().parseHex(token.substring(colon + 1).toLowerCase(Locale.ROOT)));
      }
      if (dash > 0) {
        String alg = normalize(token.substring(0, dash));
        String b64 = token.substring(dash + 1);
        int opt = b64.indexOf('?');
        if (opt >= 0) {
          b64 = b64.substring(0, opt);
        }
        return alg == null ? null : new Digest(alg, Base64.getDecoder().decode(b64));
      }
    } catch (IllegalArgumentException e) {
      return null;
    }
    return null;
  }

  private static String normalize(String alg) {
    String a = alg.toLowerCase(Locale.ROOT).replace("-", "");
    return switch (a) {
      case "sha1", "sha256", "sha384", "sha512", "md5" -> a;
      default -> null;
    };
  }

  boolean isEmpty() {
    return digests.isEmpty();
  }

  List<Digest> digests() {
    return digests;
  }

  Integrity plus(Integrity other) {
    List<Digest> all = new ArrayList<>(digests);
    all.addAll(other.digests);
    return new Integrity(all);
  }

  /** Digesters for every algorithm named, to feed while streaming. */
  static MessageDigest digester(String javaName) {
    try {
      return MessageDigest.getInstance(javaName);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(javaName + " is missing from this JDK", e);
    }
  }
}
