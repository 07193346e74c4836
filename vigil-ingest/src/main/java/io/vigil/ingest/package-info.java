/**
 * Reading logs into events: files, directories and archives become a stream of {@link
 * io.vigil.ingest.LogRecord}s, each turned into an {@link io.vigil.event.Event} by {@link
 * io.vigil.ingest.LogRecord#parse()}.
 *
 * <p>{@link io.vigil.ingest.LogReader} is the entry point. It recognises an input by its content,
 * not its name: JSON lines, a JSON array of objects (compact or pretty-printed), JSON objects one
 * after another, EVTX files (through {@code io.vigil.ingest.evtx}), and gzip or zip files holding
 * any of those; directories are walked in sorted order. Nothing is ever read whole: lines are read
 * one by one and arrays are streamed object by object, so memory stays flat on inputs far larger
 * than the heap.
 *
 * <pre>{@code
 * LogReader reader = new LogReader(new JsonEventParser(ruleSet.schema()), ReadLimits.DEFAULT);
 * reader.read(List.of(Path.of("logs")), new LogSink() {
 *   public void record(LogRecord record) { Event event = record.parse(); ... }
 *   public void problem(ReadProblem problem) { System.err.println(problem); }
 * });
 * }</pre>
 *
 * <p>Reading and parsing are separate steps so that a host reads on one thread and parses and
 * matches on many. Bad input never stops a read: a malformed record, an unreadable file or a passed
 * limit becomes a {@link io.vigil.ingest.ReadProblem} and reading goes on with the next record or
 * file. Limits on hostile input ({@link io.vigil.ingest.ReadLimits}) are named settings, and the
 * problem names the setting to raise.
 *
 * <p>A new log format (syslog, Zeek TSV, CEF) is one more content test in {@code InputFormat} and
 * one more {@code RecordReader} (as {@code EvtxRecords} does for EVTX); hosts see no change.
 */
package io.vigil.ingest;
