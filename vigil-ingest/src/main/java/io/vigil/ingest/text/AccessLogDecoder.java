package io.vigil.ingest.text;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;

/**
 * Apache and Nginx access logs in the common ({@code %h %l %u %t "%r" %>s %b}) and combined ({@code
 * … "%{Referer}i" "%{User-agent}i"}) formats, Tomcat's variant ({@code -} for no bytes), fields
 * after the combined ones (ignored), Apache's {@code vhost_combined} ({@code VHOST:PORT} first, as
 * {@code cs-host}), and lines wrapped whole in double quotes. A request line that is not {@code
 * METHOD TARGET PROTOCOL} (scanner garbage) is kept as it is in {@code request}.
 *
 * <p>Fields carry the names SigmaHQ's webserver and proxy rules use: {@code c-ip}, {@code
 * cs-username}, {@code cs-method}, {@code cs-uri-stem} (the path), {@code cs-uri-query} (the whole
 * request target, path and query, as those rules match it: {@code cs-uri-query|contains:
 * '../../etc/'}), {@code c-uri} (the same), {@code c-uri-extension}, {@code cs-version}, {@code
 * sc-status}, {@code sc-bytes}, {@code cs-referer}, {@code cs-user-agent} and {@code c-useragent};
 * {@code request} is the request line as logged. ECS: {@code source.ip}, {@code user.name}, {@code
 * http.request.method}, {@code url.original}/{@code path}/{@code query}/{@code extension}, {@code
 * http.version}, {@code http.response.status_code}, {@code http.response.body.bytes}, {@code
 * http.request.referrer}, {@code user_agent.original}, {@code @timestamp}.
 */
public final class AccessLogDecoder implements TextDecoder {
  private static final String[] MONTHS = {
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"
  };

  @Override
  public void line(String line, long number, Output out) throws BadLineException {
    out.event(toJson(line), number);
  }

  /** Whether the line reads as an access log line (for format detection). */
  static boolean looksLike(String line) {
    try {
      parse(line, new EcsJson());
      return true;
    } catch (BadLineException e) {
      return false;
    }
  }

  static String toJson(String line) throws BadLineException {
    EcsJson out = new EcsJson();
    parse(line, out);
    out.set("event.kind", "event");
    out.set("event.category", "web");
    out.set("event.module", "web");
    out.set("event.dataset", "access_log");
    out.set("event.original", line);
    return out.toJson();
  }

