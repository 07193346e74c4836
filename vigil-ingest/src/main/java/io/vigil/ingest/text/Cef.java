package io.vigil.ingest.text;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * ArcSight Common Event Format: {@code CEF:Version|Device Vendor|Device Product|Device
 * Version|Signature ID|Name|Severity|Extension}.
 *
 * <p>The seven header fields go under {@code cef.*} ({@code cef.version}, {@code
 * cef.device_vendor}, {@code cef.device_product}, {@code cef.device_version}, {@code
 * cef.signature_id}, {@code cef.name}, {@code cef.severity}); the extension's keys ({@code src},
 * {@code dst}, {@code spt}, {@code suser}, {@code request} …) stay at the top level under their own
 * CEF names, as the source writes them, and the well-known ones are also mapped to ECS ({@code
 * source.ip}, {@code destination.port}, {@code url.original} …). A header escapes {@code \|} and
 * {@code \\}; an extension value escapes {@code \=}, {@code \\}, {@code \n} and {@code \r}, and
 * runs, spaces and all, up to the next {@code " key="}.
 */
final class Cef {
  private Cef() {}

  /** CEF extension keys and the ECS paths they also fill. */
  private static final Map<String, String> ECS =
      Map.ofEntries(
          Map.entry("src", "source.ip"),
          Map.entry("spt", "source.port"),
          Map.entry("shost", "source.domain"),
          Map.entry("smac", "source.mac"),
          Map.entry("suser", "source.user.name"),
          Map.entry("dst", "destination.ip"),
          Map.entry("dpt", "destination.port"),
          Map.entry("dhost", "destination.domain"),
          Map.entry("dmac", "destination.mac"),
          Map.entry("duser", "destination.user.name"),
          Map.entry("act", "event.action"),
          Map.entry("outcome", "event.outcome"),
          Map.entry("msg", "message"),
          Map.entry("proto", "network.transport"),
          Map.entry("app", "network.protocol"),
          Map.entry("in", "source.bytes"),
          Map.entry("out", "destination.bytes"),
          Map.entry("request", "url.original"),
          Map.entry("requestMethod", "http.request.method"),
          Map.entry("requestClientApplication", "user_agent.original"),
          Map.entry("dproc", "process.name"),
          Map.entry("dpid", "process.pid"),
          Map.entry("sproc", "process.parent.name"),
          Map.entry("spid", "process.parent.pid"),
          Map.entry("fname", "file.name"),
          Map.entry("filePath", "file.path"),
          Map.entry("fileHash", "file.hash.sha256"),
          Map.entry("fsize", "file.size"),
          Map.entry("dvc", "observer.ip"),
          Map.entry("dvchost", "observer.hostname"),
          Map.entry("externalId", "event.id"),
          Map.entry("reason", "event.reason"));

  private static final DateTimeFormatter[] RT_FORMATS = {
    DateTimeFormatter.ofPattern("MMM dd yyyy HH:mm:ss.SSS", Locale.ROOT),
    DateTimeFormatter.ofPattern("MMM dd yyyy HH:mm:ss", Locale.ROOT),
  };

  /** Whether {@code text} starts like a CEF record. */
  static boolean looksLike(String text) {
    return text.startsWith("CEF:") && text.indexOf('|') > 0;
  }

  /**
   * Parses a CEF record into {@code out}.
   *
   * @throws BadLineException when the header does not have its seven fields
   */
  static void parse(String text, EcsJson out) throws BadLineException {
    if (!text.startsWith("CEF:")) {
      throw new BadLineException("a CEF record starts with \"CEF:\"");
    }
    List<String> header = new ArrayList<>(7);
    StringBuilder cur = new StringBuilder();
    int i = 4;
    int n = text.length();
    while (i < n && header.size() < 7) {
      char c = text.charAt(i);
      if (c == '\\' && i + 1 < n && (text.charAt(i + 1) == '|' || text.charAt(i + 1) == '\\')) {
        cur.append(text.charAt(i + 1));
        i += 2;
      } else if (c == '|') {
        header.add(cur.toString());
        cur.setLength(0);
        i++;
      } else {
        cur.append(c);
        i++;
      }
    }
    if (header.size() < 7) {
      throw new BadLineException(
          "a CEF header has 7 fields separated by '|' (Version|Device Vendor|Device Product|Device"
              + " Version|Signature ID|Name|Severity|), found "
              + (header.size() + 1));
    }
    String extension = text.substring(i);
    List<String[]> pairs = extension(extension);
    // source fields first: they keep their names whatever ECS does
    for (String[] kv : pairs) {
      out.field(kv[0], kv[1]);
    }
    out.set("cef.version", header.get(0));
    out.set("cef.device_vendor", header.get(1));
    out.set("cef.device_product", header.get(2));
    out.set("cef.device_version", header.get(3));
    out.set("cef.signature_id", header.get(4));
    out.set("cef.name", header.get(5));
    out.set("cef.severity", header.get(6));
    out.set("observer.vendor", header.get(1));
    out.set("observer.product", header.get(2));
    out.set("observer.version", header.get(3));
    out.set("event.code", header.get(4));
    Long severity = Text.integer(header.get(6).trim());
    if (severity != null) {
      out.set("event.severity", severity);
    }
    for (String[] kv : pairs) {
      String path = ECS.get(kv[0]);
      if (path == null) {
        if (kv[0].equals("rt") || kv[0].equals("end")) {
          Instant t = time(kv[1]);
          if (t != null) {
            out.set("@timestamp", EcsJson.timestamp(t));
          }
        }
        continue;
      }
      Object value = kv[1];
      if (path.endsWith(".port")
          || path.endsWith(".pid")
          || path.endsWith(".bytes")
          || path.endsWith(".size")) {
        value = Text.integer(kv[1].trim());
      }
      out.set(path, value);
    }
    if (!out.has("message")) {
      out.set("message", header.get(5));
    }
    out.set("event.kind", "alert");
  }

