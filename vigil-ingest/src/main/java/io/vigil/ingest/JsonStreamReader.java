package io.vigil.ingest;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import java.io.IOException;
import java.io.InputStream;
import java.io.Writer;
import java.util.Locale;

/**
 * A JSON array of objects, JSON objects one after another, or a mix (arrays one after another),
 * compact or pretty-printed; also CloudTrail delivery files ({@code {"Records":[…]}}), whose
 * elements are the records. Streamed token by token: the text of one top-level object at a time is
 * copied out and handed on as a record, numbered from 1.
 *
 * <p>A syntax error cannot be skipped in such a stream (there is no line to resume at), so it ends
 * the input with a problem that says how many records were read before it.
 */
final class JsonStreamReader implements RecordReader {
  private static final String RECORDS = "Records";

  private final LogRecord.RecordParser parser;
  private final ReadLimits limits;
  private final JsonFactory factory;

  JsonStreamReader(LogRecord.RecordParser parser, ReadLimits limits) {
    this.parser = parser;
    this.limits = limits;
    this.factory =
        JsonFactory.builder()
            .streamReadConstraints(
                StreamReadConstraints.builder()
                    .maxStringLength(limits.maxLineChars())
                    .maxNameLength(limits.maxLineChars())
                    .build())
            .disable(StreamWriteFeature.AUTO_CLOSE_CONTENT)
            .build();
  }

  @Override
  public void read(InputStream in, String origin, LogSink sink) throws IOException {
    long record = 0;
    try (JsonParser p = factory.createParser(in)) {
      try {
        JsonToken token;
        while ((token = p.nextToken()) != null) {
          if (token == JsonToken.START_ARRAY) {
            while ((token = p.nextToken()) != JsonToken.END_ARRAY) {
              if (token == null) {
                throw new IOException(
                    origin
                        + ": the input ends inside a JSON array after record "
                        + record
                        + " (truncated file?); the records before it were read");
              }
              record = one(p, token, origin, record + 1, sink);
            }
          } else if (token == JsonToken.START_OBJECT) {
            record = topObject(p, origin, record, sink);
          } else {
            record = one(p, token, origin, record + 1, sink);
          }
        }
      } catch (StreamConstraintsException e) {
        throw new IOException(
            String.format(
                Locale.ROOT,
                "%s: after record %d, a JSON value passes a limit (%s); the rest of this input was"
                    + " skipped. Raise %s (now %,d) if such values are expected",
                origin,
                record,
                e.getOriginalMessage(),
                ReadLimits.MAX_LINE_CHARS,
                limits.maxLineChars()),
            e);
      } catch (JsonProcessingException e) {
        JsonLocation at = e.getLocation();
        throw new IOException(
            String.format(
                Locale.ROOT,
                "%s: malformed JSON%s after record %d: %s; the rest of this input was skipped (a"
                    + " JSON array or object stream cannot resume after a syntax error), the %d"
                    + " records before it were read",
                origin,
                at == null
                    ? ""
                    : String.format(
                        Locale.ROOT, " at line %d, column %d", at.getLineNr(), at.getColumnNr()),
                record,
                e.getOriginalMessage(),
                record),
            e);
      }
    }
  }

  /**
   * A top-level object: one record, unless it is a CloudTrail-style envelope whose first key is
   * {@code "Records"} holding an array, whose elements are then the records (the envelope's other
   * keys are skipped). Returns the last record number used.
   */
  private long topObject(JsonParser p, String origin, long record, LogSink sink)
      throws IOException {
    JsonToken token = p.nextToken();
    if (token == null) {
      throw new IOException(
          origin
              + ": the input ends inside record "
              + (record + 1)
              + " (truncated file?); the records before it were read");
    }
    if (token == JsonToken.FIELD_NAME && RECORDS.equals(p.currentName())) {
      if (p.nextToken() == JsonToken.START_ARRAY) {
        while ((token = p.nextToken()) != JsonToken.END_ARRAY) {
          if (token == null) {
            throw new IOException(
                origin
                    + ": the input ends inside the \"Records\" array after record "
                    + record
                    + " (truncated file?); the records before it were read");
          }
          record = one(p, token, origin, record + 1, sink);
        }
        while ((token = p.nextToken()) == JsonToken.FIELD_NAME) {
          p.nextToken();
          p.skipChildren();
        }
        if (token != JsonToken.END_OBJECT) {
          throw new IOException(
              origin + ": the input ends inside the object that holds \"Records\"");
        }
        return record;
      }
      // "Records" is not an array: an ordinary event whose first key is Records.
      return copy(p, p.currentToken(), origin, record + 1, sink, true, RECORDS);
    }
    return copy(p, token, origin, record + 1, sink, true, null);
  }

