package io.vigil.ingest;

import java.io.IOException;

/** A limit on a whole input was passed: the rest of that input is not read. */
final class LimitException extends IOException {
  private static final long serialVersionUID = 1L;

  LimitException(String message) {
    super(message);
  }
}
