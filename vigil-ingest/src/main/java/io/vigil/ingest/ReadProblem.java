package io.vigil.ingest;

import io.vigil.event.EventParseException;

/**
 * Something in the input that could not be read as events. Reading goes on after every problem.
 *
 * @param origin the file, or {@code archive!entry}, where it was seen
 * @param index the line or record number (counting from 1), or 0 when the problem concerns the
 *     whole input
 * @param kind what was lost
 * @param message what was seen, what was expected and what to do
 */
public record ReadProblem(String origin, long index, Kind kind, String message) {
  /** What a problem cost. */
  public enum Kind {
    /** One record was malformed or over a limit and was skipped; the rest of the input was read. */
    RECORD,
    /** An input (a file, an archive entry) or the rest of it could not be read. */
    INPUT,
    /** An input was not recognised as a log format and was skipped on purpose. */
    SKIPPED
  }

  /** A record the parser refused: skipped, with the parser's reason. */
  public static ReadProblem malformed(String origin, long index, EventParseException e) {
    return new ReadProblem(origin, index, Kind.RECORD, e.getMessage());
  }

  @Override
  public String toString() {
    return (index > 0 ? origin + "#" + index : origin) + ": " + message;
  }
}