  private static void parse(String line, EcsJson out) throws BadLineException {
    String s = line;
    if (s.length() > 1 && s.charAt(0) == '"') {
      s = s.substring(1, s.charAt(s.length() - 1) == '"' ? s.length() - 1 : s.length());
    }
    int p = 0;
    int sp = s.indexOf(' ');
    if (sp <= 0) {
      throw bad("expected the client address and a space", line);
    }
    String host = s.substring(0, sp);
    p = sp + 1;
    sp = s.indexOf(' ', p);
    if (sp < 0) {
      throw bad("expected the identity field ('-')", line);
    }
    p = sp + 1;
    int bracket = s.indexOf(" [", p - 1);
    if (bracket < 0) {
      throw bad("expected the time in brackets, [10/Oct/2000:13:55:36 -0700]", line);
    }
    if (bracket < p) {
      throw bad("expected the user field ('-') before the time", line);
    }
    String user = s.substring(p, bracket);
    String vhost = null;
    int userSpace = user.indexOf(' ');
    if (userSpace > 0 && user.indexOf(' ', userSpace + 1) < 0) {
      // vhost_combined: "VHOST[:PORT] CLIENT IDENT USER [time]"
      vhost = host;
      host = s.substring(s.indexOf(' ') + 1, p - 1);
      user = user.substring(userSpace + 1);
    }
    int close = s.indexOf(']', bracket);
    if (close < 0) {
      throw bad("the [time] is not closed", line);
    }
    Instant time = time(s, bracket + 2, close);
    if (time == null) {
      throw bad("expected a time such as [10/Oct/2000:13:55:36 -0700]", line);
    }
    p = close + 1;
    if (!s.startsWith(" \"", p)) {
      throw bad("expected the quoted request line after the time", line);
    }
    int reqStart = p + 2;
    int reqEnd = requestEnd(s, reqStart);
    if (reqEnd < 0) {
      throw bad("the quoted request line is not closed", line);
    }
    String request = unescape(s.substring(reqStart, reqEnd));
    p = reqEnd + 1;
    // status and bytes
    String[] rest = new String[2];
    for (int k = 0; k < 2; k++) {
      while (p < s.length() && s.charAt(p) == ' ') {
        p++;
      }
      int e = p;
      while (e < s.length() && s.charAt(e) != ' ') {
        e++;
      }
      rest[k] = s.substring(p, e);
      p = e;
    }
    long status = Text.digits(rest[0]);
    if (status < 0 || status > 999) {
      throw bad("expected a status code after the request", line);
    }
    long bytes = rest[1].equals("-") ? -1 : Text.digits(rest[1]);
    if (bytes < 0 && !rest[1].equals("-")) {
      throw bad("expected the response size (a number or '-') after the status", line);
    }
    String referer = null;
    String agent = null;
    int[] pos = {p};
    referer = quoted(s, pos);
    if (referer != null) {
      agent = quoted(s, pos);
    }

    out.field("c-ip", host);
    if (vhost != null) {
      int colon = vhost.lastIndexOf(':');
      boolean port = colon > 0 && Text.digits(vhost, colon + 1, vhost.length()) >= 0;
      out.field("cs-host", port ? vhost.substring(0, colon) : vhost);
      out.set("url.domain", port ? vhost.substring(0, colon) : vhost);
      out.set("destination.port", port ? Text.digits(vhost, colon + 1, vhost.length()) : null);
    }
    if (!user.equals("-") && !user.isEmpty()) {
      out.field("cs-username", user);
    }
    out.field("request", request);
    String method = null;
    String target = null;
    String version = null;
    int a = request.indexOf(' ');
    int b = request.lastIndexOf(' ');
    if (a > 0 && b > a && request.startsWith("HTTP/", b + 1) && token(request, 0, a)) {
      method = request.substring(0, a);
      target = request.substring(a + 1, b);
      version = request.substring(b + 1);
    } else if (a > 0 && b == a && token(request, 0, a) && request.charAt(a + 1) == '/') {
      method = request.substring(0, a); // HTTP/0.9: no protocol
      target = request.substring(a + 1);
    }
    String path = null;
    String query = null;
    String extension = null;
    if (target != null) {
      int q = target.indexOf('?');
      path = q < 0 ? target : target.substring(0, q);
      query = q < 0 ? null : target.substring(q + 1);
      int slash = path.lastIndexOf('/');
      int dot = path.lastIndexOf('.');
      if (dot > slash && dot < path.length() - 1) {
        extension = path.substring(dot + 1);
      }
    }
    out.field("cs-method", method);
    out.field("cs-uri-stem", path);
    out.field("cs-uri-query", target);
    out.field("c-uri", target);
    out.field("c-uri-extension", extension);
    out.field("cs-version", version);
    out.field("sc-status", status);
    out.field("sc-bytes", bytes >= 0 ? bytes : null);
    if (referer != null && !referer.equals("-")) {
      out.field("cs-referer", referer);
    }
    if (agent != null && !agent.equals("-")) {
      out.field("cs-user-agent", agent);
      out.field("c-useragent", agent);
    }

    out.set("@timestamp", EcsJson.timestamp(time));
    if (Text.looksLikeIp(host)) {
      out.set("source.ip", host);
    } else {
      out.set("source.domain", host);
    }
    if (!user.equals("-") && !user.isEmpty()) {
      out.set("user.name", user);
    }
    out.set("http.request.method", method);
    out.set("url.original", target);
    out.set("url.path", path);
    out.set("url.query", query);
    out.set("url.extension", extension);
    out.set("http.version", version == null ? null : version.substring(5));
    out.set("http.response.status_code", status);
    out.set("http.response.body.bytes", bytes >= 0 ? bytes : null);
    if (referer != null && !referer.equals("-")) {
      out.set("http.request.referrer", referer);
    }
    if (agent != null && !agent.equals("-")) {
      out.set("user_agent.original", agent);
    }
  }

