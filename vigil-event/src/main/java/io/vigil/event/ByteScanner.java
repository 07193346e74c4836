package io.vigil.event;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Collections;

/**
 * Reads one JSON object from UTF-8 bytes for {@link JsonEventParser#parse(byte[], int, int, String,
 * long)}: keys are compared as bytes with the schema's path tree, values outside the schema are
 * checked and skipped without being built, and only wanted values become Java objects.
 *
 * <p>It accepts a subset of what the text path (Jackson with its default features) accepts and
 * gives the same values for it. Whenever it is in doubt (malformed input, a limit reached, a
 * surrogate escape, a wanted path that holds an object) it throws {@link Fallback}, and the text
 * path decides, error message included. One instance reads one event on one thread.
 */
final class ByteScanner {
  /** The text path must decide this event. Preallocated: no stack trace, no message. */
  static final class Fallback extends RuntimeException {
    private static final long serialVersionUID = 1L;
    static final Fallback INSTANCE = new Fallback();

    private Fallback() {
      super(null, null, false, false);
    }
  }

  /**
   * A string value kept as its place in the event's bytes ({@code [start, end)}, between the
   * quotes, already checked) and decoded when the event is first asked for it.
   */
  record Span(int start, int end, boolean escaped) {
    String decode(byte[] bytes) {
      return ByteScanner.decode(bytes, start, end, escaped);
    }
  }

  /** Deeper nesting (only with a raised {@code json.max-depth}) takes the text path. */
  private static final int MAX_RECURSION = 256;

  private static final int ESCAPE = 1;
  private static final int SURROGATE = 2;

  /** Jackson's default longest number and longest key, in characters. */
  private static final int MAX_NUMBER_CHARS = 1000;

  private static final int MAX_NAME_CHARS = 50_000;

  // Eight bytes at a time: a long per step, with the classic "has a zero byte" bit tricks.
  private static final VarHandle LONGS =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
  private static final long ONES = 0x0101010101010101L;
  private static final long HIGHS = 0x8080808080808080L;
  private static final long QUOTES = 0x2222222222222222L;
  private static final long BACKSLASHES = 0x5C5C5C5C5C5C5C5CL;
  private static final long DOTS = 0x2E2E2E2E2E2E2E2EL;
  private static final long SPACES = 0x2020202020202020L;

  /** Bytes that end a run of plain string bytes: quote, backslash and control characters. */
  private static final boolean[] STRING_STOP = new boolean[256];

  /** The characters that may follow a backslash, but for {@code u}. */
  private static final boolean[] SIMPLE_ESCAPE = new boolean[256];

  /** Bytes that end a run of plain key bytes: the above, a dot, and every non-ASCII byte. */
  private static final boolean[] KEY_STOP = new boolean[256];

  static {
    for (int c = 0; c < 0x20; c++) {
      STRING_STOP[c] = true;
      KEY_STOP[c] = true;
    }
    STRING_STOP['"'] = true;
    STRING_STOP['\\'] = true;
    KEY_STOP['"'] = true;
    KEY_STOP['\\'] = true;
    KEY_STOP['.'] = true;
    for (int c = 0x80; c < 0x100; c++) {
      KEY_STOP[c] = true;
    }
    for (char c : "\"\\/bfnrt".toCharArray()) {
      SIMPLE_ESCAPE[c] = true;
    }
  }

  private final byte[] b;
  private final int end;
  private final Object[] values;
  private final int maxDepth;
  private final int maxFields;
  private int pos;
  private int fields;
  // the hash of the key bytes before the stop keyStop found
  private long keyHash;
  // the slots given a value, to freeze multi-valued ones at the end without visiting every slot
  private int[] touched = new int[32];
  private int touchedCount;
  // the high bits of every string byte read (non-zero: the text holds a non-ASCII character)
  private long highs;
  // Event.RAW_UNICODE_ESCAPE and Event.RAW_SLASH_ESCAPE when such an escape was met
  private int escapes;

  ByteScanner(byte[] b, int start, int end, Object[] values, JsonLimits limits) {
    this.b = b;
    this.pos = start;
    this.end = end;
    this.values = values;
    this.maxDepth = limits.maxDepth();
    this.maxFields = limits.maxFields();
  }

