package io.vigil.ingest;

import java.io.IOException;
import java.io.Reader;

/**
 * Reads lines of at most a given length without ever holding a longer one: the rest of an overlong
 * line is read and dropped, and {@link #overlong()} says so. Line ends are {@code \n} or {@code
 * \r\n}.
 */
final class LineReader {
  private final Reader in;
  private final int maxChars;
  private final char[] buf = new char[64 * 1024];
  private final StringBuilder line = new StringBuilder(256);
  private int pos;
  private int end;
  private boolean overlong;
  private long length;

  LineReader(Reader in, int maxChars) {
    this.in = in;
    this.maxChars = maxChars;
  }

  /**
   * The next line without its end, or null at the end of input. When the line was longer than the
   * limit the answer is the empty string and {@link #overlong()} is true.
   */
  String next() throws IOException {
    line.setLength(0);
    overlong = false;
    length = 0;
    boolean any = false;
    while (true) {
      if (pos >= end) {
        int n = in.read(buf, 0, buf.length);
        if (n <= 0) {
          pos = end = 0;
          if (!any) {
            return null;
          }
          break;
        }
        pos = 0;
        end = n;
      }
      any = true;
      int start = pos;
      while (pos < end && buf[pos] != '\n') {
        pos++;
      }
      int n = pos - start;
      length += n;
      if (!overlong) {
        if (line.length() + n > maxChars + 1) { // +1: a trailing \r is not part of the line
          overlong = true;
          line.setLength(0);
        } else {
          line.append(buf, start, n);
        }
      }
      if (pos < end) {
        pos++; // the \n
        break;
      }
    }
    int len = line.length();
    if (len > 0 && line.charAt(len - 1) == '\r') {
      line.setLength(len - 1);
      length--;
    }
    if (!overlong && line.length() > maxChars) {
      overlong = true;
      line.setLength(0);
    }
    return overlong ? "" : line.toString();
  }

  /** Whether the last line was longer than the limit (and so was dropped). */
  boolean overlong() {
    return overlong;
  }

  /** The length in characters of the last line, also when it was dropped. */
  long length() {
    return length;
  }
}
