package io.vigil.store.db;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Alerts in SQL; the same statements serve SQLite and PostgreSQL. */
final class SqlAlertRepository implements AlertRepository {
  /** Most alerts one query returns. */
  static final int MAX_PAGE = 1_000;

  /** Sigma levels, lowest first; their index + 1 is the stored rank (0 for an unknown level). */
  static final List<String> LEVELS = List.of("informational", "low", "medium", "high", "critical");

  private static final JsonFactory JSON = new JsonFactory();
  private static final String COLUMNS =
      "id, time_ms, rule_id, rule_title, level, host, event_id, event_json, tags";

  private final Database db;

  SqlAlertRepository(Database db) {
    this.db = db;
  }

  static int rank(String level) {
    return level == null ? 0 : LEVELS.indexOf(level.toLowerCase(Locale.ROOT)) + 1;
  }

  @Override
  public int insert(List<Alert> alerts) {
    if (alerts.isEmpty()) {
      return 0;
    }
    for (Alert a : alerts) {
      if (a.id() == null || a.time() == null || a.ruleId() == null || a.level() == null) {
        throw new IllegalArgumentException(
            "an alert needs id, time, ruleId and level; got " + a.id() + " " + a.ruleId());
      }
    }
    return db.inTransaction(
        "inserting " + alerts.size() + " alerts",
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  "INSERT INTO alerts (id, time_ms, rule_id, rule_title, level, level_rank, host,"
                      + " event_id, event_json, tags) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
                      + " ON CONFLICT (id) DO NOTHING")) {
            for (Alert a : alerts) {
              ps.setString(1, Database.text(a.id()));
              ps.setLong(2, a.time().toEpochMilli());
              ps.setString(3, Database.text(a.ruleId()));
              ps.setString(4, Database.text(a.ruleTitle() == null ? "" : a.ruleTitle()));
              ps.setString(5, Database.text(a.level()));
              ps.setInt(6, rank(a.level()));
              ps.setString(7, Database.text(a.host()));
              ps.setLong(8, a.eventId());
              ps.setString(9, Database.text(a.eventJson() == null ? "{}" : a.eventJson()));
              ps.setString(10, Database.text(tagsJson(a.tags())));
              ps.addBatch();
            }
            int added = 0;
            for (int n : ps.executeBatch()) {
              added += n > 0 ? n : 0;
            }
            return added;
          }
        });
  }

  @Override
  public AlertPage query(AlertQuery q) {
    if (q.limit() < 1) {
      throw new IllegalArgumentException("alert query limit must be at least 1, got " + q.limit());
    }
    if (q.offset() < 0) {
      throw new IllegalArgumentException("alert query offset must be >= 0, got " + q.offset());
    }
    StringBuilder where = new StringBuilder(" WHERE 1=1");
    List<Object> params = new ArrayList<>();
    if (q.ruleId() != null) {
      where.append(" AND rule_id = ?");
      params.add(q.ruleId());
    }
    if (q.minLevel() != null) {
      int rank = rank(q.minLevel());
      if (rank == 0) {
        throw new IllegalArgumentException(
            "unknown alert level '" + q.minLevel() + "': use one of " + LEVELS);
      }
      where.append(" AND level_rank >= ?");
      params.add(rank);
    }
    if (q.host() != null) {
      where.append(" AND host = ?");
      params.add(q.host());
    }
    if (q.from() != null) {
      where.append(" AND time_ms >= ?");
      params.add(q.from().toEpochMilli());
    }
    if (q.to() != null) {
      where.append(" AND time_ms < ?");
      params.add(q.to().toEpochMilli());
    }
    int limit = Math.min(q.limit(), MAX_PAGE);
    return db.with(
        "querying alerts",
        c -> {
          long total;
          try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM alerts" + where)) {
            bind(ps, params);
            try (ResultSet rs = ps.executeQuery()) {
              rs.next();
              total = rs.getLong(1);
            }
          }
          List<Alert> page = new ArrayList<>();
          try (PreparedStatement ps =
              c.prepareStatement(
                  "SELECT "
                      + COLUMNS
                      + " FROM alerts"
                      + where
                      + " ORDER BY time_ms DESC, id LIMIT ? OFFSET ?")) {
            bind(ps, params);
            ps.setInt(params.size() + 1, limit);
            ps.setInt(params.size() + 2, q.offset());
            try (ResultSet rs = ps.executeQuery()) {
              while (rs.next()) {
                page.add(
                    new Alert(
                        rs.getString(1),
                        Instant.ofEpochMilli(rs.getLong(2)),
                        rs.getString(3),
                        rs.getString(4),
                        rs.getString(5),
                        rs.getString(6),
                        rs.getLong(7),
                        rs.getString(8),
                        parseTags(rs.getString(9))));
              }
            }
          }
          return new AlertPage(total, page);
        });
  }

  private static void bind(PreparedStatement ps, List<Object> params) throws java.sql.SQLException {
    for (int i = 0; i < params.size(); i++) {
      Object p = params.get(i);
      if (p instanceof Long l) {
        ps.setLong(i + 1, l);
      } else if (p instanceof Integer n) {
        ps.setInt(i + 1, n);
      } else {
        ps.setString(i + 1, Database.text((String) p));
      }
    }
  }

  @Override
  public long count() {
    return db.with(
        "counting alerts",
        c -> {
          try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM alerts");
              ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
          }
        });
  }

  static String tagsJson(List<String> tags) {
    StringWriter out = new StringWriter();
    try (JsonGenerator g = JSON.createGenerator(out)) {
      g.writeStartArray();
      for (String t : tags) {
        g.writeString(t);
      }
      g.writeEndArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toString();
  }

  static List<String> parseTags(String json) {
    List<String> tags = new ArrayList<>();
    try (JsonParser p = JSON.createParser(json)) {
      if (p.nextToken() == JsonToken.START_ARRAY) {
        while (p.nextToken() == JsonToken.VALUE_STRING) {
          tags.add(p.getText());
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("stored alert tags are not a JSON array: " + json, e);
    }
    return tags;
  }
}
