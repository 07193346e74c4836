package io.vigil.store.db;

import java.sql.SQLException;

/**
 * The relational store: SQLite file by default (jdbc:sqlite:DIR/vigil.db), PostgreSQL by URL.
 * {@link #open} runs the versioned migrations of its vendor. Thread-safe.
 */
public final class Database implements AutoCloseable {
  private Database() {}

  /** Opens the database at {@code jdbcUrl} and migrates it; user and password are nullable. */
  public static Database open(String jdbcUrl, String user, String password) throws SQLException {
    throw new UnsupportedOperationException("not yet");
  }

  /** The alerts. */
  public AlertRepository alerts() {
    throw new UnsupportedOperationException("not yet");
  }

  /** The API tokens. */
  public TokenRepository tokens() {
    throw new UnsupportedOperationException("not yet");
  }

  /** The dead letters. */
  public DeadLetterRepository deadLetters() {
    throw new UnsupportedOperationException("not yet");
  }

  @Override
  public void close() {}
}
