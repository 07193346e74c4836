package io.vigil.store;

import java.time.Instant;
import java.util.Objects;

/**
 * One event to store: {@code id} is unique and stable across restarts (the spool sequence number),
 * {@code time} picks the daily index, {@code json} is the event as one JSON object.
 */
public record StoredEvent(long id, Instant time, String json) {
  /** Checks that time and json are present. */
  public StoredEvent {
    Objects.requireNonNull(time, "time");
    Objects.requireNonNull(json, "json");
  }
}