  /** Copies out one value; returns its record number. */
  private long one(JsonParser p, JsonToken token, String origin, long record, LogSink sink)
      throws IOException {
    if (token != JsonToken.START_OBJECT) {
      p.skipChildren();
      sink.problem(
          new ReadProblem(
              origin,
              record,
              ReadProblem.Kind.RECORD,
              "expected a JSON object (one event), found "
                  + describe(token)
                  + "; the value was skipped"));
      return record;
    }
    return copy(p, token, origin, record, sink, false, null);
  }

  /**
   * Copies one object to text and hands it on. When {@code opened}, the parser has already passed
   * the object's START_OBJECT and, if {@code firstKey} is not null, that key too: it is then at the
   * first key, the key's value, or the END_OBJECT of an empty object.
   */
  private long copy(
      JsonParser p,
      JsonToken token,
      String origin,
      long record,
      LogSink sink,
      boolean opened,
      String firstKey)
      throws IOException {
    BoundedWriter out = new BoundedWriter(limits.maxLineChars());
    boolean overlong = false;
    int depth = 0;
    try (JsonGenerator g = factory.createGenerator(out)) {
      if (opened) {
        g.writeStartObject();
        depth = 1;
        if (firstKey != null) {
          g.writeFieldName(firstKey);
        }
      }
      while (true) {
        if (!overlong) {
          try {
            g.copyCurrentEvent(p);
          } catch (Overlong e) {
            overlong = true;
          }
        }
        if (token.isStructStart()) {
          depth++;
        } else if (token.isStructEnd()) {
          depth--;
        }
        if (depth == 0) {
          break;
        }
        token = p.nextToken();
        if (token == null) {
          throw new IOException(
              origin
                  + ": the input ends inside record "
                  + record
                  + " (truncated file?); the records before it were read");
        }
      }
      if (!overlong) {
        try {
          g.flush();
        } catch (Overlong e) {
          overlong = true;
        }
      }
    } catch (Overlong e) {
      overlong = true; // from closing the generator
    }
    if (overlong) {
      sink.problem(
          new ReadProblem(
              origin,
              record,
              ReadProblem.Kind.RECORD,
              String.format(
                  Locale.ROOT,
                  "JSON object is over the limit of %,d characters (%s); the record was skipped."
                      + " Raise %s if such records are expected",
                  limits.maxLineChars(),
                  ReadLimits.MAX_LINE_CHARS,
                  ReadLimits.MAX_LINE_CHARS)));
    } else {
      sink.record(new LogRecord(out.toString(), origin, record, parser));
    }
    return record;
  }

  private static String describe(JsonToken token) {
    return switch (token) {
      case START_ARRAY -> "an array";
      case VALUE_STRING -> "a string";
      case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "a number";
      case VALUE_TRUE, VALUE_FALSE -> "a boolean";
      case VALUE_NULL -> "null";
      default -> token.name();
    };
  }

  /** Signals that a record's text passed the limit; caught inside this class only. */
  private static final class Overlong extends IOException {
    private static final long serialVersionUID = 1L;

    Overlong() {
      super("record too long");
    }

    @Override
    public synchronized Throwable fillInStackTrace() {
      return this;
    }
  }

  /** Collects text up to a limit, then throws {@link Overlong} instead of growing. */
  private static final class BoundedWriter extends Writer {
    private final StringBuilder text = new StringBuilder(512);
    private final int max;

    BoundedWriter(int max) {
      this.max = max;
    }

    @Override
    public void write(char[] cbuf, int off, int len) throws IOException {
      if (text.length() + len > max) {
        throw new Overlong();
      }
      text.append(cbuf, off, len);
    }

    @Override
    public void write(String str, int off, int len) throws IOException {
      if (text.length() + len > max) {
        throw new Overlong();
      }
      text.append(str, off, len);
    }

    @Override
    public void flush() {}

    @Override
    public void close() {}

    @Override
    public String toString() {
      return text.toString();
    }
  }
}