  /**
   * What the text holds that a search of its bytes must know ({@link Event#rawTraits()}); valid
   * after {@link #event} returned.
   */
  int traits() {
    return escapes | ((highs & HIGHS) != 0 ? Event.RAW_NON_ASCII : 0);
  }

  /** Reads the one object that must fill the bytes (white space around it allowed). */
  void event(FieldSchema.Node root) {
    skipWs();
    if (peek() != '{') {
      throw Fallback.INSTANCE;
    }
    pos++;
    object(root, 1);
    skipWs();
    if (pos != end) {
      throw Fallback.INSTANCE;
    }
    for (int i = 0; i < touchedCount; i++) {
      int slot = touched[i];
      if (values[slot] instanceof Event.MultiValue multi) {
        values[slot] = Collections.unmodifiableList(multi);
      }
    }
  }

  private void skipWs() {
    while (pos < end) {
      byte c = b[pos];
      if (c == ' ' || c == '\n' || c == '\r' || c == '\t') {
        pos++;
      } else {
        return;
      }
    }
  }

  private byte peek() {
    if (pos >= end) {
      throw Fallback.INSTANCE;
    }
    return b[pos];
  }

  /** An object on a wanted path, after its '{'. */
  private void object(FieldSchema.Node node, int depth) {
    if (depth > maxDepth || depth > MAX_RECURSION) {
      throw Fallback.INSTANCE;
    }
    skipWs();
    if (peek() == '}') {
      pos++;
      return;
    }
    while (true) {
      if (peek() != '"') {
        throw Fallback.INSTANCE;
      }
      pos++;
      FieldSchema.Node child = key(node);
      if (++fields > maxFields) {
        throw Fallback.INSTANCE;
      }
      colon();
      if (child == null) {
        skipValue(depth);
      } else {
        value(child, depth);
      }
      skipWs();
      byte c = peek();
      pos++;
      if (c == ',') {
        skipWs();
      } else if (c == '}') {
        return;
      } else {
        throw Fallback.INSTANCE;
      }
    }
  }

  private void colon() {
    skipWs();
    if (peek() != ':') {
      throw Fallback.INSTANCE;
    }
    pos++;
    skipWs();
  }

  /** A key, after its opening quote: the schema node it leads to, or null. */
  private FieldSchema.Node key(FieldSchema.Node node) {
    int start = pos;
    pos = keyStop(pos);
    if (pos >= end) {
      throw Fallback.INSTANCE;
    }
    if (b[pos] != '"') {
      // an escape, a control character, a dot or a non-ASCII byte: decode, ask by text
      pos = start;
      String key = string();
      if (key.length() > MAX_NAME_CHARS) {
        throw Fallback.INSTANCE;
      }
      return node.child(key);
    }
    int len = pos - start;
    pos++;
    if (len > MAX_NAME_CHARS) {
      throw Fallback.INSTANCE;
    }
    return node.childAscii(b, start, len, FieldSchema.Node.hashEnd(keyHash, len));
  }

  /** A value on a wanted path. */
  private void value(FieldSchema.Node node, int depth) {
    int slot = node.slot();
    switch (peek()) {
      case '"' -> {
        int start = ++pos;
        int flags = skipString();
        if (slot >= 0) {
          if ((flags & SURROGATE) != 0) {
            throw Fallback.INSTANCE; // the text path pairs surrogates (or not)
          }
          Span span = new Span(start, pos - 1, flags != 0);
          if (values[slot] == null) {
            touch(slot);
            values[slot] = span;
          } else {
            add(slot, span.decode(b));
          }
        }
      }
      case '{' -> {
        if (slot >= 0) {
          // the text path keeps an object's JSON text; rare enough to leave to it
          throw Fallback.INSTANCE;
        }
        pos++;
        if (node.hasChildren()) {
          object(node, depth + 1);
        } else {
          skipObject(depth + 1);
        }
      }
      case '[' -> {
        pos++;
        array(node, depth + 1);
      }
      case 't' -> {
        literal("true");
        if (slot >= 0) {
          add(slot, Boolean.TRUE);
        }
      }
      case 'f' -> {
        literal("false");
        if (slot >= 0) {
          add(slot, Boolean.FALSE);
        }
      }
      case 'n' -> {
        literal("null");
        if (slot >= 0) {
          add(slot, Event.NULL);
        }
      }
      default -> number(slot);
    }
  }

