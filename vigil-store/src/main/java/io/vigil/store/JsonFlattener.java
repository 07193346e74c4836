package io.vigil.store;

/**
 * One pass over a JSON object's text producing its scalar values under their dotted paths ({@code
 * winlog.event_data.Image}; array elements under the array's path), without building a tree and
 * without a general JSON library: strings without escapes are plain substrings of the input. {@code
 * null} values are skipped; numbers and booleans are given as written.
 */
final class JsonFlattener {
  /** Receives the values in document order. */
  interface Sink {
    /**
     * One scalar value.
     *
     * @param number true when the JSON value was a number (not a string)
     */
    void value(String path, String value, boolean number);
  }

  /** The text is not one JSON object (or is nested deeper than the limit). */
  static final class NotJsonException extends Exception {
    NotJsonException(String message) {
      super(message, null, false, false);
    }
  }

  private final String s;
  private final int n;
  private final int maxDepth;
  private final Sink sink;
  private final StringBuilder path = new StringBuilder(64);
  private final StringBuilder scratch = new StringBuilder();
  private int i;

  private JsonFlattener(String s, int maxDepth, Sink sink) {
    this.s = s;
    this.n = s.length();
    this.maxDepth = maxDepth;
    this.sink = sink;
  }

  /**
   * Flattens {@code json}, a JSON object, into {@code sink}; text after the object is ignored.
   *
   * @throws NotJsonException when it is not a JSON object or nests deeper than {@code maxDepth}
   *     (the sink may have received some values before)
   */
  static void flatten(String json, int maxDepth, Sink sink) throws NotJsonException {
    JsonFlattener f = new JsonFlattener(json, maxDepth, sink);
    f.skipSpace();
    if (f.i >= f.n || json.charAt(f.i) != '{') {
      throw new NotJsonException("not a JSON object");
    }
    try {
      f.object(0);
    } catch (StringIndexOutOfBoundsException truncated) {
      throw new NotJsonException("truncated JSON");
    }
  }

  private void object(int depth) throws NotJsonException {
    if (depth >= maxDepth) {
      throw new NotJsonException("JSON nested deeper than " + maxDepth);
    }
    i++; // '{'
    int base = path.length();
    skipSpace();
    if (peek() == '}') {
      i++;
      return;
    }
    while (true) {
      skipSpace();
      if (peek() != '"') {
        throw error("a field name");
      }
      path.setLength(base);
      if (base > 0) {
        path.append('.');
      }
      appendString(path);
      skipSpace();
      if (peek() != ':') {
        throw error("':'");
      }
      i++;
      value(depth);
      skipSpace();
      char c = peek();
      i++;
      if (c == '}') {
        path.setLength(base);
        return;
      }
      if (c != ',') {
        i--;
        throw error("',' or '}'");
      }
    }
  }

  private void array(int depth) throws NotJsonException {
    if (depth >= maxDepth) {
      throw new NotJsonException("JSON nested deeper than " + maxDepth);
    }
    i++; // '['
    skipSpace();
    if (peek() == ']') {
      i++;
      return;
    }
    while (true) {
      value(depth);
      skipSpace();
      char c = peek();
      i++;
      if (c == ']') {
        return;
      }
      if (c != ',') {
        i--;
        throw error("',' or ']'");
      }
    }
  }

  private void value(int depth) throws NotJsonException {
    skipSpace();
    char c = peek();
    switch (c) {
      case '{' -> object(depth + 1);
      case '[' -> array(depth + 1);
      case '"' -> sink.value(path.toString(), string(), false);
      case 't' -> literal("true", true);
      case 'f' -> literal("false", true);
      case 'n' -> literal("null", false);
      default -> {
        if (c == '-' || (c >= '0' && c <= '9')) {
          int start = i;
          i++;
          while (i < n && isNumberChar(s.charAt(i))) {
            i++;
          }
          sink.value(path.toString(), s.substring(start, i), true);
        } else {
          throw error("a value");
        }
      }
    }
  }

  private static boolean isNumberChar(char c) {
    return (c >= '0' && c <= '9') || c == '.' || c == 'e' || c == 'E' || c == '+' || c == '-';
  }

  private void literal(String word, boolean emit) throws NotJsonException {
    if (!s.startsWith(word, i)) {
      throw error("a value");
    }
    i += word.length();
    if (emit) {
      sink.value(path.toString(), word, false);
    }
  }

  /** A string value; a substring of the input when it has no escapes. */
  private String string() throws NotJsonException {
    int start = ++i;
    while (true) {
      char c = s.charAt(i);
      if (c == '"') {
        return s.substring(start, i++);
      }
      if (c == '\\') {
        break;
      }
      i++;
    }
    scratch.setLength(0);
    scratch.append(s, start, i);
    decodeRest(scratch);
    return scratch.toString();
  }

  private void appendString(StringBuilder out) throws NotJsonException {
    int start = ++i;
    while (true) {
      char c = s.charAt(i);
      if (c == '"') {
        out.append(s, start, i++);
        return;
      }
      if (c == '\\') {
        break;
      }
      i++;
    }
    out.append(s, start, i);
    decodeRest(out);
  }

  /** Decodes from an escape at {@code i} to the closing quote (consumed). */
  private void decodeRest(StringBuilder out) throws NotJsonException {
    while (true) {
      int run = i;
      char c;
      while ((c = s.charAt(i)) != '"' && c != '\\') {
        i++;
      }
      out.append(s, run, i);
      i++;
      if (c == '"') {
        return;
      }
      char e = s.charAt(i++);
      switch (e) {
        case '"', '\\', '/' -> out.append(e);
        case 'b' -> out.append('\b');
        case 'f' -> out.append('\f');
        case 'n' -> out.append('\n');
        case 'r' -> out.append('\r');
        case 't' -> out.append('\t');
        case 'u' -> {
          if (i + 4 > n) {
            throw new NotJsonException("truncated \\u escape");
          }
          int v = 0;
          for (int k = 0; k < 4; k++) {
            int d = Character.digit(s.charAt(i + k), 16);
            if (d < 0) {
              throw error("4 hex digits after \\u");
            }
            v = v * 16 + d;
          }
          i += 4;
          out.append((char) v);
        }
        default -> {
          i--;
          throw error("an escape (\\\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX)");
        }
      }
    }
  }

  private char peek() throws NotJsonException {
    if (i >= n) {
      throw new NotJsonException("truncated JSON");
    }
    return s.charAt(i);
  }

  private void skipSpace() {
    while (i < n) {
      char c = s.charAt(i);
      if (c != ' ' && c != '\n' && c != '\r' && c != '\t') {
        return;
      }
      i++;
    }
  }

  private NotJsonException error(String expected) {
    return new NotJsonException("expected " + expected + " at offset " + i);
  }
}
