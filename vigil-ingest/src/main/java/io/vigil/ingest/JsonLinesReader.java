package io.vigil.ingest;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/** One JSON object per line; blank lines are skipped, and every line keeps its number. */
final class JsonLinesReader implements RecordReader {
  private final LogRecord.RecordParser parser;
  private final ReadLimits limits;

  JsonLinesReader(LogRecord.RecordParser parser, ReadLimits limits) {
    this.parser = parser;
    this.limits = limits;
  }

  @Override
  public void read(InputStream in, String origin, LogSink sink) throws IOException {
    LineReader lines =
        new LineReader(new InputStreamReader(in, StandardCharsets.UTF_8), limits.maxLineChars());
    long number = 0;
    String line;
    while ((line = lines.next()) != null) {
      number++;
      if (lines.overlong()) {
        sink.problem(
            new ReadProblem(
                origin,
                number,
                ReadProblem.Kind.RECORD,
                String.format(
                    Locale.ROOT,
                    "line is %,d characters, over the limit of %,d (%s); the line was skipped."
                        + " Raise %s if such lines are expected",
                    lines.length(),
                    limits.maxLineChars(),
                    ReadLimits.MAX_LINE_CHARS,
                    ReadLimits.MAX_LINE_CHARS)));
        continue;
      }
      if (number == 1 && !line.isEmpty() && line.charAt(0) == '\uFEFF') {
        line = line.substring(1);
      }
      if (line.isBlank()) {
        continue;
      }
      sink.record(new LogRecord(line, origin, number, parser));
    }
  }
}