  private void add(int slot, Object value) {
    Object existing = values[slot];
    if (existing == null) {
      touch(slot);
    } else if (existing instanceof Span span) {
      existing = span.decode(b);
    }
    values[slot] = Event.addValue(existing, value);
  }

  private void touch(int slot) {
    if (touchedCount == touched.length) {
      touched = java.util.Arrays.copyOf(touched, touchedCount * 2);
    }
    touched[touchedCount++] = slot;
  }

  /** An array on a wanted path, after its '['. */
  private void array(FieldSchema.Node node, int depth) {
    if (depth > maxDepth || depth > MAX_RECURSION) {
      throw Fallback.INSTANCE;
    }
    skipWs();
    if (peek() == ']') {
      pos++;
      int slot = node.slot();
      if (slot >= 0 && values[slot] == null) {
        touch(slot);
        values[slot] = Collections.emptyList();
      }
      return;
    }
    while (true) {
      value(node, depth);
      skipWs();
      byte c = peek();
      pos++;
      if (c == ',') {
        skipWs();
      } else if (c == ']') {
        return;
      } else {
        throw Fallback.INSTANCE;
      }
    }
  }

  /** Checks and passes over any value inside a container at {@code depth}. */
  private void skipValue(int depth) {
    switch (peek()) {
      case '"' -> {
        pos++;
        skipString();
      }
      case '{' -> {
        pos++;
        skipObject(depth + 1);
      }
      case '[' -> {
        pos++;
        skipArray(depth + 1);
      }
      case 't' -> literal("true");
      case 'f' -> literal("false");
      case 'n' -> literal("null");
      default -> number(-1);
    }
  }

  private void skipObject(int depth) {
    if (depth > maxDepth || depth > MAX_RECURSION) {
      throw Fallback.INSTANCE;
    }
    skipWs();
    if (peek() == '}') {
      pos++;
      return;
    }
    while (true) {
      if (peek() != '"') {
        throw Fallback.INSTANCE;
      }
      int start = ++pos;
      skipString();
      if (pos - start > MAX_NAME_CHARS) {
        throw Fallback.INSTANCE;
      }
      colon();
      skipValue(depth);
      skipWs();
      byte c = peek();
      pos++;
      if (c == ',') {
        skipWs();
      } else if (c == '}') {
        return;
      } else {
        throw Fallback.INSTANCE;
      }
    }
  }

  private void skipArray(int depth) {
    if (depth > maxDepth || depth > MAX_RECURSION) {
      throw Fallback.INSTANCE;
    }
    skipWs();
    if (peek() == ']') {
      pos++;
      return;
    }
    while (true) {
      skipValue(depth);
      skipWs();
      byte c = peek();
      pos++;
      if (c == ',') {
        skipWs();
      } else if (c == ']') {
        return;
      } else {
        throw Fallback.INSTANCE;
      }
    }
  }

  private void literal(String word) {
    int n = word.length();
    if (end - pos < n) {
      throw Fallback.INSTANCE;
    }
    for (int i = 0; i < n; i++) {
      if (b[pos + i] != word.charAt(i)) {
        throw Fallback.INSTANCE;
      }
    }
    pos += n;
  }

  /** A number by the JSON grammar; its value is added to {@code slot} unless that is -1. */
  private void number(int slot) {
    int start = pos;
    if (peek() == '-') {
      pos++;
    }
    byte c = peek();
    if (c == '0') {
      pos++;
      if (pos < end && isDigit(b[pos])) {
        throw Fallback.INSTANCE; // leading zeros
      }
    } else if (c >= '1' && c <= '9') {
      pos++;
      digits();
    } else {
      throw Fallback.INSTANCE;
    }
    int intEnd = pos;
    boolean fraction = false;
    if (pos < end && b[pos] == '.') {
      pos++;
      if (digits() == 0) {
        throw Fallback.INSTANCE;
      }
      fraction = true;
    }
    if (pos < end && (b[pos] == 'e' || b[pos] == 'E')) {
      pos++;
      if (pos < end && (b[pos] == '+' || b[pos] == '-')) {
        pos++;
      }
      if (digits() == 0) {
        throw Fallback.INSTANCE;
      }
      fraction = true;
    }
    int len = pos - start;
    if (len > MAX_NUMBER_CHARS) {
      throw Fallback.INSTANCE;
    }
    if (slot < 0) {
      return;
    }
    if (fraction) {
      add(slot, Double.parseDouble(new String(b, start, len, StandardCharsets.ISO_8859_1)));
      return;
    }
    boolean negative = b[start] == '-';
    int first = negative ? start + 1 : start;
    if (intEnd - first <= 18) {
      long v = 0;
      for (int i = first; i < intEnd; i++) {
        v = v * 10 + (b[i] - '0');
      }
      add(slot, negative ? -v : v);
    } else {
      String text = new String(b, start, len, StandardCharsets.ISO_8859_1);
      try {
        add(slot, Long.parseLong(text));
      } catch (NumberFormatException e) {
        add(slot, text); // beyond a long: the text path keeps the digits as text
      }
    }
  }

