package io.vigil.store.db;

import java.time.Instant;
import java.util.List;

/**
 * An alert: {@code id} is deterministic (ruleId + ":" + eventId) so a replay inserts nothing twice.
 */
public record Alert(
    String id,
    Instant time,
    String ruleId,
    String ruleTitle,
    String level,
    String host,
    long eventId,
    String eventJson,
    List<String> tags) {
  /** Copies tags. */
  public Alert {
    tags = tags == null ? List.of() : List.copyOf(tags);
  }
}
