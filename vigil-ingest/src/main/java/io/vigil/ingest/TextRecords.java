package io.vigil.ingest;

import io.vigil.ingest.text.BadLineException;
import io.vigil.ingest.text.TextDecoder;
import io.vigil.ingest.text.TextFormats;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Locale;

/**
 * Line-oriented text logs (syslog, auditd, CEF, access logs, W3C, Zeek TSV) through their {@link
 * TextDecoder}: each event's record text is the normalized JSON object the decoder builds, parsed
 * by the host's parser like any JSON record; its index is its line number. A malformed line is a
 * {@link ReadProblem.Kind#RECORD} problem and the rest of the input is read.
 */
final class TextRecords implements RecordReader {
  private final LogRecord.RecordParser parser;
  private final ReadLimits limits;
  private final String format;

  TextRecords(LogRecord.RecordParser parser, ReadLimits limits, String format) {
    this.parser = parser;
    this.limits = limits;
    this.format = format;
  }

  @Override
  public void read(InputStream in, String origin, LogSink sink) throws IOException {
    read(in, origin, sink, Instant.now());
  }

  /**
   * @param reference the instant whose year syslog timestamps without a year take (the file's
   *     modification time)
   */
  void read(InputStream in, String origin, LogSink sink, Instant reference) throws IOException {
    TextDecoder decoder = TextFormats.decoder(format, reference);
    LineReader lines =
        new LineReader(new InputStreamReader(in, StandardCharsets.UTF_8), limits.maxLineChars());
    TextDecoder.Output out =
        new TextDecoder.Output() {
          @Override
          public void event(String json, long line) {
            sink.record(new LogRecord(json, origin, line, parser));
          }

          @Override
          public void problem(long line, String message) {
            sink.problem(new ReadProblem(origin, line, ReadProblem.Kind.RECORD, message));
          }
        };
    long number = 0;
    String line;
    while ((line = lines.next()) != null) {
      number++;
      if (lines.overlong()) {
        out.problem(
            number,
            String.format(
                Locale.ROOT,
                "line is %,d characters, over the limit of %,d (%s); the line was skipped."
                    + " Raise %s if such lines are expected",
                lines.length(),
                limits.maxLineChars(),
                ReadLimits.MAX_LINE_CHARS,
                ReadLimits.MAX_LINE_CHARS));
        continue;
      }
      if (number == 1 && !line.isEmpty() && line.charAt(0) == '\uFEFF') {
        line = line.substring(1);
      }
      if (line.isBlank()) {
        continue;
      }
      try {
        decoder.line(line, number, out);
      } catch (BadLineException e) {
        out.problem(number, e.getMessage() + "; the line was skipped");
      } catch (RuntimeException e) {
        // A decoder bug must not stop the read: report it like a bad line.
        out.problem(
            number,
            "this "
                + format
                + " line could not be read ("
                + e
                + "); the line was skipped. Please report this as a bug");
      }
    }
    decoder.end(out);
  }
}
