package io.vigil.ingest;

import io.vigil.event.Event;
import io.vigil.event.FieldSchema;
import io.vigil.event.JsonEventParser;
import io.vigil.ingest.text.EcsJson;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Normalize-then-parse for Zeek, Suricata EVE and CloudTrail records: reads the few source fields
 * that carry meaning, appends Elastic Common Schema fields to the record's JSON text ({@code
 * "@timestamp"}, {@code "event.dataset"}, {@code "source.ip"} … as dotted keys, so that no source
 * key is ever repeated) and hands the result to the host's parser. The source's own fields are kept
 * as they are; an ECS field the record already has is not added again, and a record that already
 * carries {@code event.module} (normalized before) passes unchanged. Thread-safe.
 */
final class JsonNormalizer implements LogRecord.RecordParser {
  private static final List<String> COMMON = List.of("@timestamp", "event.module");

  private static final List<String> ZEEK_FIELDS =
      List.of(
          "_path",
          "@stream",
          "@system",
          "ts",
          "uid",
          "id.orig_h",
          "id.orig_p",
          "id.resp_h",
          "id.resp_p",
          "id_orig_h",
          "id_orig_p",
          "id_resp_h",
          "id_resp_p",
          "proto",
          "service",
          "query",
          "qtype_name",
          "rcode_name",
          "method",
          "uri",
          "host",
          "status_code",
          "user_agent",
          "referrer",
          "version",
          "cipher",
          "server_name",
          "client",
          "request_type",
          "name",
          "path",
          "action",
          "endpoint",
          "operation",
          "username",
          "domainname",
          "user",
          "command",
          "filename",
          "mime_type",
          "md5",
          "sha1",
          "sha256",
          "total_bytes",
          "note",
          "msg",
          "src",
          "dst",
          "p",
          "cookie",
          "orig_bytes",
          "resp_bytes");

  private static final List<String> SURICATA_FIELDS =
      List.of(
          "timestamp",
          "event_type",
          "src_ip",
          "src_port",
          "dest_ip",
          "dest_port",
          "proto",
          "app_proto",
          "host",
          "alert.action",
          "alert.signature",
          "alert.signature_id",
          "alert.category",
          "alert.severity",
          "http.hostname",
          "http.url",
          "http.http_user_agent",
          "http.http_method",
          "http.status",
          "http.http_refer",
          "dns.rrname",
          "dns.queries.rrname",
          "dns.rrtype",
          "tls.sni",
          "tls.version",
          "fileinfo.filename");

  private static final List<String> CLOUDTRAIL_FIELDS =
      List.of(
          "eventTime",
          "eventSource",
          "eventName",
          "eventType",
          "awsRegion",
          "sourceIPAddress",
          "userAgent",
          "recipientAccountId",
          "errorCode",
          "errorMessage",
          "responseElements.ConsoleLogin",
          "userIdentity.type",
          "userIdentity.userName",
          "userIdentity.arn",
          "userIdentity.accountId",
          "userIdentity.sessionContext.sessionIssuer.userName");

  private final JsonFamily family;
  private final JsonEventParser source;
  private final LogRecord.RecordParser next;

  private JsonNormalizer(JsonFamily family, LogRecord.RecordParser next) {
    this.family = family;
    this.next = next;
    List<String> paths = new ArrayList<>(COMMON);
    paths.addAll(
        switch (family) {
          case ZEEK -> ZEEK_FIELDS;
          case SURICATA -> SURICATA_FIELDS;
          case CLOUDTRAIL -> CLOUDTRAIL_FIELDS;
          case JSON -> List.of();
        });
    this.source = new JsonEventParser(FieldSchema.of(paths));
  }

  /**
   * The parser for records of a family: {@code next} itself for plain JSON (Windows event logs and
   * other JSON are never touched), a normalizing wrapper around it otherwise.
   */
  static LogRecord.RecordParser wrap(JsonFamily family, LogRecord.RecordParser next) {
    return family == JsonFamily.JSON ? next : new JsonNormalizer(family, next);
  }

  @Override
  public Event parse(String text, String origin, long index) {
    return next.parse(normalize(text, origin, index), origin, index);
  }

