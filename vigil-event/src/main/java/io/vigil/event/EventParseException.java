package io.vigil.event;

/**
 * An event's text could not be read: malformed JSON, or a limit of {@link JsonLimits} was passed.
 * The message says what was seen, where, and what to do; readers count it and go on with the next
 * event.
 */
public final class EventParseException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public EventParseException(String message) {
    super(message);
  }

  public EventParseException(String message, Throwable cause) {
    super(message, cause);
  }
}
