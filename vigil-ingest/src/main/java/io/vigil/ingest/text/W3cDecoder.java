package io.vigil.ingest.text;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * W3C extended log files, as IIS writes them: {@code #Software}, {@code #Version}, {@code #Date}
 * and {@code #Fields:} directives (the field list may change mid-file: each {@code #Fields} holds
 * for the lines after it), then space-separated values, {@code -} for none and {@code +} for a
 * space in {@code cs(User-Agent)} and the other header fields.
 *
 * <p>Each value keeps its {@code #Fields} name ({@code c-ip}, {@code cs-uri-stem}, {@code
 * cs(User-Agent)} …); header fields also get the names SigmaHQ's webserver rules use ({@code
 * cs-user-agent}, {@code cs-referer}, {@code cs-host}, {@code cs-cookie}), and the usual ECS fields
 * are added ({@code @timestamp} from {@code date} and {@code time} in UTC, {@code source.ip},
 * {@code url.path}, {@code url.query}, {@code http.request.method}, {@code
 * http.response.status_code} …).
 */
public final class W3cDecoder implements TextDecoder {
  /** W3C field names and the ECS paths they also fill. */
  private static final Map<String, String> ECS =
      Map.ofEntries(
          Map.entry("c-ip", "source.ip"),
          Map.entry("c-port", "source.port"),
          Map.entry("s-ip", "destination.ip"),
          Map.entry("s-port", "destination.port"),
          Map.entry("cs-username", "user.name"),
          Map.entry("cs-method", "http.request.method"),
          Map.entry("cs-uri-stem", "url.path"),
          Map.entry("cs-uri-query", "url.query"),
          Map.entry("cs-uri", "url.original"),
          Map.entry("sc-status", "http.response.status_code"),
          Map.entry("sc-bytes", "http.response.bytes"),
          Map.entry("cs-bytes", "http.request.bytes"),
          Map.entry("cs-version", "http.version"),
          Map.entry("cs-host", "url.domain"),
          Map.entry("cs(host)", "url.domain"),
          Map.entry("cs(user-agent)", "user_agent.original"),
          Map.entry("cs(referer)", "http.request.referrer"),
          Map.entry("s-computername", "host.name"),
          Map.entry("s-sitename", "service.name"));

  /** Header fields ({@code cs(User-Agent)}) and the names SigmaHQ rules give them. */
  private static final Map<String, String> SIGMA_NAMES =
      Map.of(
          "cs(user-agent)", "cs-user-agent",
          "cs(referer)", "cs-referer",
          "cs(referrer)", "cs-referer",
          "cs(host)", "cs-host",
          "cs(cookie)", "cs-cookie");

  private String[] fields;
  private String software;
  private String defaultDate;

  @Override
  public void line(String line, long number, Output out) throws BadLineException {
    if (line.startsWith("#")) {
      directive(line);
      return;
    }
    if (fields == null) {
      throw new BadLineException(
          "a W3C log line before any #Fields: directive; the file must say which fields its lines"
              + " hold");
    }
    String[] values = split(line);
    if (values.length != fields.length) {
      throw new BadLineException(
          "a W3C log line with "
              + values.length
              + " values where #Fields names "
              + fields.length
              + ": \""
              + Text.clip(line, 60)
              + "\"");
    }
    EcsJson json = new EcsJson();
    String date = defaultDate;
    String time = null;
    for (int i = 0; i < fields.length; i++) {
      String v = values[i];
      if (v.equals("-")) {
        continue;
      }
      String name = fields[i];
      String lower = name.toLowerCase(java.util.Locale.ROOT);
      if (lower.startsWith("cs(") || lower.startsWith("sc(") || lower.startsWith("s(")) {
        v = v.replace('+', ' ');
      }
      Object typed = v;
      if (lower.equals("sc-status")
          || lower.equals("sc-substatus")
          || lower.equals("sc-win32-status")
          || lower.equals("sc-bytes")
          || lower.equals("cs-bytes")
          || lower.equals("time-taken")
          || lower.equals("s-port")
          || lower.equals("c-port")) {
        Long n = Text.integer(v);
        typed = n == null ? v : n;
      }
      json.field(name, typed);
      String sigma = SIGMA_NAMES.get(lower);
      if (sigma != null) {
        json.field(sigma, v);
      }
      if (lower.equals("date")) {
        date = v;
      } else if (lower.equals("time")) {
        time = v;
      }
    }
    for (int i = 0; i < fields.length; i++) {
      String v = values[i];
      String path = ECS.get(fields[i].toLowerCase(java.util.Locale.ROOT));
      if (path == null || v.equals("-")) {
        continue;
      }
      Object value = json.get(fields[i]);
      if (path.equals("http.version") && v.startsWith("HTTP/")) {
        value = v.substring(5);
      }
      json.set(path, value);
    }
    if (date != null && time != null) {
      Instant t = SyslogParser.iso(date + "T" + time + (time.endsWith("Z") ? "" : "Z"));
      if (t != null) {
        json.set("@timestamp", EcsJson.timestamp(t));
      }
    }
    json.set("observer.product", software);
    json.set("event.kind", "event");
    json.set("event.category", "web");
    json.set("event.module", "w3c");
    json.set("event.dataset", "w3c.access");
    json.set("event.original", line);
    out.event(json.toJson(), number);
  }

  private void directive(String line) throws BadLineException {
    if (line.startsWith("#Fields:")) {
      String[] names = line.substring(8).trim().split(" +");
      if (names.length == 0 || names[0].isEmpty()) {
        fields = null;
        throw new BadLineException("#Fields: names no fields");
      }
      fields = names;
    } else if (line.startsWith("#Software:")) {
      software = line.substring(10).trim();
    } else if (line.startsWith("#Date:")) {
      String d = line.substring(6).trim();
      int sp = d.indexOf(' ');
      defaultDate = sp > 0 ? d.substring(0, sp) : d;
    }
  }

  /** Values separated by one or more spaces (tabs too, as some exporters write). */
  private static String[] split(String line) {
    List<String> out = new java.util.ArrayList<>();
    int i = 0;
    int n = line.length();
    while (i < n) {
      while (i < n && (line.charAt(i) == ' ' || line.charAt(i) == '\t')) {
        i++;
      }
      if (i >= n) {
        break;
      }
      int s = i;
      while (i < n && line.charAt(i) != ' ' && line.charAt(i) != '\t') {
        i++;
      }
      out.add(line.substring(s, i));
    }
    return out.toArray(new String[0]);
  }
}
