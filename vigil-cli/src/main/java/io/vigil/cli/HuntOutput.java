package io.vigil.cli;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.vigil.detect.Detection;
import io.vigil.detect.Rule;
import io.vigil.event.Event;
import java.io.IOException;
import java.io.Writer;
import java.util.List;
import java.util.Locale;

/** Writes detections one per line or row, as they come, in one of hunt's output formats. */
sealed interface HuntOutput permits HuntOutput.Table, HuntOutput.Csv, HuntOutput.Jsonl {
  /** The format names accepted by {@code --format}. */
  List<String> FORMATS = List.of("table", "csv", "jsonl");

  /** The writer for a format name (one of {@link #FORMATS}). */
  static HuntOutput of(String format, Writer out) {
    return switch (format) {
      case "table" -> new Table(out);
      case "csv" -> new Csv(out);
      case "jsonl" -> new Jsonl(out);
      default -> throw new IllegalArgumentException("unknown format " + format);
    };
  }

  /** Writes what comes before the first detection (a header), if the format has one. */
  void begin() throws IOException;

  void write(Detection detection) throws IOException;

  /**
   * Aligned columns for people: time, level, rule, host and one key field. Column widths are fixed
   * so that rows can be written as they come; long values are cut with "...".
   */
  record Table(Writer out) implements HuntOutput {
    private static final int TIME = 24;
    private static final int LEVEL = 8;
    private static final int RULE = 54;
    private static final int HOST = 26;
    private static final int DETAIL = 100;
    // Windows writes times to 100 ns; people read milliseconds, and the column stays aligned.
    private static final java.util.regex.Pattern SUB_MILLIS =
        java.util.regex.Pattern.compile("(\\.\\d{3})\\d+");

    @Override
    public void begin() throws IOException {
      row("TIME", "LEVEL", "RULE", "HOST", "DETAIL");
    }

    @Override
    public void write(Detection d) throws IOException {
      Event e = d.event();
      String time = HuntFields.timestamp(e);
      row(
          time == null ? "-" : SUB_MILLIS.matcher(time).replaceFirst("$1"),
          d.rule().level().equals("informational") ? "info" : d.rule().level(),
          d.rule().title(),
          HuntFields.host(e),
          HuntFields.detail(e));
    }

    private void row(String time, String level, String rule, String host, String detail)
        throws IOException {
      StringBuilder sb = new StringBuilder(256);
      cell(sb, time, TIME);
      cell(sb, level, LEVEL);
      cell(sb, rule, RULE);
      cell(sb, host, HOST);
      sb.append(cut(detail, DETAIL));
      int end = sb.length();
      while (end > 0 && sb.charAt(end - 1) == ' ') {
        end--;
      }
      sb.setLength(end);
      out.write(sb.append('\n').toString());
    }

    private static void cell(StringBuilder sb, String value, int width) {
      String v = cut(value, width);
      sb.append(v).append(" ".repeat(width - v.length())).append("  ");
    }

    static String cut(String value, int width) {
      String v = HuntFields.oneLine(value);
      return v.length() <= width ? v : v.substring(0, width - 3) + "...";
    }
  }

  /** RFC 4180: a header row, CRLF line ends, fields quoted when they hold , " CR or LF. */
  record Csv(Writer out) implements HuntOutput {
    @Override
    public void begin() throws IOException {
      out.write("timestamp,level,rule_id,rule_title,tags,host,detail,source_file,source_index\r\n");
    }

    @Override
    public void write(Detection d) throws IOException {
      Event e = d.event();
      Rule r = d.rule();
      String time = HuntFields.timestamp(e);
      StringBuilder sb = new StringBuilder(256);
      field(sb, time == null ? "" : time).append(',');
      field(sb, r.level()).append(',');
      field(sb, r.id()).append(',');
      field(sb, r.title()).append(',');
      field(sb, String.join(" ", r.tags())).append(',');
      field(sb, HuntFields.host(e)).append(',');
      field(sb, HuntFields.detail(e)).append(',');
      field(sb, e.origin()).append(',');
      sb.append(e.index()).append("\r\n");
      out.write(sb.toString());
    }

    static StringBuilder field(StringBuilder sb, String value) {
      if (value.indexOf(',') < 0
          && value.indexOf('"') < 0
          && value.indexOf('\r') < 0
          && value.indexOf('\n') < 0) {
        return sb.append(value);
      }
      return sb.append('"').append(value.replace("\"", "\"\"")).append('"');
    }
  }

  /**
   * One JSON object per detection: {@code {"timestamp", "rule": {id, title, level, tags, author},
   * "source": {file, index}, "event": {the raw event}}}.
   */
  final class Jsonl implements HuntOutput {
    private static final JsonFactory JSON = new JsonFactory();
    private final Writer out;

    Jsonl(Writer out) {
      this.out = out;
    }

    @Override
    public void begin() {}

    @Override
    public void write(Detection d) throws IOException {
      Event e = d.event();
      Rule r = d.rule();
      java.io.StringWriter line = new java.io.StringWriter(512);
      try (JsonGenerator g = JSON.createGenerator(line)) {
        g.writeStartObject();
        String time = HuntFields.timestamp(e);
        if (time == null) {
          g.writeNullField("timestamp");
        } else {
          g.writeStringField("timestamp", time);
        }
        g.writeObjectFieldStart("rule");
        g.writeStringField("id", r.id());
        g.writeStringField("title", r.title());
        g.writeStringField("level", r.level().toLowerCase(Locale.ROOT));
        g.writeArrayFieldStart("tags");
        for (String tag : r.tags()) {
          g.writeString(tag);
        }
        g.writeEndArray();
        g.writeStringField("author", r.author());
        g.writeEndObject();
        g.writeObjectFieldStart("source");
        g.writeStringField("file", e.origin());
        g.writeNumberField("index", e.index());
        g.writeEndObject();
        g.writeFieldName("event");
        if (e.raw() == null) {
          g.writeNull();
        } else {
          g.writeRawValue(e.raw().strip());
        }
        g.writeEndObject();
      }
      out.write(line.append('\n').toString());
    }
  }
}
