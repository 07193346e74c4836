package io.vigil.ingest.text;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One syslog message: RFC 5424 ({@code <PRI>1 TIMESTAMP HOST APP PROCID MSGID [SD] MSG}), RFC 3164
 * ({@code <PRI>Mmm dd hh:mm:ss HOST TAG[PID]: MSG}), the same without {@code <PRI>} as files
 * written by syslog daemons hold them, or with an ISO-8601 timestamp ({@code
 * 2024-01-01T10:00:00+00:00 host app[1]: msg}, rsyslog's high-precision form). A CEF record as the
 * message is read as CEF.
 *
 * <p>RFC 3164 timestamps carry no year and no zone: they are read as UTC, in the year of a
 * reference instant (the file's modification time, or the time a message was received), or the year
 * before when that would put them more than a week after the reference (a December line in a file
 * written in January).
 */
final class SyslogParser {
  private static final String[] MONTHS = {
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"
  };
  private static final long WEEK_SECONDS = 7 * 24 * 3600;

  private SyslogParser() {}

  /**
   * Parses one message into {@code out}.
   *
   * @param reference the instant that gives RFC 3164 timestamps their year
   * @param fallback the timestamp to use when a message with a {@code <PRI>} has none (the time it
   *     was received), or null to require one
   * @throws BadLineException when the text is not a syslog message
   */
  static void parse(String line, Instant reference, Instant fallback, EcsJson out)
      throws BadLineException {
    Cursor c = new Cursor(line);
    c.skipBom();
    int pri = -1;
    if (c.peek() == '<') {
      int close = line.indexOf('>', c.pos);
      long v = close > c.pos + 1 && close <= c.pos + 4 ? Text.digits(line, c.pos + 1, close) : -1;
      if (v < 0 || v > 191) {
        throw new BadLineException(
            "a syslog priority is <0> to <191>, found \"" + Text.clip(line, 12) + "\"");
      }
      pri = (int) v;
      c.pos = close + 1;
    }
    if (pri >= 0) {
      out.set("log.syslog.priority", pri);
      out.set("log.syslog.facility.code", pri >> 3);
      out.set("log.syslog.severity.code", pri & 7);
    }
    // RFC 5424: a version number right after the priority
    if (pri >= 0 && c.digitAt(0) && (c.at(1) == ' ' || (c.digitAt(1) && c.at(2) == ' '))) {
      rfc5424(line, c, out);
      return;
    }
    Instant time = rfc3164Time(c, reference, false);
    if (time == null) {
      time = isoTime(c);
    }
    if (time == null && cisco(c, reference, out)) {
      return;
    }
    if (time == null) {
      if (pri < 0 || fallback == null) {
        throw new BadLineException(
            "not a syslog line: expected <PRI>, a timestamp such as \"Dec 10 06:55:46\" or"
                + " \"2024-01-01T10:00:00Z\", found \""
                + Text.clip(line, 40)
                + "\"");
      }
      time = fallback;
      out.set("@timestamp", EcsJson.timestamp(time));
      message(line.substring(c.pos).strip(), out);
      return;
    }
    out.set("@timestamp", EcsJson.timestamp(time));
    c.skipSpaces();
    // HOST TAG: MSG, TAG: MSG (no host), or HOST MSG
    int tokenEnd = c.tokenEnd();
    String first = line.substring(c.pos, tokenEnd);
    if (first.startsWith("CEF:")) {
      message(line.substring(c.pos), out);
      return;
    }
    if (!isTag(first)) {
      if (!first.isEmpty()) {
        out.set("log.syslog.hostname", first);
        out.set("host.name", first);
      }
      c.pos = tokenEnd;
      c.skipSpaces();
      tokenEnd = c.tokenEnd();
      first = line.substring(c.pos, tokenEnd);
    }
    if (isTag(first)) {
      String app = first.substring(0, first.length() - 1);
      int bracket = app.indexOf('[');
      if (bracket > 0 && app.endsWith("]")) {
        String pid = app.substring(bracket + 1, app.length() - 1);
        app = app.substring(0, bracket);
        out.set("log.syslog.procid", pid);
        Long p = Text.integer(pid);
        out.set("process.pid", p);
      }
      out.set("log.syslog.appname", app);
      out.set("process.name", app);
      c.pos = tokenEnd;
      if (c.peek() == ' ') {
        c.pos++;
      }
    }
    message(line.substring(c.pos), out);
  }

  /**
   * Cisco IOS: {@code [HOST ][SEQ: ][*]Mmm dd hh:mm:ss[.fff][ ZONE]: %FAC-SEV-MNEMONIC: text}. The
   * message (from the {@code %}) is kept whole; the mnemonic becomes {@code event.code}.
   */
  private static boolean cisco(Cursor c, Instant reference, EcsJson out) {
    String s = c.s;
    int p = c.pos;
    String host = null;
    int sp = s.indexOf(' ', p);
    if (sp > p && s.charAt(sp - 1) != ':' && Character.isLetterOrDigit(s.charAt(p))) {
      host = s.substring(p, sp);
      p = sp + 1;
    }
    int colon = s.indexOf(':', p);
    long seq = colon > p ? Text.digits(s, p, colon) : -1;
    if (seq >= 0) {
      p = colon + 1;
      while (p < s.length() && s.charAt(p) == ' ') {
        p++;
      }
    }
    if (p < s.length() && (s.charAt(p) == '*' || s.charAt(p) == '.')) {
      p++;
    }
    Cursor t = new Cursor(s);
    t.pos = p;
    Instant time = rfc3164Time(t, reference, true);
    if (time == null) {
      return false;
    }
    int msg = t.pos + 1;
    while (msg < s.length() && s.charAt(msg) == ' ') {
      msg++;
    }
    if (msg >= s.length() || s.charAt(msg) != '%') {
      return false;
    }
    String message = s.substring(msg);
    out.set("@timestamp", EcsJson.timestamp(time));
    if (host != null) {
      out.set("log.syslog.hostname", host);
      out.set("host.name", host);
    }
    if (seq >= 0) {
      out.set("cisco.ios.sequence", seq);
    }
    int end = message.indexOf(':');
    String mnemonic = end > 1 ? message.substring(1, end) : null;
    if (mnemonic != null && mnemonic.indexOf(' ') < 0) {
      out.set("event.code", mnemonic);
      int dash = mnemonic.indexOf('-');
      if (dash > 0) {
        out.set("cisco.ios.facility", mnemonic.substring(0, dash));
      }
    }
    out.set("observer.vendor", "Cisco");
    out.set("message", message);
    return true;
  }

  /**
   * A tag: {@code app:} or {@code app[pid]:}, no spaces, at most 48 characters before the colon.
   */
  private static boolean isTag(String token) {
    int n = token.length();
    if (n < 2 || n > 64 || token.charAt(n - 1) != ':' || token.startsWith("CEF:")) {
      return false;
    }
    int bracket = token.indexOf('[');
    if (bracket == 0) {
      return false;
    }
    if (bracket > 0) {
      return token.charAt(n - 2) == ']';
    }
    return token.indexOf(':') == n - 1;
  }

  private static void message(String msg, EcsJson out) throws BadLineException {
    if (!msg.isEmpty() && msg.charAt(0) == '\uFEFF') {
      msg = msg.substring(1);
    }
    if (Cef.looksLike(msg)) {
      Cef.parse(msg, out);
      out.set("event.module", "cef");
    }
    out.set("message", msg);
  }

  /**
   * {@code Mmm dd hh:mm:ss[.fff]}, ending at a space or the end of the line, or with {@code
   * colonEnd} at a colon (Cisco IOS), optionally after a year or a zone name.
   */
  private static Instant rfc3164Time(Cursor c, Instant reference, boolean colonEnd) {
    String s = c.s;
    int p = c.pos;
    if (p + 15 > s.length() || s.charAt(p + 3) != ' ') {
      return null;
    }
    int month = -1;
    for (int m = 0; m < 12; m++) {
      if (s.startsWith(MONTHS[m], p)) {
        month = m + 1;
        break;
      }
    }
    if (month < 0) {
      return null;
    }
    int d = p + 4;
    long day = s.charAt(d) == ' ' ? Text.digits(s, d + 1, d + 2) : Text.digits(s, d, d + 2);
    if (day < 1 || day > 31 || s.charAt(d + 2) != ' ') {
      return null;
    }
    int t = d + 3;
    if (t + 8 > s.length() || s.charAt(t + 2) != ':' || s.charAt(t + 5) != ':') {
      return null;
    }
    long hh = Text.digits(s, t, t + 2);
    long mm = Text.digits(s, t + 3, t + 5);
    long ss = Text.digits(s, t + 6, t + 8);
    if (hh < 0 || hh > 23 || mm < 0 || mm > 59 || ss < 0 || ss > 60) {
      return null;
    }
    int end = t + 8;
    int nanos = 0;
    if (end < s.length() && s.charAt(end) == '.') {
      int f = end + 1;
      int q = f;
      while (q < s.length() && q - f < 9 && s.charAt(q) >= '0' && s.charAt(q) <= '9') {
        q++;
      }
      if (q > f) {
        nanos = (int) (Text.digits(s, f, q) * (long) Math.pow(10, 9 - (q - f)));
        end = q;
      }
    }
    int year = reference.atOffset(ZoneOffset.UTC).getYear();
    if (colonEnd) {
      // Cisco IOS: "Feb 17 13:40:03.673:" or "Feb 17 13:40:03 UTC:"; the zone is not applied
      int z = end;
      while (z < s.length() && z - end < 7 && s.charAt(z) != ':') {
        z++;
      }
      if (z >= s.length() || s.charAt(z) != ':') {
        return null;
      }
      end = z;
    } else if (end < s.length() && s.charAt(end) != ' ') {
      return null;
    }
    Instant time = null;
    for (int y = year; y >= year - 1 && time == null; y--) {
      try {
        Instant candidate =
            LocalDateTime.of(y, month, (int) day, (int) hh, (int) mm, (int) Math.min(ss, 59), nanos)
                .toInstant(ZoneOffset.UTC);
        if (y == year && candidate.getEpochSecond() > reference.getEpochSecond() + WEEK_SECONDS) {
          continue;
        }
        time = candidate;
      } catch (DateTimeException e) {
        // Feb 29 outside a leap year: try the year before
      }
    }
    if (time != null) {
      c.pos = end;
    }
    return time;
  }

  /** An ISO-8601 timestamp with a zone ({@code Z} or an offset), or a local one read as UTC. */
  private static Instant isoTime(Cursor c) {
    String s = c.s;
    int p = c.pos;
    if (p + 19 > s.length() || s.charAt(p + 4) != '-' || Text.digits(s, p, p + 4) < 0) {
      return null;
    }
    int end = c.tokenEnd();
    Instant t = iso(s.substring(p, end));
    if (t != null) {
      c.pos = end;
    }
    return t;
  }

  static Instant iso(String text) {
    if (text.length() < 19 || text.length() > 40) {
      return null;
    }
    try {
      return OffsetDateTime.parse(text).toInstant();
    } catch (DateTimeParseException e) {
      try {
        return LocalDateTime.parse(text).toInstant(ZoneOffset.UTC);
      } catch (DateTimeParseException e2) {
        return null;
      }
    }
  }

  private static void rfc5424(String line, Cursor c, EcsJson out) throws BadLineException {
    int versionEnd = c.tokenEnd();
    out.set("log.syslog.version", line.substring(c.pos, versionEnd));
    c.pos = versionEnd;
    c.expectSpace("after the version");
    String ts = c.nextToken();
    if (!ts.equals("-")) {
      Instant t = iso(ts);
      if (t == null) {
        throw new BadLineException(
            "an RFC 5424 timestamp is ISO-8601 (2024-01-01T10:00:00.000Z) or '-', found \""
                + Text.clip(ts, 40)
                + "\"");
      }
      out.set("@timestamp", EcsJson.timestamp(t));
    }
    c.expectSpace("after the timestamp");
    String host = c.nextToken();
    c.expectSpace("after the host name");
    String app = c.nextToken();
    c.expectSpace("after the app name");
    String procid = c.nextToken();
    c.expectSpace("after the process id");
    String msgid = c.nextToken();
    if (!host.equals("-")) {
      out.set("log.syslog.hostname", host);
      out.set("host.name", host);
    }
    if (!app.equals("-")) {
      out.set("log.syslog.appname", app);
      out.set("process.name", app);
    }
    if (!procid.equals("-")) {
      out.set("log.syslog.procid", procid);
      out.set("process.pid", Text.integer(procid));
    }
    if (!msgid.equals("-")) {
      out.set("log.syslog.msgid", msgid);
    }
    if (c.pos >= line.length()) {
      return; // no structured data and no message: tolerated
    }
    c.expectSpace("after the message id");
    if (c.peek() == '-') {
      c.pos++;
    } else if (c.peek() == '[') {
      Map<String, Object> sd = structuredData(c);
      StringBuilder json = new StringBuilder();
      writeSd(json, sd);
      out.setRaw("log.syslog.structured_data", json.toString());
    } else {
      throw new BadLineException(
          "RFC 5424 structured data is '-' or [ID key=\"value\" ...], found \""
              + Text.clip(line.substring(c.pos), 30)
              + "\"");
    }
    if (c.peek() == ' ') {
      c.pos++;
    }
    if (c.pos < line.length()) {
      message(line.substring(c.pos), out);
    }
  }

  /** {@code [id k="v" ...][id2 ...]}: ids to maps of their parameters (a repeated key: a list). */
  private static Map<String, Object> structuredData(Cursor c) throws BadLineException {
    String s = c.s;
    Map<String, Object> sd = new LinkedHashMap<>();
    while (c.peek() == '[') {
      c.pos++;
      int idEnd = c.pos;
      while (idEnd < s.length() && " ]=\"".indexOf(s.charAt(idEnd)) < 0) {
        idEnd++;
      }
      if (idEnd == c.pos) {
        throw new BadLineException("an RFC 5424 structured-data element has no id");
      }
      Map<String, Object> params = new LinkedHashMap<>();
      sd.putIfAbsent(s.substring(c.pos, idEnd), params);
      c.pos = idEnd;
      while (true) {
        if (c.peek() == ']') {
          c.pos++;
          break;
        }
        if (c.peek() != ' ') {
          throw new BadLineException(
              "RFC 5424 structured data: expected ' name=\"value\"' or ']', found "
                  + (c.pos >= s.length() ? "the end of the line" : "'" + s.charAt(c.pos) + "'"));
        }
        c.skipSpaces();
        int eq = s.indexOf('=', c.pos);
        if (eq < 0 || eq + 1 >= s.length() || s.charAt(eq + 1) != '"') {
          throw new BadLineException("RFC 5424 structured data: a parameter is name=\"value\"");
        }
        String name = s.substring(c.pos, eq);
        StringBuilder value = new StringBuilder();
        int i = eq + 2;
        boolean closed = false;
        while (i < s.length()) {
          char ch = s.charAt(i);
          if (ch == '\\'
              && i + 1 < s.length()
              && (s.charAt(i + 1) == '"' || s.charAt(i + 1) == '\\' || s.charAt(i + 1) == ']')) {
            value.append(s.charAt(i + 1));
            i += 2;
          } else if (ch == '"') {
            closed = true;
            i++;
            break;
          } else {
            value.append(ch);
            i++;
          }
        }
        if (!closed) {
          throw new BadLineException(
              "RFC 5424 structured data: the value of " + Text.clip(name, 30) + " is not closed");
        }
        Object old = params.get(name);
        if (old == null) {
          params.put(name, value.toString());
        } else if (old instanceof java.util.List<?> list) {
          @SuppressWarnings("unchecked")
          java.util.List<Object> l = (java.util.List<Object>) list;
          l.add(value.toString());
        } else {
          params.put(name, new java.util.ArrayList<>(java.util.List.of(old, value.toString())));
        }
        c.pos = i;
      }
    }
    return sd;
  }

  private static void writeSd(StringBuilder out, Object v) {
    if (v instanceof Map<?, ?> map) {
      out.append('{');
      boolean first = true;
      for (Map.Entry<?, ?> e : map.entrySet()) {
        if (!first) {
          out.append(',');
        }
        first = false;
        EcsJson.quote(out, (String) e.getKey());
        out.append(':');
        writeSd(out, e.getValue());
      }
      out.append('}');
    } else if (v instanceof java.util.List<?> list) {
      out.append('[');
      for (int i = 0; i < list.size(); i++) {
        if (i > 0) {
          out.append(',');
        }
        writeSd(out, list.get(i));
      }
      out.append(']');
    } else {
      EcsJson.quote(out, String.valueOf(v));
    }
  }

  /** A position in a line. */
  private static final class Cursor {
    final String s;
    int pos;

    Cursor(String s) {
      this.s = s;
    }

    void skipBom() {
      if (pos < s.length() && s.charAt(pos) == '\uFEFF') {
        pos++;
      }
    }

    char peek() {
      return pos < s.length() ? s.charAt(pos) : '\0';
    }

    char at(int offset) {
      return pos + offset < s.length() ? s.charAt(pos + offset) : '\0';
    }

    boolean digitAt(int offset) {
      char ch = at(offset);
      return ch >= '0' && ch <= '9';
    }

    void skipSpaces() {
      while (pos < s.length() && s.charAt(pos) == ' ') {
        pos++;
      }
    }

    int tokenEnd() {
      int e = pos;
      while (e < s.length() && s.charAt(e) != ' ') {
        e++;
      }
      return e;
    }

    String nextToken() {
      int e = tokenEnd();
      String t = s.substring(pos, e);
      pos = e;
      return t;
    }

    void expectSpace(String where) throws BadLineException {
      if (peek() != ' ') {
        throw new BadLineException(
            "not an RFC 5424 message: expected a space "
                + where
                + ", found "
                + (pos >= s.length() ? "the end of the line" : "'" + s.charAt(pos) + "'"));
      }
      pos++;
    }
  }
}
