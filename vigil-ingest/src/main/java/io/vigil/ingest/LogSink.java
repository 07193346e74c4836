package io.vigil.ingest;

/**
 * Receives what a {@link LogReader} reads, in input order, on the reading thread. An exception
 * thrown here stops the read and reaches the caller of {@link LogReader#read}.
 */
public interface LogSink {
  /** One record, in the order of the inputs. */
  void record(LogRecord record);

  /**
   * Several records at once, as bytes, in the order of the inputs (JSON lines are read this way).
   * By default each becomes a {@link #record} call; a host that parses on other threads overrides
   * this to hand the block on whole, parse it with {@link LineBlock#parse(int)} and, when done with
   * the events ({@link io.vigil.event.Event#detach() detaching} those it keeps), {@link
   * LineBlock#release()} it.
   */
  default void lines(LineBlock block) {
    for (int i = 0; i < block.size(); i++) {
      record(block.record(i));
    }
    block.release(); // the records hold copies
  }

  /** One problem; reading goes on after it. */
  void problem(ReadProblem problem);

  /**
   * That {@code bytes} more bytes of input files were read from disk (compressed bytes for
   * archives), for progress displays. Called often, in small amounts; does nothing by default.
   */
  default void bytesRead(long bytes) {}

  /**
   * That the input {@code origin} (a file, or {@code archive!entry}) was recognised as {@code
   * format} (a name accepted by {@code --input-format}, such as {@code json}, {@code evtx} or
   * {@code syslog}); called once per input, before its records. Does nothing by default.
   */
  default void format(String origin, String format) {}
}
