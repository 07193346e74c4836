package io.vigil.ingest;

import io.vigil.event.Event;
import io.vigil.event.EventParseException;

/**
 * One record read from an input and not yet parsed: its text, where it came from, and the parser of
 * its format. Reading and parsing are separate so that a host reads on one thread and parses on
 * many.
 *
 * @param text the record's text (one JSON object)
 * @param origin the file, or {@code archive!entry}
 * @param index the line number (JSON lines) or record number (arrays, concatenated objects),
 *     counting from 1
 * @param parser turns the text into an event
 */
public record LogRecord(String text, String origin, long index, RecordParser parser) {
  /** Turns one record's text into an event; {@code JsonEventParser::parse} is one. */
  @FunctionalInterface
  public interface RecordParser {
    /**
     * Parses one record.
     *
     * @throws EventParseException when the text is malformed or passes a limit
     */
    Event parse(String text, String origin, long index);
  }

  /**
   * Parses the record into an event.
   *
   * @throws EventParseException when the text is malformed or passes a limit; the message names the
   *     origin and index
   */
  public Event parse() {
    return parser.parse(text, origin, index);
  }
}
