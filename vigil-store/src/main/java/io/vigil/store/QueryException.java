package io.vigil.store;

/** A query the analyst wrote that cannot be parsed; the message says where and what to fix. */
public final class QueryException extends Exception {
  private static final long serialVersionUID = 1L;

  /** A query error with its message and the parser's cause. */
  public QueryException(String message, Throwable cause) {
    super(message, cause);
  }

  /** A query error with its message. */
  public QueryException(String message) {
    super(message);
  }
}
