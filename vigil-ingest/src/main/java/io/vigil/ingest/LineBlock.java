package io.vigil.ingest;

import io.vigil.event.Event;
import io.vigil.event.EventParseException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Queue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Consecutive JSON lines of one input, read as UTF-8 bytes and not yet parsed: what the JSON lines
 * reader hands to {@link LogSink#lines} instead of one {@link LogRecord} per line, so that a host
 * moves hundreds of records between threads as one object and parses them straight from the bytes
 * ({@link #parse(int)}), without first decoding them into strings.
 *
 * <p>Line ends, a trailing {@code \r}, the byte order mark of line 1, blank lines and overlong
 * lines are already dealt with: each entry is one record's text. The block owns its bytes; events
 * parsed from it keep references to them for their raw text and unread string values, so a host
 * that keeps an event beyond {@link #release()} calls {@link Event#detach()} on it first.
 */
public final class LineBlock {
  private final byte[] bytes;
  private final String origin;
  private final LogRecord.RecordParser parser;
  private final Lease lease;
  private final AtomicBoolean released = new AtomicBoolean();
  private int[] starts = new int[64];
  private int[] ends = new int[64];
  private long[] numbers = new long[64];
  private int size;

  LineBlock(Lease lease, String origin, LogRecord.RecordParser parser) {
    this.bytes = lease.bytes;
    this.lease = lease;
    this.origin = origin;
    this.parser = parser;
    lease.acquire();
  }

  /**
   * Says that the caller is done with this block <em>and with every event parsed from it</em> (but
   * those it {@link Event#detach() detached}), so that the reader may fill its bytes again (an
   * event keeps its raw text and unread string values as references to those bytes). Optional: a
   * block never released is simply garbage collected. Calls after the first do nothing.
   */
  public void release() {
    if (released.compareAndSet(false, true)) {
      lease.release();
    }
  }

  /**
   * One read buffer shared by the blocks made from it, and by the reader while it fills it; back in
   * the reader's pool when the last of them lets go.
   */
  static final class Lease {
    final byte[] bytes;
    private final Queue<byte[]> pool;
    private final AtomicInteger holders = new AtomicInteger();

    Lease(byte[] bytes, Queue<byte[]> pool) {
      this.bytes = bytes;
      this.pool = pool;
    }

    void acquire() {
      holders.incrementAndGet();
    }

    void release() {
      if (holders.decrementAndGet() == 0 && pool != null) {
        pool.offer(bytes);
      }
    }
  }

  void add(int start, int end, long number) {
    if (size == starts.length) {
      starts = Arrays.copyOf(starts, size * 2);
      ends = Arrays.copyOf(ends, size * 2);
      numbers = Arrays.copyOf(numbers, size * 2);
    }
    starts[size] = start;
    ends[size] = end;
    numbers[size] = number;
    size++;
  }

  /** The number of records. */
  public int size() {
    return size;
  }

  /** The file, or {@code archive!entry}, the lines come from. */
  public String origin() {
    return origin;
  }

  /** The line number of record {@code i} (counting from 1 in the input). */
  public long index(int i) {
    check(i);
    return numbers[i];
  }

  /** The length of record {@code i} in bytes. */
  public int length(int i) {
    check(i);
    return ends[i] - starts[i];
  }

  /**
   * Parses record {@code i} from its bytes.
   *
   * @throws EventParseException when the line is malformed or passes a limit; the message names the
   *     origin and line number
   */
  public Event parse(int i) {
    check(i);
    return parser.parse(bytes, starts[i], ends[i] - starts[i], origin, numbers[i]);
  }

  /** Record {@code i} as text, for hosts that take records one by one. */
  public LogRecord record(int i) {
    check(i);
    String text = new String(bytes, starts[i], ends[i] - starts[i], StandardCharsets.UTF_8);
    return new LogRecord(text, origin, numbers[i], parser);
  }

  private void check(int i) {
    if (i < 0 || i >= size) {
      throw new IndexOutOfBoundsException("record " + i + " of a block of " + size);
    }
  }
}