  /** A method name: letters, digits, '-' and '_' only. */
  private static boolean token(String s, int from, int to) {
    for (int i = from; i < to; i++) {
      char c = s.charAt(i);
      if (!Character.isLetterOrDigit(c) && c != '-' && c != '_') {
        return false;
      }
    }
    return to > from;
  }

  /**
   * The closing quote of the request: the first unescaped quote followed by a space and a digit or
   * by the end; failing that, the first unescaped quote.
   */
  private static int requestEnd(String s, int from) {
    int first = -1;
    for (int i = from; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '\\') {
        i++;
      } else if (c == '"') {
        if (first < 0) {
          first = i;
        }
        if (i + 2 < s.length() && s.charAt(i + 1) == ' ' && Character.isDigit(s.charAt(i + 2))) {
          return i;
        }
      }
    }
    return first;
  }

  /** The next double-quoted field after spaces, or null; pos moves past it. */
  private static String quoted(String s, int[] pos) {
    int p = pos[0];
    while (p < s.length() && s.charAt(p) == ' ') {
      p++;
    }
    if (p >= s.length() || s.charAt(p) != '"') {
      return null;
    }
    int i = p + 1;
    int end = -1;
    for (; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '\\') {
        i++;
      } else if (c == '"' && (i + 1 == s.length() || s.charAt(i + 1) == ' ')) {
        end = i;
        break;
      }
    }
    if (end < 0) {
      end = s.length();
    }
    pos[0] = Math.min(s.length(), end + 1);
    return unescape(s.substring(p + 1, end));
  }

  /** Apache's {@code \"} and {@code \\}; {@code \xhh} is kept as written. */
  private static String unescape(String v) {
    if (v.indexOf('\\') < 0) {
      return v;
    }
    StringBuilder out = new StringBuilder(v.length());
    for (int i = 0; i < v.length(); i++) {
      char c = v.charAt(i);
      if (c == '\\' && i + 1 < v.length() && (v.charAt(i + 1) == '"' || v.charAt(i + 1) == '\\')) {
        out.append(v.charAt(++i));
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }

  /** {@code 10/Oct/2000:13:55:36 -0700}, or null. */
  static Instant time(String s, int from, int to) {
    if (to - from != 26 || s.charAt(from + 2) != '/' || s.charAt(from + 6) != '/') {
      return null;
    }
    long day = Text.digits(s, from, from + 2);
    int month = -1;
    for (int m = 0; m < 12; m++) {
      if (s.startsWith(MONTHS[m], from + 3)) {
        month = m + 1;
      }
    }
    long year = Text.digits(s, from + 7, from + 11);
    long hh = Text.digits(s, from + 12, from + 14);
    long mm = Text.digits(s, from + 15, from + 17);
    long ss = Text.digits(s, from + 18, from + 20);
    char sign = s.charAt(from + 21);
    long oh = Text.digits(s, from + 22, from + 24);
    long om = Text.digits(s, from + 24, from + 26);
    if (day < 0
        || month < 0
        || year < 0
        || hh < 0
        || mm < 0
        || ss < 0
        || oh < 0
        || om < 0
        || (sign != '+' && sign != '-')
        || s.charAt(from + 11) != ':'
        || s.charAt(from + 20) != ' ') {
      return null;
    }
    try {
      LocalDateTime local =
          LocalDateTime.of(
              (int) year, month, (int) day, (int) hh, (int) mm, (int) Math.min(ss, 59));
      int offset = (int) (oh * 3600 + om * 60) * (sign == '-' ? -1 : 1);
      return local.toInstant(ZoneOffset.ofTotalSeconds(offset));
    } catch (DateTimeException e) {
      return null;
    }
  }

  private static BadLineException bad(String what, String line) {
    return new BadLineException(
        "not an access log line (" + what + "): \"" + Text.clip(line, 60) + "\"");
  }
}
