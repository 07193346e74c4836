package io.vigil.cli;

import io.vigil.event.Event;
import java.time.Instant;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Reads the fields that hunt output shows from an event that fired: when it happened, on which
 * host, and one short key field (a command line, a registry key...). Windows sources put the same
 * field in several shapes (flat, {@code Event.EventData}, Winlogbeat), so each is tried in turn.
 * Only events that fired are read this way, so the lazy full parse of {@link Event#get(String)} is
 * off the hot path.
 */
final class HuntFields {
  /** Where events keep their time, most specific first. */
  static final List<String> TIMESTAMP_PATHS =
      List.of(
          "@timestamp",
          "TimeCreated",
          "Event.System.TimeCreated.#attributes.SystemTime",
          "Event.System.TimeCreated.SystemTime",
          "winlog.time_created",
          "UtcTime",
          "eventTime",
          "timestamp",
          "ts");

  private static final List<String> HOST_PATHS =
      List.of(
          "Hostname",
          "Computer",
          "Event.System.Computer",
          "winlog.computer_name",
          "host.name",
          "host.hostname",
          "ComputerName",
          "hostname");

  /** Key fields in order of how much they say about an event. */
  private static final List<String> DETAIL_FIELDS =
      List.of(
          "CommandLine",
          "ScriptBlockText",
          "ImagePath",
          "TargetObject",
          "TargetFilename",
          "QueryName",
          "ImageLoaded",
          "PipeName",
          "TargetImage",
          "Image",
          "NewProcessName",
          "ServiceName",
          "ObjectName",
          "TargetUserName",
          "SubjectUserName",
          "DestinationIp",
          "eventName",
          "query");

  private static final List<String> PREFIXES =
      List.of("", "Event.EventData.", "winlog.event_data.");
  private static final Pattern SPACE_DATE =
      Pattern.compile("^\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}.*");
  private static final Pattern WHITESPACE = Pattern.compile("[\\r\\n\\t]+");

  private HuntFields() {}

  /** The event's time as ISO-8601 text, or null when it carries none that we know. */
  static String timestamp(Event event) {
    for (String path : TIMESTAMP_PATHS) {
      Object value = scalar(event.get(path));
      if (value instanceof String s && !s.isBlank()) {
        String t = s.strip();
        return SPACE_DATE.matcher(t).matches() ? t.replaceFirst(" ", "T") : t;
      }
      if (value instanceof Number n) {
        return epoch(n);
      }
    }
    return null;
  }

  /** Epoch seconds (Zeek {@code ts}) or milliseconds, told apart by size. */
  private static String epoch(Number n) {
    double v = n.doubleValue();
    if (!Double.isFinite(v) || v < 0) {
      return null;
    }
    long millis = v > 1e12 ? (long) v : Math.round(v * 1000);
    return Instant.ofEpochMilli(millis).toString();
  }

  /** The host the event came from, or "" when it does not say. */
  static String host(Event event) {
    for (String path : HOST_PATHS) {
      Object value = scalar(event.get(path));
      if (value != null && value != Event.NULL) {
        return String.valueOf(value);
      }
    }
    return "";
  }

  /** One line that says what the event was about, or "". */
  static String detail(Event event) {
    for (String field : DETAIL_FIELDS) {
      String value = field(event, field);
      if (value == null) {
        continue;
      }
      if (field.equals("TargetImage")) {
        String source = field(event, "SourceImage");
        String access = field(event, "GrantedAccess");
        value =
            (source == null ? "" : source + " -> ")
                + value
                + (access == null ? "" : " (" + access + ")");
      } else if (field.equals("TargetObject")) {
        String details = field(event, "Details");
        value = details == null ? value : value + " = " + details;
      }
      return oneLine(value);
    }
    return "";
  }

  private static String field(Event event, String name) {
    for (String prefix : PREFIXES) {
      Object value = scalar(event.get(prefix + name));
      if (value != null && value != Event.NULL) {
        String s = String.valueOf(value);
        if (!s.isBlank()) {
          return s;
        }
      }
    }
    return null;
  }

  private static Object scalar(Object value) {
    if (value instanceof List<?> list) {
      return list.isEmpty() ? null : list.get(0);
    }
    return value;
  }

  static String oneLine(String s) {
    return WHITESPACE.matcher(s).replaceAll(" ").strip();
  }
}
