package io.vigil.ingest.evtx;

/**
 * Internal signal that bytes are not what the format says they must be. It never leaves the
 * package: the reader turns it into an {@link EvtxProblem} for the record or chunk being read.
 */
final class BadEvtxException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  BadEvtxException(String message) {
    super(message, null, false, false);
  }
}