  /** The record's text with ECS fields appended (the text itself when there is nothing to add). */
  String normalize(String text, String origin, long index) {
    Event src = source.parse(text, origin, index);
    if (src.get("event.module") != null) {
      return text;
    }
    Map<String, Object> ecs = new LinkedHashMap<>();
    switch (family) {
      case ZEEK -> zeek(src, ecs);
      case SURICATA -> suricata(src, ecs);
      case CLOUDTRAIL -> cloudTrail(src, ecs);
      case JSON -> {
        return text;
      }
    }
    if (src.get("@timestamp") != null) {
      ecs.remove("@timestamp");
    }
    return append(text, ecs);
  }

  // ---- Zeek

  private static void zeek(Event e, Map<String, Object> ecs) {
    String path = text(e, "_path", "@stream");
    put(ecs, "@timestamp", timestamp(first(e.get("ts"))));
    put(ecs, "event.module", "zeek");
    if (path != null) {
      put(ecs, "event.dataset", "zeek." + path);
    }
    put(ecs, "event.id", first(e.get("uid")));
    put(ecs, "observer.hostname", first(e.get("@system")));
    put(ecs, "source.ip", value(e, "id.orig_h", "id_orig_h"));
    put(ecs, "source.port", value(e, "id.orig_p", "id_orig_p"));
    put(ecs, "destination.ip", value(e, "id.resp_h", "id_resp_h"));
    put(ecs, "destination.port", value(e, "id.resp_p", "id_resp_p"));
    put(ecs, "network.transport", lower(first(e.get("proto"))));
    if (path == null) {
      return;
    }
    switch (path) {
      case "conn" -> {
        put(ecs, "network.protocol", lower(first(e.get("service"))));
        put(ecs, "source.bytes", first(e.get("orig_bytes")));
        put(ecs, "destination.bytes", first(e.get("resp_bytes")));
      }
      case "dns" -> {
        put(ecs, "dns.question.name", first(e.get("query")));
        put(ecs, "dns.question.type", first(e.get("qtype_name")));
        put(ecs, "dns.response_code", first(e.get("rcode_name")));
      }
      case "http" -> {
        put(ecs, "http.request.method", first(e.get("method")));
        Object uri = first(e.get("uri"));
        put(ecs, "url.original", uri);
        if (uri instanceof String u) {
          int q = u.indexOf('?');
          put(ecs, "url.path", q < 0 ? u : u.substring(0, q));
          if (q >= 0) {
            put(ecs, "url.query", u.substring(q + 1));
          }
        }
        put(ecs, "url.domain", first(e.get("host")));
        put(ecs, "http.response.status_code", first(e.get("status_code")));
        put(ecs, "user_agent.original", first(e.get("user_agent")));
        put(ecs, "http.request.referrer", first(e.get("referrer")));
        put(ecs, "http.version", first(e.get("version")));
      }
      case "ssl" -> {
        put(ecs, "tls.version", first(e.get("version")));
        put(ecs, "tls.cipher", first(e.get("cipher")));
        put(ecs, "tls.client.server_name", first(e.get("server_name")));
      }
      case "kerberos" -> {
        Object client = first(e.get("client"));
        if (client instanceof String c) {
          int slash = c.indexOf('/');
          put(ecs, "user.name", slash > 0 ? c.substring(0, slash) : c);
        }
        put(ecs, "event.action", first(e.get("request_type")));
      }
      case "smb_files" -> {
        put(ecs, "file.name", first(e.get("name")));
        put(ecs, "file.directory", first(e.get("path")));
        put(ecs, "event.action", first(e.get("action")));
      }
      case "dce_rpc" -> put(ecs, "event.action", first(e.get("operation")));
      case "ntlm" -> {
        put(ecs, "user.name", first(e.get("username")));
        put(ecs, "user.domain", first(e.get("domainname")));
      }
      case "ftp" -> {
        put(ecs, "user.name", first(e.get("user")));
        put(ecs, "event.action", first(e.get("command")));
      }
      case "files" -> {
        put(ecs, "file.name", first(e.get("filename")));
        put(ecs, "file.mime_type", first(e.get("mime_type")));
        put(ecs, "file.size", first(e.get("total_bytes")));
        put(ecs, "file.hash.md5", first(e.get("md5")));
        put(ecs, "file.hash.sha1", first(e.get("sha1")));
        put(ecs, "file.hash.sha256", first(e.get("sha256")));
      }
      case "notice" -> {
        put(ecs, "rule.name", first(e.get("note")));
        put(ecs, "message", first(e.get("msg")));
        if (!ecs.containsKey("source.ip")) {
          put(ecs, "source.ip", first(e.get("src")));
          put(ecs, "destination.ip", first(e.get("dst")));
          put(ecs, "destination.port", first(e.get("p")));
        }
      }
      case "weird" -> put(ecs, "event.action", first(e.get("name")));
      case "rdp" -> put(ecs, "user.name", first(e.get("cookie")));
      default -> {
        // the common fields are all there is to say
      }
    }
  }

