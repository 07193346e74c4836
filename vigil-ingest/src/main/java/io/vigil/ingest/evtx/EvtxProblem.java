package io.vigil.ingest.evtx;

/**
 * Something in an EVTX file that could not be read as it should, and what the reader did about it.
 * The reader reports problems and goes on: a bad record is skipped, a bad chunk is skipped, a
 * checksum mismatch is only noted.
 *
 * @param file the file (or stream origin) being read
 * @param kind what went wrong
 * @param chunk the chunk number, counting from 0, or -1 for the file header
 * @param record the event record identifier, or -1 when unknown
 * @param offset the byte offset in the file where the problem was seen
 * @param message what was seen, what was expected, and what was done
 */
public record EvtxProblem(
    String file, Kind kind, int chunk, long record, long offset, String message) {

  /** The kinds of problems, from the whole file down to one value. */
  public enum Kind {
    /** The file header is missing or damaged; chunks are still read from where they should be. */
    FILE_HEADER,
    /** A chunk header is damaged (bad magic); the chunk was skipped. */
    CHUNK_SKIPPED,
    /** A chunk header holds impossible offsets; its records were read as far as they go. */
    CHUNK_DAMAGED,
    /** A stored CRC32 does not match the bytes; the data was read anyway. */
    CHECKSUM_MISMATCH,
    /**
     * A record was read and delivered, but something about it is off (its trailing size copy
     * differs from its header); its values may be incomplete.
     */
    RECORD_DAMAGED,
    /** A record could not be read (bad header, bad BinXML, a limit passed); it was skipped. */
    RECORD_SKIPPED,
    /** The file ends inside a chunk; the records before the cut were read. */
    TRUNCATED
  }

  @Override
  public String toString() {
    return file
        + (chunk >= 0 ? " chunk " + chunk : " header")
        + (record >= 0 ? " record " + record : "")
        + " @"
        + offset
        + " "
        + kind
        + ": "
        + message;
  }
}