  private int digits() {
    int start = pos;
    while (pos < end && isDigit(b[pos])) {
      pos++;
    }
    return pos - start;
  }

  private static boolean isDigit(byte c) {
    return c >= '0' && c <= '9';
  }

  /** A string after its opening quote, decoded; ends after the closing quote. */
  private String string() {
    int start = pos;
    int flags = skipString();
    if ((flags & SURROGATE) != 0) {
      throw Fallback.INSTANCE; // the text path pairs surrogates (or not)
    }
    return decode(b, start, pos - 1, flags != 0);
  }

  /** The first quote, backslash or control byte at or after {@code i}, or {@code end}. */
  private int stringStop(int i) {
    byte[] b = this.b;
    int end = this.end;
    // the words read may reach past the stop, but never past the text: their high bits still
    // tell whether the text holds a non-ASCII byte
    long hi = 0;
    while (i + 16 <= end) {
      long x = (long) LONGS.get(b, i);
      long y = (long) LONGS.get(b, i + 8);
      hi |= x | y;
      long tx = stops(x);
      long ty = stops(y);
      if ((tx | ty) != 0) {
        highs |= hi;
        // the lowest flagged byte is exact (higher ones may be borrows)
        return tx != 0
            ? i + (Long.numberOfTrailingZeros(tx) >>> 3)
            : i + 8 + (Long.numberOfTrailingZeros(ty) >>> 3);
      }
      i += 16;
    }
    while (i + 8 <= end) {
      long x = (long) LONGS.get(b, i);
      hi |= x;
      long t = stops(x);
      if (t != 0) {
        highs |= hi;
        return i + (Long.numberOfTrailingZeros(t) >>> 3);
      }
      i += 8;
    }
    while (i < end && !STRING_STOP[b[i] & 0xff]) {
      hi |= b[i];
      i++;
    }
    highs |= hi;
    return i;
  }

  /**
   * The high bit of each byte of {@code x} that is a quote, a backslash or a control character
   * ("has a zero byte" on x ^ quotes, x ^ backslashes and x - spaces; bytes from 0x80 never stop).
   */
  private static long stops(long x) {
    long q = x ^ QUOTES;
    long s = x ^ BACKSLASHES;
    return ((q - ONES) | (s - ONES) | (x - SPACES)) & ~x & HIGHS;
  }

  /**
   * As {@link #stringStop}, also stopping at a dot or a non-ASCII byte; hashes the bytes before the
   * stop on the way ({@link #keyHash}, as {@link FieldSchema.Node#asciiHash} before its end).
   */
  private int keyStop(int i) {
    byte[] b = this.b;
    int end = this.end;
    long h = 0;
    while (i + 8 <= end) {
      long x = (long) LONGS.get(b, i);
      long q = x ^ QUOTES;
      long s = x ^ BACKSLASHES;
      long d = x ^ DOTS;
      long t = ((q - ONES) | (s - ONES) | (d - ONES) | (x - SPACES)) & ~x;
      t = (t | x) & HIGHS;
      if (t != 0) {
        int k = Long.numberOfTrailingZeros(t) >>> 3;
        if (k > 0) {
          h = FieldSchema.Node.hashTail(h, x, k);
        }
        keyHash = h;
        return i + k;
      }
      h = FieldSchema.Node.hashStep(h, x);
      i += 8;
    }
    int start = i;
    while (i < end && !KEY_STOP[b[i] & 0xff]) {
      i++;
    }
    if (i > start) {
      long x = 0;
      for (int k = i - 1; k >= start; k--) {
        x = x << 8 | (b[k] & 0xff);
      }
      h = FieldSchema.Node.hashTail(h, x, i - start);
    }
    keyHash = h;
    return i;
  }

