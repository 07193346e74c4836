package io.vigil.ingest.text;

/**
 * One line of a text log could not be read in its format; the message says what was seen and what
 * was expected. Readers report it with the line number and go on with the next line.
 */
public final class BadLineException extends Exception {
  private static final long serialVersionUID = 1L;

  public BadLineException(String message) {
    super(message, null, false, false);
  }
}
