package io.vigil.store.db;

/** A database operation failed; the message says which and on which database. */
public final class DatabaseException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  DatabaseException(String message, Throwable cause) {
    super(message, cause);
  }
}
