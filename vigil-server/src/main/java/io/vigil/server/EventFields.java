package io.vigil.server;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.vigil.event.EventParseException;
import io.vigil.ingest.Syslog;
import java.io.IOException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Set;

/**
 * What the server reads from an event beyond the rules' fields: its time (for the daily index and
 * alerts), its host (for alerts), and the JSON of a raw syslog message.
 */
final class EventFields {
  private static final JsonFactory JSON = new JsonFactory();

  /** Top-level time fields, lower-case, in no particular order (the first present wins). */
  private static final Set<String> TIME_KEYS =
      Set.of("@timestamp", "timestamp", "utctime", "timecreated", "eventtime", "time", "ts");

  private static final Set<String> HOST_KEYS =
      Set.of("computer", "hostname", "computername", "host", "host.name");

  private EventFields() {}

  /** The event's own time from a top-level field, or {@code fallback}. */
  static Instant time(String json, Instant fallback) {
    try (JsonParser p = JSON.createParser(json)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        return fallback;
      }
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String key = p.currentName().toLowerCase(Locale.ROOT);
        JsonToken v = p.nextToken();
        if (TIME_KEYS.contains(key)) {
          Instant t = null;
          if (v == JsonToken.VALUE_STRING) {
            t = parseTime(p.getText());
          } else if (v == JsonToken.VALUE_NUMBER_INT || v == JsonToken.VALUE_NUMBER_FLOAT) {
            double d = p.getDoubleValue();
            t = d > 1e11 ? Instant.ofEpochMilli((long) d) : Instant.ofEpochMilli((long) (d * 1000));
          }
          if (t != null) {
            return t;
          }
        }
        p.skipChildren();
      }
    } catch (IOException e) {
      // fall back
    }
    return fallback;
  }

  /** ISO-8601 with or without zone (UTC assumed), with 'T' or a space. */
  static Instant parseTime(String s) {
    String t = s.strip().replace(' ', 'T');
    try {
      return OffsetDateTime.parse(t).toInstant();
    } catch (DateTimeParseException e) {
      // try without zone
    }
    try {
      return LocalDateTime.parse(t).toInstant(ZoneOffset.UTC);
    } catch (DateTimeParseException e) {
      return null;
    }
  }

  /** A host name from the usual fields (Computer, hostname, host.name, host), or null. */
  static String host(com.fasterxml.jackson.databind.JsonNode event) {
    for (var it = event.properties().iterator(); it.hasNext(); ) {
      var e = it.next();
      String key = e.getKey().toLowerCase(Locale.ROOT);
      if (!HOST_KEYS.contains(key)) {
        continue;
      }
      var v = e.getValue();
      if (v.isTextual()) {
        return v.asText();
      }
      if (v.isObject() && v.path("name").isTextual()) {
        return v.path("name").asText();
      }
    }
    var system = event.path("Event").path("System").path("Computer");
    return system.isTextual() ? system.asText() : null;
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
