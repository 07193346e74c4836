package io.vigil.ingest.text;

/**
 * Turns the lines of one text input, in order, into normalized JSON events ({@link EcsJson}). One
 * decoder per input: decoders keep state such as a header ({@code #Fields}) or open record groups
 * (auditd). Never throws for bad input other than {@link BadLineException}.
 */
public interface TextDecoder {
  /** Where a decoder's events and problems go. */
  interface Output {
    /** One event: its JSON object text and the number of the line it came from. */
    void event(String json, long line);

    /** One line that could not be read; reading goes on. */
    void problem(long line, String message);
  }

  /**
   * One line, without its end. Events may be given now or later (grouped formats), always with
   * their own line number.
   *
   * @throws BadLineException when the line is malformed; the line is reported and skipped
   */
  void line(String line, long number, Output out) throws BadLineException;

  /** The end of the input: events still held are given. */
  default void end(Output out) {}
}