  // ---- Suricata EVE

  private static void suricata(Event e, Map<String, Object> ecs) {
    Object type = first(e.get("event_type"));
    put(ecs, "@timestamp", timestamp(first(e.get("timestamp"))));
    put(ecs, "event.module", "suricata");
    if (type instanceof String t) {
      put(ecs, "event.dataset", "suricata." + t);
      put(ecs, "event.kind", t.equals("alert") ? "alert" : "event");
    }
    put(ecs, "observer.hostname", first(e.get("host")));
    put(ecs, "source.ip", first(e.get("src_ip")));
    put(ecs, "source.port", first(e.get("src_port")));
    put(ecs, "destination.ip", first(e.get("dest_ip")));
    put(ecs, "destination.port", first(e.get("dest_port")));
    put(ecs, "network.transport", lower(first(e.get("proto"))));
    put(ecs, "network.protocol", lower(first(e.get("app_proto"))));
    put(ecs, "rule.name", first(e.get("alert.signature")));
    put(ecs, "rule.id", first(e.get("alert.signature_id")));
    put(ecs, "rule.category", first(e.get("alert.category")));
    put(ecs, "event.severity", first(e.get("alert.severity")));
    put(ecs, "event.action", first(e.get("alert.action")));
    put(ecs, "url.domain", first(e.get("http.hostname")));
    put(ecs, "url.original", first(e.get("http.url")));
    put(ecs, "user_agent.original", first(e.get("http.http_user_agent")));
    put(ecs, "http.request.method", first(e.get("http.http_method")));
    put(ecs, "http.response.status_code", first(e.get("http.status")));
    put(ecs, "http.request.referrer", first(e.get("http.http_refer")));
    put(ecs, "dns.question.name", value(e, "dns.rrname", "dns.queries.rrname"));
    put(ecs, "dns.question.type", first(e.get("dns.rrtype")));
    put(ecs, "tls.client.server_name", first(e.get("tls.sni")));
    put(ecs, "tls.version", first(e.get("tls.version")));
    put(ecs, "file.name", first(e.get("fileinfo.filename")));
  }

  // ---- CloudTrail

  private static void cloudTrail(Event e, Map<String, Object> ecs) {
    put(ecs, "@timestamp", timestamp(first(e.get("eventTime"))));
    put(ecs, "event.module", "aws");
    put(ecs, "event.dataset", "aws.cloudtrail");
    put(ecs, "event.provider", first(e.get("eventSource")));
    put(ecs, "event.action", first(e.get("eventName")));
    put(ecs, "event.type", first(e.get("eventType")));
    Object error = first(e.get("errorCode"));
    Object login = first(e.get("responseElements.ConsoleLogin"));
    boolean failed = error != null || "Failure".equals(login);
    put(ecs, "event.outcome", failed ? "failure" : "success");
    put(ecs, "error.code", error);
    put(ecs, "error.message", first(e.get("errorMessage")));
    put(ecs, "cloud.provider", "aws");
    put(ecs, "cloud.region", first(e.get("awsRegion")));
    put(ecs, "cloud.account.id", value(e, "recipientAccountId", "userIdentity.accountId"));
    Object userName =
        value(e, "userIdentity.userName", "userIdentity.sessionContext.sessionIssuer.userName");
    if (userName == null && first(e.get("userIdentity.arn")) instanceof String arn) {
      int slash = arn.lastIndexOf('/');
      userName = slash >= 0 && slash < arn.length() - 1 ? arn.substring(slash + 1) : null;
    }
    put(ecs, "user.name", userName);
    put(ecs, "user.id", first(e.get("userIdentity.arn")));
    Object ip = first(e.get("sourceIPAddress"));
    if (ip instanceof String s && looksLikeIp(s)) {
      put(ecs, "source.ip", s);
    } else {
      put(ecs, "source.address", ip);
    }
    put(ecs, "user_agent.original", first(e.get("userAgent")));
  }

