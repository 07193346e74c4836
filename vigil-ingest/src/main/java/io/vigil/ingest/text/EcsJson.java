package io.vigil.ingest.text;

import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds the JSON object text of one normalized event: the source's own fields, kept under their
 * own names, and Elastic Common Schema fields written as nested objects so that dotted paths such
 * as {@code source.ip} resolve. Not thread-safe; one builder per event.
 *
 * <pre>{@code
 * String json = new EcsJson()
 *     .field("c-ip", "10.0.0.1")            // a source field: the key is kept as it is
 *     .set("source.ip", "10.0.0.1")          // an ECS field: dots make nested objects
 *     .set("http.response.status_code", 200)
 *     .toJson();
 * // {"c-ip":"10.0.0.1","source":{"ip":"10.0.0.1"},"http":{"response":{"status_code":200}}}
 * }</pre>
 *
 * <p>Values are strings, numbers, booleans, lists of those, or JSON text given with {@link
 * #setRaw}. Null values are not written. The first value given for a path wins: a later {@code set}
 * of a path already set, or of a path below a value, is ignored, so readers set the most specific
 * value first.
 */
public final class EcsJson {
  private static final DateTimeFormatter ISO = DateTimeFormatter.ISO_INSTANT;

  private static final char[] HEX = "0123456789abcdef".toCharArray();

  private final Map<String, Object> root = new LinkedHashMap<>();

  /** JSON text written as it is (a value already serialized). */
  private record Raw(String json) {}

  /**
   * Sets a field by dotted path ({@code process.parent.pid}), creating the objects on the way. Does
   * nothing when {@code value} is null or the path is taken.
   *
   * @param value a String, Number, Boolean, or a List of those
   */
  public EcsJson set(String path, Object value) {
    if (value == null) {
      return this;
    }
    Map<String, Object> node = root;
    int start = 0;
    int dot;
    while ((dot = path.indexOf('.', start)) >= 0) {
      String segment = path.substring(start, dot);
      Object child = node.get(segment);
      if (child == null) {
        Map<String, Object> created = new LinkedHashMap<>();
        node.put(segment, created);
        node = created;
      } else if (child instanceof Map<?, ?> map) {
        @SuppressWarnings("unchecked")
        Map<String, Object> m = (Map<String, Object>) map;
        node = m;
      } else {
        return this;
      }
      start = dot + 1;
    }
    node.putIfAbsent(path.substring(start), value);
    return this;
  }

  /** Sets a field by dotted path to JSON text written as it is (an object, an array). */
  public EcsJson setRaw(String path, String json) {
    return json == null ? this : set(path, new Raw(json));
  }

  /**
   * Sets a top-level field whose name is kept whole, dots and all ({@code id.orig_h}, {@code
   * cs(User-Agent)}): a source field. Does nothing when {@code value} is null or the name is taken.
   */
  public EcsJson field(String name, Object value) {
    if (value != null) {
      root.putIfAbsent(name, value);
    }
    return this;
  }

  /** Whether a dotted path, or a top-level name, holds a value. */
  public boolean has(String path) {
    if (root.containsKey(path)) {
      return true;
    }
    Object node = root;
    for (String segment : path.split("\\.", -1)) {
      if (!(node instanceof Map<?, ?> map) || (node = map.get(segment)) == null) {
        return false;
      }
    }
    return true;
  }

  /** The value set at a dotted path (or top-level name), or null. */
  public Object get(String path) {
    Object direct = root.get(path);
    if (direct != null) {
      return direct;
    }
    Object node = root;
    for (String segment : path.split("\\.", -1)) {
      if (!(node instanceof Map<?, ?> map) || (node = map.get(segment)) == null) {
        return null;
      }
    }
    return node instanceof Raw raw ? raw.json() : node;
  }

  /** The JSON object text. */
  public String toJson() {
    StringBuilder out = new StringBuilder(512);
    write(out, root);
    return out.toString();
  }

  @Override
  public String toString() {
    return toJson();
  }

  /**
   * An instant as ECS writes {@code @timestamp}: ISO-8601 in UTC ({@code 2024-01-01T10:00:00Z}).
   */
  public static String timestamp(Instant instant) {
    return ISO.format(instant);
  }

  /** Appends {@code s} as a JSON string literal, quotes included. */
  public static void quote(StringBuilder out, String s) {
    out.append('"');
    int n = s.length();
    int run = 0; // start of the characters not yet written, copied in one go
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      if (c >= 0x20
          && c != '"'
          && c != '\\'
          && (c < Character.MIN_SURROGATE || c > Character.MAX_SURROGATE)) {
        continue;
      }
      if (Character.isSurrogate(c) && pair(s, i)) {
        continue;
      }
      out.append(s, run, i);
      run = i + 1;
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        default -> {
          if (Character.isSurrogate(c)) {
            out.append("\\ufffd"); // a lone surrogate cannot be written as UTF-8
          } else {
            out.append("\\u00").append(HEX[c >> 4]).append(HEX[c & 15]);
          }
        }
      }
    }
    out.append(s, run, n);
    out.append('"');
  }

  /** Whether the surrogate at {@code i} is part of a well-formed pair. */
  private static boolean pair(String s, int i) {
    char c = s.charAt(i);
    if (Character.isHighSurrogate(c)) {
      return i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1));
    }
    return i > 0 && Character.isHighSurrogate(s.charAt(i - 1));
  }

  private static void write(StringBuilder out, Object value) {
    switch (value) {
      case String s -> quote(out, s);
      case Raw raw -> out.append(raw.json());
      case Double d -> {
        if (d.isNaN() || d.isInfinite()) {
          quote(out, d.toString());
        } else {
          out.append(d);
        }
      }
      case Float f -> write(out, f.doubleValue());
      case Number n -> out.append(n);
      case Boolean b -> out.append(b);
      case Map<?, ?> map -> {
        out.append('{');
        boolean first = true;
        for (Map.Entry<?, ?> e : map.entrySet()) {
          if (!first) {
            out.append(',');
          }
          first = false;
          quote(out, (String) e.getKey());
          out.append(':');
          write(out, e.getValue());
        }
        out.append('}');
      }
      case List<?> list -> {
        out.append('[');
        for (int i = 0; i < list.size(); i++) {
          if (i > 0) {
            out.append(',');
          }
          Object item = list.get(i);
          if (item == null) {
            out.append("null");
          } else {
            write(out, item);
          }
        }
        out.append(']');
      }
      default -> quote(out, value.toString());
    }
  }
}
