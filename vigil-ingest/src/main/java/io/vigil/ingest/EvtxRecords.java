package io.vigil.ingest;

import io.vigil.event.FieldSchema;
import io.vigil.ingest.evtx.EvtxLimits;
import io.vigil.ingest.evtx.EvtxProblem;
import io.vigil.ingest.evtx.EvtxReader;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;

/**
 * Windows Event Log files (EVTX), through {@link EvtxReader}: each record becomes a record whose
 * text is the JSON object {@code evtx_dump} prints for it ({@code {"Event":{"System":…,
 * "EventData":…}}}), parsed like any JSON record by the host's parser, on the host's threads. The
 * index is the record's EventRecordID.
 */
final class EvtxRecords implements RecordReader {
  /** The EVTX reader fills no slots: the host's parser reads the JSON text again. */
  private static final FieldSchema NO_FIELDS = FieldSchema.of(List.of());

  private final LogRecord.RecordParser parser;

  EvtxRecords(LogRecord.RecordParser parser) {
    this.parser = parser;
  }

  @Override
  public void read(InputStream in, String origin, LogSink sink) throws IOException {
    EvtxReader.read(
        in,
        origin,
        NO_FIELDS,
        EvtxLimits.DEFAULT,
        event -> sink.record(new LogRecord(event.raw(), origin, event.index(), parser)),
        problem -> sink.problem(problem(problem)));
  }

  private static ReadProblem problem(EvtxProblem p) {
    ReadProblem.Kind kind =
        p.kind() == EvtxProblem.Kind.RECORD_SKIPPED
            ? ReadProblem.Kind.RECORD
            : ReadProblem.Kind.INPUT;
    String where =
        (p.chunk() >= 0 ? "chunk " + p.chunk() : "file header")
            + (p.record() >= 0 ? ", record " + p.record() : "")
            + ", byte "
            + p.offset();
    return new ReadProblem(p.file(), Math.max(p.record(), 0), kind, where + ": " + p.message());
  }
}
