package io.vigil.store.db;

import java.nio.charset.StandardCharsets;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Dead letters in SQL. */
final class SqlDeadLetterRepository implements DeadLetterRepository {
  /** Most bytes (UTF-8) of a dead letter's raw input that are kept. */
  static final int MAX_RAW_BYTES = 64 * 1024;

  /** Most characters of a source or reason that are kept. */
  static final int MAX_TEXT_CHARS = 4_096;

  /** Most dead letters {@link #recent} returns. */
  static final int MAX_RECENT = 1_000;

  private final Database db;

  SqlDeadLetterRepository(Database db) {
    this.db = db;
  }

  @Override
  public void add(DeadLetter letter) {
    db.with(
        "storing a dead letter",
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  "INSERT INTO dead_letters (time_ms, source, reason, raw) VALUES (?, ?, ?, ?)")) {
            ps.setLong(1, (letter.time() == null ? Instant.now() : letter.time()).toEpochMilli());
            ps.setString(2, Database.text(cut(nonNull(letter.source()), MAX_TEXT_CHARS)));
            ps.setString(3, Database.text(cut(nonNull(letter.reason()), MAX_TEXT_CHARS)));
            ps.setString(4, Database.text(truncateUtf8(nonNull(letter.raw()), MAX_RAW_BYTES)));
            return ps.executeUpdate();
          }
        });
  }

  private static String nonNull(String s) {
    return s == null ? "" : s;
  }

  private static String cut(String s, int max) {
    if (s.length() <= max) {
      return s;
    }
    int end = Character.isHighSurrogate(s.charAt(max - 1)) ? max - 1 : max;
    return s.substring(0, end);
  }

  /** The longest prefix of {@code s} whose UTF-8 form fits in {@code maxBytes}. */
  static String truncateUtf8(String s, int maxBytes) {
    if (s.length() * 3L <= maxBytes) {
      return s;
    }
    int bytes = 0;
    for (int i = 0; i < s.length(); ) {
      int cp = s.codePointAt(i);
      int n = cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
      if (Character.isSurrogate((char) cp)) {
        n = 3; // a lone surrogate becomes '?' or U+FFFD: count the larger
      }
      if (bytes + n > maxBytes) {
        return s.substring(0, i);
      }
      bytes += n;
      i += Character.charCount(cp);
    }
    assert s.getBytes(StandardCharsets.UTF_8).length <= maxBytes;
    return s;
  }

  @Override
  public List<DeadLetter> recent(int limit) {
    if (limit < 1) {
      throw new IllegalArgumentException("dead letter limit must be at least 1, got " + limit);
    }
    return db.with(
        "reading dead letters",
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  "SELECT time_ms, source, reason, raw FROM dead_letters ORDER BY id DESC LIMIT ?")) {
            ps.setInt(1, Math.min(limit, MAX_RECENT));
            List<DeadLetter> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
              while (rs.next()) {
                out.add(
                    new DeadLetter(
                        Instant.ofEpochMilli(rs.getLong(1)),
                        rs.getString(2),
                        rs.getString(3),
                        rs.getString(4)));
              }
            }
            return out;
          }
        });
  }

  @Override
  public long count() {
    return db.with(
        "counting dead letters",
        c -> {
          try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM dead_letters");
              ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
          }
        });
  }
}
