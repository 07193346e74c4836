package io.vigil.ingest;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.io.JsonEOFException;
import io.vigil.ingest.text.TextFormats;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * What an input holds, recognised from its first bytes, never from its name. A format that holds
 * events has a name, the one {@code --input-format} takes and {@link LogSink#format} reports.
 */
enum InputFormat {
  /** One JSON object per line. */
  JSON_LINES("json"),
  /** A JSON array of objects, or JSON objects one after another, compact or pretty-printed. */
  JSON_STREAM("json"),
  /** A Windows Event Log file (binary). */
  EVTX("evtx"),
  /** Syslog lines: RFC 3164 (with or without a priority), RFC 5424, ISO-timestamp lines. */
  SYSLOG(TextFormats.SYSLOG),
  /** Linux auditd records. */
  AUDITD(TextFormats.AUDITD),
  /** CEF records, one per line. */
  CEF(TextFormats.CEF),
  /** Apache/Nginx common or combined access logs. */
  ACCESS_LOG(TextFormats.ACCESS_LOG),
  /** W3C extended log files (IIS). */
  W3C(TextFormats.W3C),
  /** Zeek tab-separated logs. */
  ZEEK_TSV(TextFormats.ZEEK_TSV),
  GZIP(null),
  ZIP(null),
  /** No bytes, or only white space. */
  EMPTY(null),
  UNKNOWN(null);

  /** The format's name for users, or null for containers and non-formats. */
  final String formatName;

  InputFormat(String formatName) {
    this.formatName = formatName;
  }

  /** Whether records of this format are text lines read by a {@link TextRecords}. */
  boolean text() {
    return formatName != null && TextFormats.NAMES.contains(formatName);
  }

  /** Every name {@code --input-format} takes, {@code auto} first. */
  static List<String> names() {
    Set<String> names = new LinkedHashSet<>();
    names.add("auto");
    for (InputFormat f : values()) {
      if (f.formatName != null) {
        names.add(f.formatName);
      }
    }
    return List.copyOf(names);
  }

  /**
   * The format forced by a name, or null for {@code auto}; for {@code json} the JSON kind is still
   * told from the content.
   *
   * @throws IllegalArgumentException naming the valid names
   */
  static InputFormat forName(String name) {
    String n = name.trim().toLowerCase(Locale.ROOT);
    if (n.equals("auto")) {
      return null;
    }
    for (InputFormat f : values()) {
      if (n.equals(f.formatName)) {
        return f;
      }
    }
    throw new IllegalArgumentException(
        "unknown input format '" + name + "'; the formats are " + String.join(", ", names()));
  }

  /** How many leading bytes {@link #detect} looks at. */
  static final int PEEK_BYTES = 64 * 1024;

  private static final int LINES_TRIED = 5;
  private static final JsonFactory JSON = new JsonFactory();
  // CloudTrail delivery files: one object whose "Records" array holds the events.
  private static final java.util.regex.Pattern RECORDS_ENVELOPE =
      java.util.regex.Pattern.compile("\\{\\s*\"Records\"\\s*:\\s*\\[");

  static InputFormat detect(byte[] head) {
    if (head.length >= 2 && (head[0] & 0xff) == 0x1f && (head[1] & 0xff) == 0x8b) {
      return GZIP;
    }
    if (head.length >= 4
        && head[0] == 'P'
        && head[1] == 'K'
        && ((head[2] == 3 && head[3] == 4) || (head[2] == 5 && head[3] == 6))) {
      return ZIP;
    }
    if (head.length >= 8
        && new String(head, 0, 8, StandardCharsets.ISO_8859_1).equals("ElfFile\0")) {
      return EVTX;
    }
    int i = skipBomAndSpace(head, 0);
    if (i >= head.length) {
      return EMPTY;
    }
    if (head[i] == '[') {
      return JSON_STREAM;
    }
    if (head[i] != '{') {
      return text(head, i);
    }
    if (RECORDS_ENVELOPE
        .matcher(new String(head, i, Math.min(64, head.length - i), StandardCharsets.ISO_8859_1))
        .lookingAt()) {
      return JSON_STREAM;
    }
    return linesOrStream(head, i);
  }

  /**
   * Tells JSON lines from objects one after another: a first line that holds exactly one complete
   * object means JSON lines; a first line that ends inside an object (pretty-printed) or holds
   * several objects means a stream. A malformed first line is not evidence either way, so the next
   * lines are tried.
   */
  private static InputFormat linesOrStream(byte[] head, int start) {
    int lineStart = start;
    for (int tried = 0; tried < LINES_TRIED && lineStart < head.length; tried++) {
      int end = lineStart;
      while (end < head.length && head[end] != '\n') {
        end++;
      }
      if (end >= head.length) {
        // The line runs past the peeked bytes: a long single-line record, not pretty-printing.
        return JSON_LINES;
      }
      switch (classifyLine(head, lineStart, end)) {
        case 1 -> {
          return JSON_LINES;
        }
        case 2 -> {
          return JSON_STREAM;
        }
        default -> {
          // malformed or blank: try the next line
        }
      }
      lineStart = skipBomAndSpace(head, end + 1);
    }
    return JSON_LINES;
  }

  /** 1: exactly one object; 2: an unfinished object or several values; 0: malformed or blank. */
  private static int classifyLine(byte[] head, int start, int end) {
    try (JsonParser p = JSON.createParser(head, start, end - start)) {
      JsonToken first = p.nextToken();
      if (first != JsonToken.START_OBJECT) {
        return 0;
      }
      p.skipChildren();
      return p.nextToken() == null ? 1 : 2;
    } catch (JsonEOFException e) {
      return 2;
    } catch (IOException e) {
      return 0;
    }
  }

  /** A text log format told from the first lines, or UNKNOWN (binary data, or no format fits). */
  private static InputFormat text(byte[] head, int start) {
    int control = 0;
    int sample = Math.min(head.length, start + 1024);
    for (int j = start; j < sample; j++) {
      int c = head[j] & 0xff;
      if (c < 0x20 && c != '\t' && c != '\n' && c != '\r' && c != 0x1d) {
        control++;
      }
    }
    if (control * 10 > sample - start) {
      return UNKNOWN; // binary data (a stray NUL in a text log is not enough)
    }
    List<String> lines = new ArrayList<>();
    int lineStart = start;
    for (int j = start; j < head.length && lines.size() < 40; j++) {
      int c = head[j] & 0xff;
      if (c == '\n') {
        lines.add(line(head, lineStart, j));
        lineStart = j + 1;
      }
    }
    if (lineStart < head.length
        && lines.size() < 40
        && (head.length < PEEK_BYTES || lines.isEmpty())) {
      lines.add(line(head, lineStart, head.length)); // the last line, when it is whole
    }
    String name = TextFormats.detect(lines);
    if (name == null) {
      return UNKNOWN;
    }
    for (InputFormat f : values()) {
      if (name.equals(f.formatName)) {
        return f;
      }
    }
    return UNKNOWN;
  }

  private static String line(byte[] head, int from, int to) {
    int end = to > from && head[to - 1] == '\r' ? to - 1 : to;
    return new String(head, from, end - from, StandardCharsets.UTF_8);
  }

  private static int skipBomAndSpace(byte[] b, int i) {
    if (i + 2 < b.length
        && (b[i] & 0xff) == 0xef
        && (b[i + 1] & 0xff) == 0xbb
        && (b[i + 2] & 0xff) == 0xbf) {
      i += 3;
    }
    while (i < b.length && (b[i] == ' ' || b[i] == '\t' || b[i] == '\r' || b[i] == '\n')) {
      i++;
    }
    return i;
  }

  /** Says what an unrecognised input seems to be, for the note that it was skipped. */
  static String describeUnknown(byte[] head) {
    int i = skipBomAndSpace(head, 0);
    int end = Math.min(head.length, i + 48);
    StringBuilder text = new StringBuilder();
    int binary = 0;
    for (int j = i; j < end; j++) {
      int c = head[j] & 0xff;
      if (c == '\n' || c == '\r') {
        break;
      }
      if (c < 0x20 && c != '\t') {
        binary++;
      }
      text.append(c >= 0x20 && c < 0x7f ? (char) c : '?');
    }
    if (binary > 0) {
      StringBuilder hex = new StringBuilder();
      for (int j = 0; j < Math.min(4, head.length); j++) {
        hex.append(String.format(Locale.ROOT, "%02x ", head[j] & 0xff));
      }
      return "binary data of an unknown format (first bytes " + hex.toString().trim() + ")";
    }
    return "not JSON nor a known text log format (it starts with \"" + text + "\")";
  }
}