  /** Extension pairs in order; a value runs up to the space before the next {@code key=}. */
  static List<String[]> extension(String ext) {
    List<String[]> pairs = new ArrayList<>();
    int n = ext.length();
    int keyStart = skipSpaces(ext, 0);
    while (keyStart < n) {
      int eq = keyEnd(ext, keyStart);
      if (eq < 0) {
        // no key=: the rest is text without a key; keep it under a name of its own
        pairs.add(new String[] {"cef_extension_text", ext.substring(keyStart).trim()});
        break;
      }
      String key = ext.substring(keyStart, eq);
      int valueStart = eq + 1;
      int next = nextKey(ext, valueStart);
      int valueEnd = next < 0 ? n : next;
      pairs.add(new String[] {key, unescape(ext, valueStart, valueEnd).strip()});
      keyStart = next < 0 ? n : skipSpaces(ext, next);
    }
    return pairs;
  }

  /** The index of the '=' ending a key that starts at {@code from}, or -1. */
  private static int keyEnd(String s, int from) {
    int i = from;
    while (i < s.length() && keyChar(s.charAt(i))) {
      i++;
    }
    return i > from && i < s.length() && s.charAt(i) == '=' ? i : -1;
  }

  /** The start of the space run before the next {@code key=} after {@code from}, or -1. */
  private static int nextKey(String s, int from) {
    for (int i = from; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '\\') {
        i++;
      } else if (c == ' ') {
        int k = i + 1;
        while (k < s.length() && s.charAt(k) == ' ') {
          k++;
        }
        if (keyEnd(s, k) > 0) {
          return i;
        }
      }
    }
    return -1;
  }

  private static boolean keyChar(char c) {
    return (c >= 'a' && c <= 'z')
        || (c >= 'A' && c <= 'Z')
        || (c >= '0' && c <= '9')
        || c == '_'
        || c == '.'
        || c == '-'
        || c == '['
        || c == ']';
  }

  private static int skipSpaces(String s, int i) {
    while (i < s.length() && s.charAt(i) == ' ') {
      i++;
    }
    return i;
  }

  private static String unescape(String s, int from, int to) {
    if (s.indexOf('\\', from) < 0 || s.indexOf('\\', from) >= to) {
      return s.substring(from, to);
    }
    StringBuilder out = new StringBuilder(to - from);
    for (int i = from; i < to; i++) {
      char c = s.charAt(i);
      if (c == '\\' && i + 1 < to) {
        char e = s.charAt(++i);
        switch (e) {
          case 'n' -> out.append('\n');
          case 'r' -> out.append('\r');
          case '=', '\\', '|' -> out.append(e);
          default -> out.append('\\').append(e);
        }
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }

  /** {@code rt}: milliseconds since the epoch, or {@code MMM dd yyyy HH:mm:ss[.SSS]} in UTC. */
  private static Instant time(String v) {
    String t = v.trim();
    long ms = Text.digits(t);
    if (ms >= 0) {
      return ms > 100_000_000_000L ? Instant.ofEpochMilli(ms) : Instant.ofEpochSecond(ms);
    }
    for (DateTimeFormatter f : RT_FORMATS) {
      try {
        return LocalDateTime.parse(t, f).toInstant(ZoneOffset.UTC);
      } catch (DateTimeParseException e) {
        // next form
      }
    }
    return null;
  }
}
