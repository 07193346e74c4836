package io.vigil.store.db;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;
import java.util.concurrent.locks.ReentrantLock;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;

/**
 * The relational store: SQLite file by default ({@code jdbc:sqlite:DIR/vigil.db}), PostgreSQL by
 * URL ({@code jdbc:postgresql://HOST/DB}). {@link #open} runs the Flyway migrations of its vendor
 * ({@code db/migration/sqlite} or {@code db/migration/postgresql}).
 *
 * <p>One connection, guarded by a lock, serves every repository: SQLite allows one writer at a time
 * anyway (WAL journal, {@value #BUSY_TIMEOUT_MS} ms busy timeout), and a small team's alert and
 * token traffic fits one PostgreSQL connection; a broken connection is reopened. Thread-safe.
 */
public final class Database implements AutoCloseable {
  /** How long SQLite waits for another process's lock before failing. */
  public static final int BUSY_TIMEOUT_MS = 10_000;

  /** The SQL dialect of a database URL. */
  enum Vendor {
    SQLITE("sqlite"),
    POSTGRESQL("postgresql");

    final String folder;

    Vendor(String folder) {
      this.folder = folder;
    }

    static Vendor of(String url) throws SQLException {
      if (url.startsWith("jdbc:sqlite:")) {
        return SQLITE;
      }
      if (url.startsWith("jdbc:postgresql:")) {
        return POSTGRESQL;
      }
      throw new SQLException(
          "unsupported database URL '"
              + redact(url)
              + "': use jdbc:sqlite:PATH (the default) or jdbc:postgresql://HOST:PORT/DATABASE");
    }
  }

  private final String url;
  private final String user;
  private final String password;
  private final Vendor vendor;
  private final ReentrantLock lock = new ReentrantLock();
  private Connection connection;
  private boolean closed;
  private final AlertRepository alerts;
  private final TokenRepository tokens;
  private final DeadLetterRepository deadLetters;

  private Database(String url, String user, String password, Vendor vendor) {
    this.url = url;
    this.user = user;
    this.password = password;
    this.vendor = vendor;
    this.alerts = new SqlAlertRepository(this);
    this.tokens = new SqlTokenRepository(this);
    this.deadLetters = new SqlDeadLetterRepository(this);
  }

  /**
   * Opens the database at {@code jdbcUrl} and migrates it to the newest schema; user and password
   * are nullable.
   *
   * @throws SQLException when the URL is not SQLite or PostgreSQL, the database cannot be reached,
   *     or a migration fails (the message names the URL without its password)
   */
  public static Database open(String jdbcUrl, String user, String password) throws SQLException {
    Vendor vendor = Vendor.of(jdbcUrl);
    if (vendor == Vendor.SQLITE && jdbcUrl.contains(":memory:")) {
      throw new SQLException(
          "an in-memory SQLite database loses everything when its connection closes: give a file,"
              + " e.g. jdbc:sqlite:/var/lib/vigil/vigil.db");
    }
    try {
      Flyway.configure()
          .dataSource(jdbcUrl, user, password)
          .locations("classpath:db/migration/" + vendor.folder)
          .failOnMissingLocations(true)
          .load()
          .migrate();
    } catch (FlywayException e) {
      throw new SQLException(
          "cannot migrate the database " + redact(jdbcUrl) + ": " + e.getMessage(), e);
    }
    Database db = new Database(jdbcUrl, user, password, vendor);
    db.lock.lock();
    try {
      db.connection = db.connect();
    } finally {
      db.lock.unlock();
    }
    return db;
  }

  private Connection connect() throws SQLException {
    Properties props = new Properties();
    if (user != null) {
      props.setProperty("user", user);
    }
    if (password != null) {
      props.setProperty("password", password);
    }
    Connection c = DriverManager.getConnection(url, props);
    if (vendor == Vendor.SQLITE) {
      try (Statement s = c.createStatement()) {
        s.execute("PRAGMA busy_timeout = " + BUSY_TIMEOUT_MS);
        s.execute("PRAGMA journal_mode = WAL");
        s.execute("PRAGMA synchronous = NORMAL");
      }
    }
    return c;
  }

  /** Work done on the database's connection. */
  @FunctionalInterface
  interface Work<T> {
    T run(Connection c) throws SQLException;
  }

  /**
   * Runs {@code work} on the connection under the lock, reopening a broken connection first.
   *
   * @throws DatabaseException wrapping the SQL error with what was being done
   */
  <T> T with(String what, Work<T> work) {
    lock.lock();
    try {
      if (closed) {
        throw new IllegalStateException("the database " + redact(url) + " is closed");
      }
      if (connection == null || !connection.isValid(5)) {
        closeConnection();
        connection = connect();
      }
      return work.run(connection);
    } catch (SQLException e) {
      throw new DatabaseException(what + " failed on " + redact(url) + ": " + e.getMessage(), e);
    } finally {
      lock.unlock();
    }
  }

  /** Runs {@code work} in one transaction. */
  <T> T inTransaction(String what, Work<T> work) {
    return with(
        what,
        c -> {
          c.setAutoCommit(false);
          try {
            T result = work.run(c);
            c.commit();
            return result;
          } catch (SQLException | RuntimeException e) {
            c.rollback();
            throw e;
          } finally {
            c.setAutoCommit(true);
          }
        });
  }

  Vendor vendor() {
    return vendor;
  }

  /** The alerts. */
  public AlertRepository alerts() {
    return alerts;
  }

  /** The API tokens. */
  public TokenRepository tokens() {
    return tokens;
  }

  /** The dead letters. */
  public DeadLetterRepository deadLetters() {
    return deadLetters;
  }

  private void closeConnection() {
    if (connection != null) {
      try {
        connection.close();
      } catch (SQLException ignored) {
        // a broken connection is being replaced
      }
      connection = null;
    }
  }

  @Override
  public void close() {
    lock.lock();
    try {
      closed = true;
      closeConnection();
    } finally {
      lock.unlock();
    }
  }

  /** The URL without a password parameter. */
  static String redact(String url) {
    return url.replaceAll("(?i)(password=)[^&;]*", "$1***");
  }

  /**
   * Text as the database can store it: PostgreSQL refuses NUL characters in text, so they become
   * U+FFFD in both vendors.
   */
  static String text(String s) {
    return s == null ? null : s.indexOf('\0') < 0 ? s : s.replace('\0', '\uFFFD');
  }
}
