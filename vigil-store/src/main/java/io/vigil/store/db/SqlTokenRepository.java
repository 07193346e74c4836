package io.vigil.store.db;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;

/** API tokens in SQL: only the SHA-256 of a token is stored. */
final class SqlTokenRepository implements TokenRepository {
  /** The prefix of every token Vigil creates, so that scanners can spot leaked ones. */
  static final String PREFIX = "vgl_";

  /** Random bytes in a created token. */
  static final int TOKEN_BYTES = 32;

  private static final SecureRandom RANDOM = new SecureRandom();

  private final Database db;

  SqlTokenRepository(Database db) {
    this.db = db;
  }

  static String hash(String plaintext) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      return HexFormat.of().formatHex(sha.digest(plaintext.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }

  private static void check(String role, String name) {
    if (role == null || role.isBlank()) {
      throw new IllegalArgumentException("a token needs a role, e.g. admin or analyst");
    }
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("a token needs a name saying whose it is");
    }
  }

  @Override
  public String create(String role, String name) {
    check(role, name);
    byte[] random = new byte[TOKEN_BYTES];
    RANDOM.nextBytes(random);
    String token = PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(random);
    insert(token, role, name);
    return token;
  }

  @Override
  public void storeIfAbsent(String plaintext, String role, String name) {
    check(role, name);
    if (plaintext == null || plaintext.length() < 16) {
      throw new IllegalArgumentException(
          "a token must have at least 16 characters (VIGIL_ADMIN_TOKEN); generate one with"
              + " e.g. `openssl rand -base64 32`");
    }
    insert(plaintext, role, name);
  }

  private void insert(String plaintext, String role, String name) {
    db.with(
        "storing a token",
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  "INSERT INTO tokens (hash, role, name, created_ms) VALUES (?, ?, ?, ?)"
                      + " ON CONFLICT (hash) DO NOTHING")) {
            ps.setString(1, hash(plaintext));
            ps.setString(2, Database.text(role));
            ps.setString(3, Database.text(name));
            ps.setLong(4, System.currentTimeMillis());
            return ps.executeUpdate();
          }
        });
  }

  @Override
  public Optional<Principal> verify(String plaintext) {
    if (plaintext == null || plaintext.isEmpty()) {
      return Optional.empty();
    }
    return db.with(
        "verifying a token",
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement("SELECT name, role FROM tokens WHERE hash = ?")) {
            ps.setString(1, hash(plaintext));
            try (ResultSet rs = ps.executeQuery()) {
              return rs.next()
                  ? Optional.of(new Principal(rs.getString(1), rs.getString(2)))
                  : Optional.empty();
            }
          }
        });
  }

  @Override
  public boolean isEmpty() {
    return db.with(
        "counting tokens",
        c -> {
          try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM tokens LIMIT 1");
              ResultSet rs = ps.executeQuery()) {
            return !rs.next();
          }
        });
  }
}