  /**
   * The text of checked string bytes (between the quotes): raw bytes are decoded as they are (so
   * malformed UTF-8 is replaced exactly as when the whole text is decoded), escapes become the
   * UTF-8 of their character first. Surrogate escapes are never met here: they take the text path.
   */
  static String decode(byte[] b, int start, int end, boolean escaped) {
    if (!escaped) {
      return new String(b, start, end - start, StandardCharsets.UTF_8);
    }
    // One pass: eight bytes are copied at a time up to the next backslash (the word is stored
    // whole, so out has eight bytes of slack; escapes only shrink the text).
    byte[] out = new byte[end - start + 8];
    int n = 0;
    int i = start;
    while (true) {
      if (i + 8 <= end) {
        long x = (long) LONGS.get(b, i);
        long s = x ^ BACKSLASHES;
        long t = (s - ONES) & ~s & HIGHS;
        LONGS.set(out, n, x);
        if (t == 0) {
          i += 8;
          n += 8;
          continue;
        }
        int k = Long.numberOfTrailingZeros(t) >>> 3; // the first backslash is exact
        i += k;
        n += k;
      } else {
        while (i < end && b[i] != '\\') {
          out[n++] = b[i++];
        }
        if (i >= end) {
          return new String(out, 0, n, StandardCharsets.UTF_8);
        }
      }
      int e = b[i + 1];
      i += 2;
      switch (e) {
        case 'b' -> out[n++] = '\b';
        case 'f' -> out[n++] = '\f';
        case 'n' -> out[n++] = '\n';
        case 'r' -> out[n++] = '\r';
        case 't' -> out[n++] = '\t';
        case 'u' -> {
          int code = 0;
          for (int k = 0; k < 4; k++) {
            code = code << 4 | Character.digit(b[i++], 16);
          }
          if (code < 0x80) {
            out[n++] = (byte) code;
          } else if (code < 0x800) {
            out[n++] = (byte) (0xC0 | code >> 6);
            out[n++] = (byte) (0x80 | (code & 0x3F));
          } else {
            out[n++] = (byte) (0xE0 | code >> 12);
            out[n++] = (byte) (0x80 | ((code >> 6) & 0x3F));
            out[n++] = (byte) (0x80 | (code & 0x3F));
          }
        }
        default -> out[n++] = (byte) e; // " \ /
      }
    }
  }

  private int hex4() {
    if (end - pos < 4) {
      throw Fallback.INSTANCE;
    }
    int code = 0;
    for (int i = 0; i < 4; i++) {
      int c = b[pos++];
      int d;
      if (c >= '0' && c <= '9') {
        d = c - '0';
      } else if (c >= 'a' && c <= 'f') {
        d = c - 'a' + 10;
      } else if (c >= 'A' && c <= 'F') {
        d = c - 'A' + 10;
      } else {
        throw Fallback.INSTANCE;
      }
      code = code << 4 | d;
    }
    return code;
  }

  /**
   * Checks and passes over a string after its opening quote; says whether it held an escape ({@link
   * #ESCAPE}) and a surrogate escape ({@link #SURROGATE}).
   */
  private int skipString() {
    int flags = 0;
    while (true) {
      pos = stringStop(pos);
      if (pos >= end) {
        throw Fallback.INSTANCE;
      }
      int c = b[pos];
      if (c == '"') {
        pos++;
        return flags;
      }
      if (c != '\\') {
        throw Fallback.INSTANCE; // a control character must be escaped
      }
      flags |= ESCAPE;
      do { // escapes often come in runs (\r\n\t, \\): no new scan between them
        if (pos + 1 >= end) {
          throw Fallback.INSTANCE;
        }
        int e = b[pos + 1] & 0xff;
        pos += 2;
        if (e == 'u') {
          escapes |= Event.RAW_UNICODE_ESCAPE;
          int code = hex4();
          if (code >= 0xD800 && code <= 0xDFFF) {
            flags |= SURROGATE;
          }
        } else if (!SIMPLE_ESCAPE[e]) {
          throw Fallback.INSTANCE;
        } else if (e == '/') {
          escapes |= Event.RAW_SLASH_ESCAPE;
        }
      } while (pos < end && b[pos] == '\\');
    }
  }
}
