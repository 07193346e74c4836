package io.vigil.ingest;

import java.io.IOException;
import java.io.InputStream;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * One JSON object per line; blank lines are skipped, and every line keeps its number. Lines are
 * split on the bytes as read, never decoded here: they reach the sink as {@link LineBlock}s of up
 * to {@value #BLOCK_BYTES} bytes, which a host parses from the bytes (or asks for as text).
 *
 * <p>Line ends are {@code \n} or {@code \r\n}; a byte order mark before line 1 is dropped. A line
 * of more than {@link ReadLimits#maxLineChars()} characters is reported and skipped, and never held
 * whole: beyond three bytes per allowed character it is counted and dropped as it is read.
 */
final class JsonLinesReader implements RecordReader {
  /** Bytes read at a time; each read becomes one block of the whole lines in it. */
  static final int BLOCK_BYTES = 256 * 1024;

  private static final int MAX_ARRAY = Integer.MAX_VALUE - 16;
  private static final VarHandle LONGS =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

  private final LogRecord.RecordParser parser;
  private final ReadLimits limits;

  JsonLinesReader(LogRecord.RecordParser parser, ReadLimits limits) {
    this.parser = parser;
    this.limits = limits;
  }

  @Override
  public void read(InputStream in, String origin, LogSink sink) throws IOException {
    new Lines(in, origin, sink).read();
  }

  /** The state of one read. */
  private final class Lines {
    private final InputStream in;
    private final String origin;
    private final LogSink sink;
    private final int maxChars = limits.maxLineChars();
    // A line of more bytes has more than maxChars characters (a character takes at most 3 bytes,
    // a pair of surrogates 4), counting a trailing \r and a byte order mark.
    private final long hold = Math.min(3L * maxChars + 6, MAX_ARRAY - 1);
    // Buffers of BLOCK_BYTES whose blocks were all released, to be filled again.
    private final Queue<byte[]> pool = new ConcurrentLinkedQueue<>();
    private byte[] buf = new byte[BLOCK_BYTES];
    private LineBlock.Lease lease = new LineBlock.Lease(buf, pool);
    private int filled;
    private int lineStart;
    private int scanned;
    private long number;
    private LineBlock block;
    // an overlong line being dropped as it is read: its characters so far
    private boolean dropping;
    private long droppedChars;

    Lines(InputStream in, String origin, LogSink sink) {
      this.in = in;
      this.origin = origin;
      this.sink = sink;
      // the block being gathered holds the buffer for the reader while it fills it
      this.block = new LineBlock(lease, origin, parser);
    }

    void read() throws IOException {
      while (true) {
        boolean end;
        try {
          end = fill();
        } catch (IOException e) {
          // the whole lines read before the error still count
          scan();
          flush();
          throw e;
        }
        scan();
        if (end) {
          if (dropping) {
            number++;
            droppedChars += chars(buf, lineStart, filled);
            overlong(droppedChars);
          } else if (lineStart < filled) {
            number++;
            line(lineStart, filled);
          }
          flush();
          block.release();
          return;
        }
        flush();
        if (filled == buf.length) {
          moveUnfinishedLine();
        }
      }
    }

    /** Reads until the buffer is full, the input ends (true) or no more bytes are ready now. */
    private boolean fill() throws IOException {
      boolean any = false;
      while (filled < buf.length) {
        if (any && in.available() <= 0) {
          return false;
        }
        int n = in.read(buf, filled, buf.length - filled);
        if (n < 0) {
          return true;
        }
        filled += n;
        any |= n > 0;
      }
      return false;
    }

    /** Hands on every line completed by the bytes read since the last scan. */
    private void scan() {
      byte[] b = buf;
      int limit = filled;
      for (int i = newline(b, scanned, limit); i < limit; i = newline(b, i + 1, limit)) {
        number++;
        if (dropping) {
          droppedChars += chars(b, lineStart, i);
          dropping = false;
          overlong(droppedChars);
        } else {
          line(lineStart, i);
        }
        lineStart = i + 1;
      }
      scanned = limit;
    }

    /** The buffer is full: its unfinished line moves to the front of a new one, or is dropped. */
    private void moveUnfinishedLine() {
      int partial = filled - lineStart;
      if (dropping) {
        droppedChars += chars(buf, lineStart, filled);
        partial = 0;
      } else if (partial > hold) {
        dropping = true;
        droppedChars = chars(buf, lineStart, filled);
        partial = 0;
      }
      int size = BLOCK_BYTES;
      if (partial > BLOCK_BYTES / 2) {
        size = (int) Math.min(hold + 1, Math.max(2L * partial, BLOCK_BYTES));
      }
      byte[] next = size == BLOCK_BYTES ? pool.poll() : null;
      if (next == null) {
        next = new byte[size];
      }
      System.arraycopy(buf, lineStart, next, 0, partial);
      buf = next;
      filled = partial;
      scanned = partial;
      lineStart = 0;
      block.release(); // empty: flushed before the move
      // only buffers of the usual size go back to the pool
      lease = new LineBlock.Lease(buf, size == BLOCK_BYTES ? pool : null);
      block = new LineBlock(lease, origin, parser);
    }

    /** One line, without its \n. */
    private void line(int start, int end) {
      boolean cr = end > start && buf[end - 1] == '\r';
      int contentEnd = cr ? end - 1 : end;
      if (contentEnd - start > maxChars) {
        long all = chars(buf, start, end);
        long content = cr ? all - 1 : all;
        if (content > maxChars) {
          // as the text reader counts: the \r too when the line passed the limit with it
          overlong(all > maxChars + 1L ? all : content);
          return;
        }
      }
      if (number == 1
          && contentEnd - start >= 3
          && (buf[start] & 0xff) == 0xEF
          && (buf[start + 1] & 0xff) == 0xBB
          && (buf[start + 2] & 0xff) == 0xBF) {
        start += 3;
      }
      if (blank(buf, start, contentEnd)) {
        return;
      }
      block.add(start, contentEnd, number);
    }

    private void overlong(long length) {
      flush(); // problems and records stay in input order
      sink.problem(
          new ReadProblem(
              origin,
              number,
              ReadProblem.Kind.RECORD,
              String.format(
                  Locale.ROOT,
                  "line is %,d characters, over the limit of %,d (%s); the line was skipped."
                      + " Raise %s if such lines are expected",
                  length,
                  maxChars,
                  ReadLimits.MAX_LINE_CHARS,
                  ReadLimits.MAX_LINE_CHARS)));
    }

    private void flush() {
      if (block.size() > 0) {
        LineBlock full = block;
        block = new LineBlock(lease, origin, parser);
        sink.lines(full);
      }
    }
  }

  /** The first \n in {@code b[from, to)}, or {@code to}; eight bytes a step. */
  static int newline(byte[] b, int from, int to) {
    int i = from;
    while (i + 8 <= to) {
      long x = (long) LONGS.get(b, i) ^ 0x0A0A0A0A0A0A0A0AL;
      long t = (x - 0x0101010101010101L) & ~x & 0x8080808080808080L;
      if (t != 0) {
        return i + (Long.numberOfTrailingZeros(t) >>> 3);
      }
      i += 8;
    }
    while (i < to && b[i] != '\n') {
      i++;
    }
    return i;
  }

  /** Whether the bytes hold only white space, as {@link String#isBlank()} tells. */
  static boolean blank(byte[] b, int start, int end) {
    for (int i = start; i < end; i++) {
      int c = b[i];
      if (c == ' ' || (c >= '\t' && c <= '\r') || (c >= 0x1C && c <= 0x1F)) {
        continue;
      }
      if (c < 0) { // non-ASCII: Unicode white space is decided on the text
        return new String(b, start, end - start, StandardCharsets.UTF_8).isBlank();
      }
      return false;
    }
    return true;
  }

  /**
   * The number of UTF-16 characters that UTF-8 bytes decode to: one per byte that starts a
   * character, two for a four-byte character (exact for valid UTF-8).
   */
  static long chars(byte[] b, int start, int end) {
    long n = 0;
    for (int i = start; i < end; i++) {
      int c = b[i] & 0xff;
      if ((c & 0xC0) != 0x80) {
        n += c >= 0xF0 ? 2 : 1;
      }
    }
    return n;
  }
}
