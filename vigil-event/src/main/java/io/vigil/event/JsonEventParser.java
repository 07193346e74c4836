package io.vigil.event;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Reads one JSON object into an {@link Event}, extracting only the fields of a {@link FieldSchema}:
 * subtrees that lead to no wanted path are skipped token by token, never built. Thread-safe.
 */
public final class JsonEventParser {
  private final FieldSchema schema;
  private final JsonLimits limits;
  private final JsonFactory factory;

  public JsonEventParser(FieldSchema schema) {
    this(schema, JsonLimits.DEFAULT);
  }

  public JsonEventParser(FieldSchema schema, JsonLimits limits) {
    this.schema = schema;
    this.limits = limits;
    this.factory = factory(limits);
  }

  private static JsonFactory factory(JsonLimits limits) {
    return JsonFactory.builder()
        .streamReadConstraints(
            StreamReadConstraints.builder()
                .maxNestingDepth(limits.maxDepth())
                .maxStringLength(limits.maxEventChars())
                .maxDocumentLength(limits.maxEventChars())
                .build())
        .build();
  }

  public FieldSchema schema() {
    return schema;
  }

  /**
   * Parses one JSON object.
   *
   * @param json the text of exactly one JSON object
   * @param origin where it came from, for messages and detections
   * @param index its position there, counting from 1
   * @throws EventParseException when the text is not one JSON object or passes a limit
   */
  public Event parse(String json, String origin, long index) {
    if (json.length() > limits.maxEventChars()) {
      throw new EventParseException(
          String.format(
              Locale.ROOT,
              "%s#%d: event is %,d characters, over the limit of %,d; raise json.max-event-chars"
                  + " if such events are expected",
              origin,
              index,
              json.length(),
              limits.maxEventChars()));
    }
    Object[] values = new Object[schema.size()];
    try (JsonParser p = factory.createParser(json)) {
      JsonToken first = p.nextToken();
      if (first != JsonToken.START_OBJECT) {
        throw new EventParseException(
            origin + "#" + index + ": expected a JSON object, found " + describe(first));
      }
      int[] fields = {0};
      readObject(p, schema.root(), values, fields, origin, index);
      JsonToken trailing = p.nextToken();
      if (trailing != null) {
        throw new EventParseException(
            origin
                + "#"
                + index
                + ": unexpected "
                + describe(trailing)
                + " after the end of the JSON object; one event per object");
      }
    } catch (JsonProcessingException e) {
      throw new EventParseException(
          origin + "#" + index + ": malformed JSON: " + e.getOriginalMessage(), e);
    } catch (IOException e) {
      throw new EventParseException(origin + "#" + index + ": " + e.getMessage(), e);
    }
    Event.freeze(values);
    return new Event(schema, values, json, origin, index, null);
  }

  /**
   * Parses one JSON object given as UTF-8 bytes, without decoding the text: keys are matched as
   * bytes, values outside the schema are checked and skipped, and only wanted values become Java
   * objects. The event keeps the bytes as its raw text (decoded on first use), so the caller must
   * not change {@code utf8[offset, offset + length)} afterwards.
   *
   * <p>The answer is the same as {@link #parse(String, String, long)} on the decoded text: the same
   * values, and for bad input the same {@link EventParseException} with the same message (rare
   * cases, such as a wanted path that holds an object, take that path).
   *
   * @throws EventParseException when the bytes are not one JSON object or pass a limit
   */
  public Event parse(byte[] utf8, int offset, int length, String origin, long index) {
    java.util.Objects.checkFromIndexSize(offset, length, utf8.length);
    if (length <= limits.maxEventChars()) {
      Object[] values = new Object[schema.size()];
      try {
        ByteScanner scanner = new ByteScanner(utf8, offset, offset + length, values, limits);
        scanner.event(schema.root());
        return new Event(schema, values, utf8, offset, length, scanner.traits(), origin, index);
      } catch (ByteScanner.Fallback e) {
        // decided by the text path below, error messages included
      }
    }
    return parse(new String(utf8, offset, length, StandardCharsets.UTF_8), origin, index);
  }

  private void readObject(
      JsonParser p, FieldSchema.Node node, Object[] values, int[] fields, String origin, long index)
      throws IOException {
    JsonToken token;
    while ((token = p.nextToken()) == JsonToken.FIELD_NAME) {
      if (++fields[0] > limits.maxFields()) {
        throw new EventParseException(
            String.format(
                Locale.ROOT,
                "%s#%d: event has more than %,d fields; raise json.max-fields if such events are"
                    + " expected",
                origin,
                index,
                limits.maxFields()));
      }
      FieldSchema.Node child = node.child(p.currentName());
      JsonToken valueToken = p.nextToken();
      if (child == null) {
        p.skipChildren();
      } else {
        readValue(p, valueToken, child, values, fields, origin, index);
      }
    }
    if (token != JsonToken.END_OBJECT) {
      throw new EventParseException(
          origin + "#" + index + ": malformed JSON object near " + describe(token));
    }
  }

