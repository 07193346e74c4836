package io.vigil.server;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import io.vigil.event.EventParseException;
import io.vigil.event.FieldSchema;
import io.vigil.event.JsonEventParser;
import io.vigil.event.JsonLimits;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Splits a bulk body (JSON lines, a JSON array, or JSON objects one after another) into one spool
 * payload per JSON object, without building trees: each object is checked and its bytes are copied
 * as they came. Whatever is not a JSON object is listed with its line (or element) number and the
 * reason; the rest is accepted.
 *
 * <p>A JSON line is checked by the byte scanner of the detection stage's parse ({@link
 * JsonEventParser} with no wanted field: every value checked and skipped), with the same limits
 * ({@link JsonLimits#DEFAULT}), so that what is accepted here also parses there; Jackson only words
 * the reason of a refused line. Arrays and pretty-printed objects are split by Jackson.
 */
final class BulkBody {
  /** Nesting deeper than this is refused (the detection parse's limit). */
  static final int MAX_DEPTH = JsonLimits.DEFAULT.maxDepth();

  /** Checks one JSON object as the detection stage's parse will (no field wanted). */
  private static final JsonEventParser CHECK =
      new JsonEventParser(FieldSchema.of(List.of()), JsonLimits.DEFAULT);

  private static final JsonFactory JSON =
      JsonFactory.builder()
          .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(MAX_DEPTH).build())
          .build();

  private BulkBody() {}

  /** One refused part: where (line or element number, from 1), why, and its text. */
  record Rejected(String where, String reason, String raw) {}

  record Result(List<byte[]> payloads, List<Rejected> rejected) {}

  static Result split(byte[] body, int length, boolean ndjson, String source, long receivedMillis) {
    byte[] src = source.getBytes(StandardCharsets.UTF_8);
    int first = skipWhitespace(body, 0, length);
    if (first >= length) {
      return new Result(List.of(), List.of());
    }
    if (!ndjson && body[first] != '[') {
      int eol = indexOf(body, first, length, (byte) '\n');
      ndjson = isObject(body, first, (eol < 0 ? length : eol) - first) == null;
    }
    return ndjson && body[first] != '['
        ? lines(body, length, src, receivedMillis)
        : stream(body, length, src, receivedMillis);
  }

  private static Result lines(byte[] body, int length, byte[] src, long received) {
    List<byte[]> out = new ArrayList<>();
    List<Rejected> bad = new ArrayList<>();
    int line = 0;
    int pos = 0;
    while (pos < length) {
      int eol = indexOf(body, pos, length, (byte) '\n');
      int end = eol < 0 ? length : eol;
      line++;
      int s = skipWhitespace(body, pos, end);
      int e = end;
      while (e > s && isSpace(body[e - 1])) {
        e--;
      }
      if (e > s) {
        String why = check(body, s, e - s);
        if (why == null) {
          out.add(Payload.encode(Payload.JSON, received, src, body, s, e - s));
        } else {
          bad.add(
              new Rejected(
                  "line " + line, why, new String(body, s, e - s, StandardCharsets.UTF_8)));
        }
      }
      pos = end + 1;
    }
    return new Result(out, bad);
  }

  /** A JSON array of objects, or objects one after another (pretty-printed or not). */
  private static Result stream(byte[] body, int length, byte[] src, long received) {
    List<byte[]> out = new ArrayList<>();
    List<Rejected> bad = new ArrayList<>();
    int element = 0;
    try (JsonParser p = JSON.createParser(body, 0, length)) {
      JsonToken t = p.nextToken();
      boolean array = t == JsonToken.START_ARRAY;
      if (array) {
        t = p.nextToken();
      }
      while (t != null && !(array && t == JsonToken.END_ARRAY)) {
        element++;
        int start = (int) p.currentTokenLocation().getByteOffset();
        p.skipChildren();
        int end = (int) p.currentLocation().getByteOffset();
        if (t == JsonToken.START_OBJECT) {
          out.add(Payload.encode(Payload.JSON, received, src, body, start, end - start));
        } else {
          bad.add(
              new Rejected(
                  (array ? "element " : "value ") + element,
                  "a JSON " + kind(t) + ", not an object; send one JSON object per event",
                  new String(body, start, Math.max(0, end - start), StandardCharsets.UTF_8)));
        }
        t = p.nextToken();
      }
      if (array && p.nextToken() != null) {
        bad.add(new Rejected("after the array", "text after the closing ]", ""));
      }
    } catch (IOException e) {
      bad.add(
          new Rejected(
              "element " + (element == 0 ? 1 : element),
              "malformed JSON ("
                  + e.getMessage().lines().findFirst().orElse("")
                  + "); the rest of the body was not read",
              new String(body, 0, Math.min(length, 4096), StandardCharsets.UTF_8)));
    }
    return new Result(out, bad);
  }

  /**
   * Null when bytes [off, off+len) are exactly one JSON object within the parse limits, else the
   * reason.
   */
  static String check(byte[] b, int off, int len) {
    try {
      CHECK.parse(b, off, len, "", 0);
      return null;
    } catch (EventParseException e) {
      String why = isObject(b, off, len);
      if (why != null) {
        return why;
      }
      // within Jackson's limits but not the parse's (nesting, fields, size): the parse says which
      String m = e.getMessage();
      return m.startsWith("#0: ") ? m.substring(4) : m;
    }
  }

  /** Null when bytes [off, off+len) are exactly one JSON object, else the reason. */
  static String isObject(byte[] b, int off, int len) {
    try (JsonParser p = JSON.createParser(b, off, len)) {
      JsonToken t = p.nextToken();
      if (t != JsonToken.START_OBJECT) {
        return "a JSON " + kind(t) + ", not an object";
      }
      p.skipChildren();
      if (p.nextToken() != null) {
        return "text after the JSON object";
      }
      return null;
    } catch (IOException e) {
      return "malformed JSON: " + e.getMessage().lines().findFirst().orElse("");
    }
  }

  private static String kind(JsonToken t) {
    if (t == null) {
      return "nothing";
    }
    return switch (t) {
      case START_ARRAY -> "array";
      case VALUE_STRING -> "string";
      case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "number";
      case VALUE_TRUE, VALUE_FALSE -> "boolean";
      case VALUE_NULL -> "null";
      default -> "value";
    };
  }

  private static int indexOf(byte[] b, int from, int to, byte c) {
    for (int i = from; i < to; i++) {
      if (b[i] == c) {
        return i;
      }
    }
    return -1;
  }

  private static int skipWhitespace(byte[] b, int from, int to) {
    while (from < to && isSpace(b[from])) {
      from++;
    }
    return from;
  }

  private static boolean isSpace(byte c) {
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
  }
}
