package io.vigil.ingest;

import java.io.IOException;
import java.io.InputStream;

/**
 * Reads the records of one input of a known format and hands them to the sink. Malformed records
 * become problems; an {@link IOException} means the rest of the input cannot be read.
 */
sealed interface RecordReader permits JsonLinesReader, JsonStreamReader, EvtxRecords, TextRecords {
  void read(InputStream in, String origin, LogSink sink) throws IOException;
}