  private void readValue(
      JsonParser p,
      JsonToken token,
      FieldSchema.Node node,
      Object[] values,
      int[] fields,
      String origin,
      long index)
      throws IOException {
    switch (token) {
      case START_OBJECT -> {
        if (node.slot() >= 0) {
          // A wanted path that holds an object: keep its JSON text, and still descend for
          // longer wanted paths below it.
          String text = copy(p);
          values[node.slot()] = Event.addValue(values[node.slot()], text);
          if (node.hasChildren()) {
            try (JsonParser sub = factory.createParser(text)) {
              sub.nextToken();
              readObject(sub, node, values, fields, origin, index);
            }
          }
        } else if (node.hasChildren()) {
          readObject(p, node, values, fields, origin, index);
        } else {
          p.skipChildren();
        }
      }
      case START_ARRAY -> {
        JsonToken element;
        boolean any = false;
        while ((element = p.nextToken()) != JsonToken.END_ARRAY) {
          if (element == null) {
            throw new EventParseException(origin + "#" + index + ": unterminated JSON array");
          }
          any = true;
          readValue(p, element, node, values, fields, origin, index);
        }
        if (!any && node.slot() >= 0 && values[node.slot()] == null) {
          values[node.slot()] = Collections.emptyList();
        }
      }
      default -> {
        if (node.slot() >= 0) {
          values[node.slot()] = Event.addValue(values[node.slot()], scalar(p, token));
        }
      }
    }
  }

  private String copy(JsonParser p) throws IOException {
    StringWriter out = new StringWriter();
    try (JsonGenerator g = factory.createGenerator(out)) {
      g.copyCurrentStructure(p);
    }
    return out.toString();
  }

  private static Object scalar(JsonParser p, JsonToken token) throws IOException {
    return switch (token) {
      case VALUE_STRING -> p.getText();
      case VALUE_NUMBER_INT ->
          p.getNumberType() == JsonParser.NumberType.BIG_INTEGER ? p.getText() : p.getLongValue();
      case VALUE_NUMBER_FLOAT -> p.getDoubleValue();
      case VALUE_TRUE -> Boolean.TRUE;
      case VALUE_FALSE -> Boolean.FALSE;
      case VALUE_NULL -> Event.NULL;
      default -> throw new EventParseException("unexpected JSON token " + token);
    };
  }

  private static String describe(JsonToken token) {
    return token == null
        ? "end of input"
        : token.asString() == null ? token.name() : token.asString();
  }

  private static final JsonFactory FLATTEN_FACTORY = factory(JsonLimits.DEFAULT);

  /** Every field of a JSON object as lower-case dotted paths to values, in document order. */
  static Map<String, Object> flatten(String json) {
    Map<String, Object> out = new LinkedHashMap<>();
    try (JsonParser p = FLATTEN_FACTORY.createParser(json)) {
      if (p.nextToken() == JsonToken.START_OBJECT) {
        flattenObject(p, "", out);
      }
    } catch (IOException e) {
      // The text was accepted once by parse(); a raw text that is not JSON (a syslog line kept
      // by a builder) simply has no JSON fields.
      return Map.of();
    }
    out.replaceAll((k, v) -> v instanceof Event.MultiValue m ? Collections.unmodifiableList(m) : v);
    return Collections.unmodifiableMap(out);
  }

  private static void flattenObject(JsonParser p, String prefix, Map<String, Object> out)
      throws IOException {
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String key = prefix + p.currentName().toLowerCase(Locale.ROOT);
      flattenValue(p, p.nextToken(), key, out);
    }
  }

  private static void flattenValue(
      JsonParser p, JsonToken token, String key, Map<String, Object> out) throws IOException {
    switch (token) {
      case START_OBJECT -> flattenObject(p, key + ".", out);
      case START_ARRAY -> {
        JsonToken element;
        while ((element = p.nextToken()) != JsonToken.END_ARRAY && element != null) {
          flattenValue(p, element, key, out);
        }
        out.putIfAbsent(key, Collections.emptyList());
      }
      default -> {
        Object existing = out.get(key);
        if (existing instanceof java.util.List<?> l && l.isEmpty()) {
          existing = null;
        }
        out.put(key, Event.addValue(existing, scalar(p, token)));
      }
    }
  }
}
