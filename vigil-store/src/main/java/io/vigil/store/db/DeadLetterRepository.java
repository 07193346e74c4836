package io.vigil.store.db;

import java.util.List;

/** Dead letters: input kept for an analyst to look at. */
public interface DeadLetterRepository {
  /** Stores one dead letter. */
  void add(DeadLetter letter);

  /** The newest dead letters first. */
  List<DeadLetter> recent(int limit);

  /** All dead letters. */
  long count();
}
