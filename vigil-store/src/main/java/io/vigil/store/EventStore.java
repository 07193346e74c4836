package io.vigil.store;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/** The event store: a Lucene index per UTC day under one directory, searched together. */
public final class EventStore implements AutoCloseable {
  /** Settings: retention by age and by total size; defaults 30 days, 10 GiB. */
  public record Settings(Duration maxAge, long maxBytes) {
    /** 30 days, 10 GiB. */
    public static Settings defaults() {
      return new Settings(Duration.ofDays(30), 10L << 30);
    }
  }

  /** One page of search results, newest first; {@code total} counts every match. */
  public record SearchResult(long total, List<StoredEvent> events) {}

  /** One histogram bucket [start, end). */
  public record Bucket(Instant start, Instant end, long count) {}

  /** One value of a field and how many matching events have it. */
  public record TermCount(String value, long count) {}

  /** What retention deleted. */
  public record Retention(int daysDeleted, long bytesFreed) {}

  private EventStore() {}

  /** Opens (or creates) the store in {@code dir}. */
  public static EventStore open(Path dir, Settings settings) throws IOException {
    throw new UnsupportedOperationException("not yet");
  }

  /** Adds events to the daily index of their time; re-adding an id replaces (idempotent). */
  public void add(List<StoredEvent> events) throws IOException {
    throw new UnsupportedOperationException("not yet");
  }

  /** Makes everything added so far durable and searchable. */
  public void commit() throws IOException {
    throw new UnsupportedOperationException("not yet");
  }

  /**
   * Newest first; total = all matches. query in Lucene syntax, "" or "*" = all; from/to nullable.
   */
  public SearchResult search(String query, Instant from, Instant to, int limit)
      throws QueryException, IOException {
    throw new UnsupportedOperationException("not yet");
  }

  /** Equal buckets between from and to (or the matches' first and last time when null). */
  public List<Bucket> histogram(String query, Instant from, Instant to, int buckets)
      throws QueryException, IOException {
    throw new UnsupportedOperationException("not yet");
  }

  /** The most frequent values of {@code field} among the matches. */
  public List<TermCount> top(String field, String query, Instant from, Instant to, int limit)
      throws QueryException, IOException {
    throw new UnsupportedOperationException("not yet");
  }

  /** Deletes whole days older than maxAge, then oldest days while over maxBytes. */
  public Retention applyRetention(Instant now) throws IOException {
    throw new UnsupportedOperationException("not yet");
  }

  /** Events in the store (committed or not yet). */
  public long count() throws IOException {
    throw new UnsupportedOperationException("not yet");
  }

  /** Bytes on disk of all days. */
  public long sizeBytes() throws IOException {
    throw new UnsupportedOperationException("not yet");
  }

  @Override
  public void close() throws IOException {}
}
