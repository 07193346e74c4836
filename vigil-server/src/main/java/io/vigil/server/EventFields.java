package io.vigil.server;

import io.vigil.event.Event;
import io.vigil.event.EventParseException;
import io.vigil.event.FieldSchema;
import io.vigil.ingest.Syslog;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/**
 * What the server reads from an event beyond the rules' fields: its time (for the daily index and
 * alerts), its host (for alerts), and the JSON of a raw syslog message. Time and host are read from
 * slots that {@link #withServerFields} adds to the rules' schema, so the one parse that feeds the
 * detection engine also yields them (no second pass over the JSON).
 */
final class EventFields {
  /** Time fields, the first present (in this order) wins. */
  static final List<String> TIME_PATHS =
      List.of("@timestamp", "timestamp", "UtcTime", "TimeCreated", "EventTime", "time", "ts");

  /** Host fields, the first present string (in this order) wins. */
  static final List<String> HOST_PATHS =
      List.of("Computer", "hostname", "ComputerName", "host.name", "host", "Event.System.Computer");

  private final int[] timeSlots;
  private final int[] hostSlots;

  /**
   * Reads time and host from events parsed with {@code schema} (from {@link #withServerFields}).
   */
  EventFields(FieldSchema schema) {
    this.timeSlots = TIME_PATHS.stream().mapToInt(schema::slot).toArray();
    this.hostSlots = HOST_PATHS.stream().mapToInt(schema::slot).toArray();
    for (int[] slots : new int[][] {timeSlots, hostSlots}) {
      for (int slot : slots) {
        if (slot < 0) {
          throw new IllegalArgumentException("the schema lacks the server's fields");
        }
      }
    }
  }

  /** The rules' schema with the time and host paths after the rules' own (their slots kept). */
  static FieldSchema withServerFields(FieldSchema rules) {
    List<String> paths = new ArrayList<>(rules.paths());
    paths.addAll(TIME_PATHS);
    paths.addAll(HOST_PATHS);
    return FieldSchema.of(paths);
  }

  /** The event's own time from its time fields, or {@code fallback}. */
  Instant time(Event event, Instant fallback) {
    for (int slot : timeSlots) {
      Instant t = toInstant(event.get(slot));
      if (t != null) {
        return t;
      }
    }
    return fallback;
  }

  private static Instant toInstant(Object v) {
    if (v instanceof String s) {
      return parseTime(s);
    }
    if (v instanceof Number n) {
      double d = n.doubleValue();
      if (!Double.isFinite(d)) {
        return null;
      }
      // large numbers are epoch milliseconds, small ones epoch seconds
      return d > 1e11 ? Instant.ofEpochMilli((long) d) : Instant.ofEpochMilli((long) (d * 1000));
    }
    return null;
  }

  /** A host name from the usual fields (Computer, hostname, host.name, host), or null. */
  String host(Event event) {
    for (int slot : hostSlots) {
      if (event.get(slot) instanceof String s && !s.isEmpty()) {
        return s;
      }
    }
    return null;
  }

  /** ISO-8601 with or without zone (UTC assumed), with 'T' or a space. */
  static Instant parseTime(String s) {
    Instant fast = parseCommonIso(s);
    if (fast != null) {
      return fast;
    }
    String t = s.strip().replace(' ', 'T');
    int tee = t.indexOf('T');
    if (tee < 0) {
      return null;
    }
    // one parse attempt (a failed parse costs an exception): with a zone when one follows the time
    char last = t.charAt(t.length() - 1);
    boolean zoned =
        last == 'Z' || last == 'z' || t.indexOf('+', tee) > 0 || t.indexOf('-', tee) > 0;
    try {
      return zoned
          ? OffsetDateTime.parse(t).toInstant()
          : LocalDateTime.parse(t).toInstant(ZoneOffset.UTC);
    } catch (DateTimeParseException e) {
      return null;
    }
  }

  /**
   * The common shape {@code yyyy-MM-ddTHH:mm:ss[.fraction][Z|±HH:MM]} ('T' or a space) read without
   * java.time's formatter (a tenth of the cost), or null for anything else, which the formatter
   * then reads (or refuses).
   */
  static Instant parseCommonIso(String t) {
    int n = t.length();
    if (n < 19
        || t.charAt(4) != '-'
        || t.charAt(7) != '-'
        || (t.charAt(10) != 'T' && t.charAt(10) != ' ')
        || t.charAt(13) != ':'
        || t.charAt(16) != ':') {
      return null;
    }
    int year = digits(t, 0, 4);
    int month = digits(t, 5, 2);
    int day = digits(t, 8, 2);
    int hour = digits(t, 11, 2);
    int minute = digits(t, 14, 2);
    int second = digits(t, 17, 2);
    if (year < 0 || month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59) {
      return null;
    }
    if (second > 59 || hour < 0 || minute < 0 || second < 0) {
      return null;
    }
    int i = 19;
    long nanos = 0;
    if (i < n && t.charAt(i) == '.') {
      int scale = 100_000_000;
      i++;
      int start = i;
      while (i < n && t.charAt(i) >= '0' && t.charAt(i) <= '9') {
        nanos += (t.charAt(i) - '0') * (long) scale;
        scale /= 10;
        i++;
      }
      if (i == start || i - start > 9) {
        return null;
      }
    }
    int offsetSeconds;
    if (i == n) {
      offsetSeconds = 0; // no zone: UTC
    } else if (i == n - 1 && (t.charAt(i) == 'Z' || t.charAt(i) == 'z')) {
      offsetSeconds = 0;
    } else if (i == n - 6 && (t.charAt(i) == '+' || t.charAt(i) == '-') && t.charAt(i + 3) == ':') {
      int oh = digits(t, i + 1, 2);
      int om = digits(t, i + 4, 2);
      if (oh < 0 || om < 0 || oh > 18 || om > 59) {
        return null;
      }
      offsetSeconds = (t.charAt(i) == '-' ? -1 : 1) * (oh * 3600 + om * 60);
    } else {
      return null;
    }
    if (day > java.time.YearMonth.of(year, month).lengthOfMonth()) {
      return null;
    }
    long epochDay = java.time.LocalDate.of(year, month, day).toEpochDay();
    long secs = epochDay * 86_400 + hour * 3600L + minute * 60L + second - offsetSeconds;
    return Instant.ofEpochSecond(secs, nanos);
  }

  /** The value of {@code count} decimal digits at {@code from}, or -1 if one is not a digit. */
  private static int digits(String s, int from, int count) {
    int v = 0;
    for (int i = from; i < from + count; i++) {
      char c = s.charAt(i);
      if (c < '0' || c > '9') {
        return -1;
      }
      v = v * 10 + (c - '0');
    }
    return v;
  }

  /**
   * The normalized JSON of a syslog message ({@link Syslog#toJson}).
   *
   * @throws EventParseException when the message is not syslog
   */
  static String syslogJson(String message, Instant received, String peer) {
    return Syslog.toJson(message, received, peer);
  }
}
