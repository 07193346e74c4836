package io.vigil.event;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * One log event: the values of the fields its {@link FieldSchema} asks for, in slots, plus the raw
 * original text and where it came from.
 *
 * <p>Values are {@link String}, {@link Long}, {@link Double}, {@link Boolean}, {@link #NULL} for an
 * explicit JSON null, or an unmodifiable {@link List} of those when a field holds several values (a
 * JSON array, or a path that crosses an array of objects). A missing field is Java {@code null}.
 *
 * <p>Fields outside the schema are still reachable through {@link #get(String)}: the raw JSON is
 * then parsed once, lazily. The slot values are fixed at construction, though an event parsed from
 * bytes decodes a string value (and its raw text) only when first asked for; these lazy views make
 * an event safe to read from one thread at a time (or from several, one after another, with a
 * hand-over between them), which is how every host uses it. Such an event reads its bytes where
 * they were parsed (a reader's buffer) until {@link #detach()} gives it a copy of its own.
 */
public final class Event {
  /** The value of a field that is present and JSON null. */
  public static final Object NULL =
      new Object() {
        @Override
        public String toString() {
          return "null";
        }
      };

  private final FieldSchema schema;
  private final Object[] values;
  private String raw;
  // The raw text as UTF-8 bytes (a slice of a read buffer), decoded into raw on first use; string
  // slots still undecoded (ByteScanner.Span) point into it. detach() copies the slice.
  private byte[] rawBytes;
  private int rawOffset;
  private final int rawLength;
  private final int rawTraits;
  private final String origin;
  private final long index;
  private Map<String, Object> all;
  private boolean detached;

  Event(
      FieldSchema schema,
      Object[] values,
      String raw,
      String origin,
      long index,
      Map<String, Object> all) {
    this.schema = schema;
    this.values = values;
    this.raw = raw;
    this.rawBytes = null;
    this.rawOffset = 0;
    this.rawLength = 0;
    this.rawTraits = -1;
    this.origin = origin;
    this.index = index;
    this.all = all;
  }

  /** An event whose raw text is kept as UTF-8 bytes and decoded only when asked for. */
  Event(
      FieldSchema schema,
      Object[] values,
      byte[] rawBytes,
      int rawOffset,
      int rawLength,
      int rawTraits,
      String origin,
      long index) {
    this.schema = schema;
    this.values = values;
    this.rawBytes = rawBytes;
    this.rawOffset = rawOffset;
    this.rawLength = rawLength;
    this.rawTraits = rawTraits;
    this.origin = origin;
    this.index = index;
  }

  /** {@link #rawTraits()}: the raw text holds a character outside ASCII. */
  public static final int RAW_NON_ASCII = 1;

  /** {@link #rawTraits()}: the raw JSON text holds a backslash-u escape. */
  public static final int RAW_UNICODE_ESCAPE = 2;

  /** {@link #rawTraits()}: the raw JSON text holds an escaped slash. */
  public static final int RAW_SLASH_ESCAPE = 4;

  /**
   * What a search of the raw bytes must know about them, learnt while they were parsed: {@link
   * #RAW_NON_ASCII}, {@link #RAW_UNICODE_ESCAPE}, {@link #RAW_SLASH_ESCAPE}, or -1 when unknown (no
   * raw bytes, or an event the byte parser handed to the text parser). When known, the raw bytes
   * are one JSON object.
   */
  public int rawTraits() {
    return rawBytes == null ? -1 : rawTraits;
  }

  /** Starts an event for sources that are not JSON (syslog, CSV, binary formats). */
  public static Builder builder(FieldSchema schema) {
    return new Builder(schema);
  }

  /** The schema whose slots this event fills. */
  public FieldSchema schema() {
    return schema;
  }

  /** The value in a slot of the schema, or null when the field is missing. */
  public Object get(int slot) {
    Object v = values[slot];
    if (v instanceof ByteScanner.Span span) {
      // a string kept as its place in the raw bytes until first asked for
      v = span.decode(rawBytes);
      values[slot] = v;
    }
    return v;
  }

  /** The value at a dotted path (case-insensitive), or null when the field is missing. */
  public Object get(String path) {
    int slot = schema.slot(path);
    if (slot >= 0) {
      return get(slot);
    }
    return all().get(path.toLowerCase(Locale.ROOT));
  }

  /**
   * Every field of the event as dotted lower-case paths to values, in document order. Built on
   * first use from the raw text; hot paths read slots instead.
   */
  public Map<String, Object> all() {
    if (all == null) {
      String text = raw();
      all = text == null ? Map.of() : JsonEventParser.flatten(text);
    }
    return all;
  }

  /** Passes every scalar value of the event, as text, to the consumer (for keyword search). */
  public void forEachString(Consumer<String> consumer) {
    for (Object value : all().values()) {
      if (value instanceof List<?> list) {
        for (Object element : list) {
          consumer.accept(String.valueOf(element));
        }
      } else {
        consumer.accept(String.valueOf(value));
      }
    }
  }

  /** The original text of the event (a JSON object, a log line), or null when none was kept. */
  public String raw() {
    if (raw == null && rawBytes != null) {
      raw = new String(rawBytes, rawOffset, rawLength, StandardCharsets.UTF_8);
    }
    return raw;
  }

  /**
   * The UTF-8 bytes that hold the original text (a slice from {@link #rawOffset()} of {@link
   * #rawLength()} bytes, typically a shared read buffer: read it, never change it or keep it), or
   * null when the event keeps its raw text as a String only (then use {@link #raw()}).
   */
  public byte[] rawBytes() {
    return rawBytes;
  }

  /**
   * Makes this event independent of the buffer it was parsed from: decodes every string value still
   * kept as a place in those bytes and copies its raw bytes into an array of its own. A host that
   * parses from a read buffer it fills again ({@code LineBlock} in {@code vigil-ingest}) calls this
   * for each event it keeps (a detection's) before handing the buffer back; afterwards the event
   * reads exactly as before. Does nothing for an event that holds no buffer, or a second time.
   * Costs one copy of the raw text; never needed for events dropped before the buffer is reused.
   */
  public void detach() {
    if (rawBytes == null || detached) {
      return;
    }
    for (int slot = 0; slot < values.length; slot++) {
      if (values[slot] instanceof ByteScanner.Span) {
        get(slot);
      }
    }
    rawBytes = java.util.Arrays.copyOfRange(rawBytes, rawOffset, rawOffset + rawLength);
    rawOffset = 0;
    detached = true;
  }

  /** Where the raw text starts in {@link #rawBytes()}. */
  public int rawOffset() {
    return rawOffset;
  }

  /** How many bytes of {@link #rawBytes()} the raw text takes. */
  public int rawLength() {
    return rawLength;
  }

  /** Where the event came from: a file path, an archive entry, a listener name. */
  public String origin() {
    return origin;
  }

  /** The event's position in its origin, counting from 1 (a line number or a record number). */
  public long index() {
    return index;
  }

  @Override
  public String toString() {
    return "Event[" + origin + "#" + index + "]";
  }

  static Object addValue(Object existing, Object value) {
    if (existing == null || (existing instanceof List<?> l && l.isEmpty())) {
      return value;
    }
    List<Object> list;
    if (existing instanceof MultiValue multi) {
      list = multi;
    } else {
      list = new MultiValue();
      list.add(existing);
    }
    list.add(value);
    return list;
  }

  static void freeze(Object[] values) {
    for (int i = 0; i < values.length; i++) {
      if (values[i] instanceof MultiValue multi) {
        values[i] = Collections.unmodifiableList(multi);
      }
    }
  }

  /** A field that gathered several values while parsing; frozen before the event is published. */
  static final class MultiValue extends ArrayList<Object> {
    MultiValue() {
      super(4);
    }
  }

  /** Builds an event field by field; fields outside the schema are kept for {@link #get}. */
  public static final class Builder {
    private final FieldSchema schema;
    private final Object[] values;
    private final Map<String, Object> all = new LinkedHashMap<>();
    private String raw;
    private String origin = "";
    private long index;

    private Builder(FieldSchema schema) {
      this.schema = Objects.requireNonNull(schema, "schema");
      this.values = new Object[schema.size()];
    }

    /** Adds a value; a second value for the same path makes the field multi-valued. */
    public Builder put(String path, Object value) {
      Objects.requireNonNull(value, "value (use Event.NULL for an explicit null)");
      if (!(value instanceof String
          || value instanceof Long
          || value instanceof Double
          || value instanceof Boolean
          || value == NULL)) {
        throw new IllegalArgumentException(
            "field "
                + path
                + ": values are String, Long, Double, Boolean or Event.NULL, not "
                + value.getClass().getName());
      }
      int slot = schema.slot(path);
      if (slot >= 0) {
        values[slot] = addValue(values[slot], value);
      }
      String key = path.toLowerCase(Locale.ROOT);
      all.put(key, addValue(all.get(key), value));
      return this;
    }

    /** Keeps the original text of the event. */
    public Builder raw(String raw) {
      this.raw = raw;
      return this;
    }

    /** Sets where the event came from and its position there. */
    public Builder origin(String origin, long index) {
      this.origin = Objects.requireNonNull(origin, "origin");
      this.index = index;
      return this;
    }

    public Event build() {
      Object[] copy = values.clone();
      freeze(copy);
      Map<String, Object> frozen = new LinkedHashMap<>();
      all.forEach(
          (k, v) -> frozen.put(k, v instanceof MultiValue m ? Collections.unmodifiableList(m) : v));
      return new Event(schema, copy, raw, origin, index, Collections.unmodifiableMap(frozen));
    }
  }
}
