package io.vigil.ingest;

import io.vigil.event.Event;
import io.vigil.event.EventParseException;
import io.vigil.event.JsonEventParser;
import java.nio.charset.StandardCharsets;

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

    /**
     * Parses one record given as UTF-8 bytes. The default decodes them and calls {@link
     * #parse(String, String, long)}; parsers that read bytes directly (see {@link
     * #of(JsonEventParser)}) do without the text.
     *
     * @throws EventParseException when the bytes are malformed or pass a limit
     */
    default Event parse(byte[] utf8, int offset, int length, String origin, long index) {
      return parse(new String(utf8, offset, length, StandardCharsets.UTF_8), origin, index);
    }

    /**
     * The record parser of a {@link JsonEventParser}: text records through its text path, byte
     * records (JSON lines) through its byte path, with the same events and errors.
     */
    static RecordParser of(JsonEventParser parser) {
      java.util.Objects.requireNonNull(parser, "parser");
      return new RecordParser() {
        @Override
        public Event parse(String text, String origin, long index) {
          return parser.parse(text, origin, index);
        }

        @Override
        public Event parse(byte[] utf8, int offset, int length, String origin, long index) {
          return parser.parse(utf8, offset, length, origin, index);
        }
      };
    }
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