  // ---- helpers

  private static boolean looksLikeIp(String s) {
    if (s.isEmpty() || s.length() > 45) {
      return false;
    }
    boolean colon = s.indexOf(':') >= 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      boolean ok =
          (c >= '0' && c <= '9')
              || c == '.'
              || (colon && (c == ':' || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F')));
      if (!ok) {
        return false;
      }
    }
    return true;
  }

  /** The first present value of several paths (a scalar; the first element of a list). */
  private static Object value(Event e, String... paths) {
    for (String path : paths) {
      Object v = first(e.get(path));
      if (v != null) {
        return v;
      }
    }
    return null;
  }

  private static String text(Event e, String... paths) {
    return value(e, paths) instanceof String s && !s.isEmpty() ? s : null;
  }

  private static Object first(Object v) {
    if (v instanceof List<?> list) {
      return list.isEmpty() ? null : first(list.get(0));
    }
    return v == Event.NULL ? null : v;
  }

  private static Object lower(Object v) {
    return v instanceof String s ? s.toLowerCase(Locale.ROOT) : v;
  }

  private static void put(Map<String, Object> ecs, String key, Object value) {
    if (value == null || (value instanceof String s && (s.isEmpty() || s.equals("-")))) {
      return;
    }
    ecs.putIfAbsent(key, value);
  }

  /**
   * An ISO-8601 UTC timestamp from epoch seconds (Zeek's {@code ts}, fractions kept to the
   * microsecond) or from a date-time text with or without an offset ({@code +0000} or {@code
   * +00:00}; none means UTC); null when the value is neither.
   */
  static String timestamp(Object value) {
    if (value instanceof Number n) {
      double seconds = n.doubleValue();
      if (!Double.isFinite(seconds) || Math.abs(seconds) > 1e11) {
        return null;
      }
      long micros = Math.round(seconds * 1_000_000d);
      return DateTimeFormatter.ISO_INSTANT.format(
          Instant.ofEpochSecond(
              Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L) * 1000L));
    }
    if (!(value instanceof String s) || s.length() < 10) {
      return null;
    }
    try {
      return DateTimeFormatter.ISO_INSTANT.format(Instant.parse(s));
    } catch (DateTimeParseException e) {
      // not an instant with Z: try an offset, then none
    }
    String t = s.replace(' ', 'T');
    int n = t.length();
    if (n > 5
        && (t.charAt(n - 5) == '+' || t.charAt(n - 5) == '-')
        && t.indexOf(':', n - 5) < 0
        && t.lastIndexOf('T') > 0) {
      t = t.substring(0, n - 2) + ":" + t.substring(n - 2);
    }
    try {
      return DateTimeFormatter.ISO_INSTANT.format(OffsetDateTime.parse(t).toInstant());
    } catch (DateTimeParseException e) {
      // no offset
    }
    try {
      return DateTimeFormatter.ISO_INSTANT.format(LocalDateTime.parse(t).toInstant(ZoneOffset.UTC));
    } catch (DateTimeParseException e) {
      return null;
    }
  }

  /** The JSON object text with the fields added before its closing brace. */
  static String append(String json, Map<String, Object> fields) {
    if (fields.isEmpty()) {
      return json;
    }
    int close = json.lastIndexOf('}');
    if (close < 0) {
      return json; // not an object: the parser says so
    }
    int before = close - 1;
    while (before >= 0 && Character.isWhitespace(json.charAt(before))) {
      before--;
    }
    boolean empty = before >= 0 && json.charAt(before) == '{';
    StringBuilder out = new StringBuilder(json.length() + fields.size() * 40);
    out.append(json, 0, close);
    boolean comma = !empty;
    for (Map.Entry<String, Object> f : fields.entrySet()) {
      if (comma) {
        out.append(',');
      }
      comma = true;
      EcsJson.quote(out, f.getKey());
      out.append(':');
      Object v = f.getValue();
      if (v instanceof String s) {
        EcsJson.quote(out, s);
      } else {
        out.append(v);
      }
    }
    out.append(json, close, json.length());
    return out.toString();
  }
}
