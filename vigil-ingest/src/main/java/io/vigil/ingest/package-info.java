/**
 * Reading logs into events: files, directories and archives become a stream of {@link
 * io.vigil.ingest.LogRecord}s, each turned into an {@link io.vigil.event.Event} by {@link
 * io.vigil.ingest.LogRecord#parse()}.
 *
 * <p>{@link io.vigil.ingest.LogReader} is the entry point. It recognises an input by its content,
 * not its name: JSON lines, a JSON array of objects (compact or pretty-printed), JSON objects one
 * after another, EVTX files (through {@code io.vigil.ingest.evtx}), the text logs of {@code
 * io.vigil.ingest.text} (syslog RFC 3164 and 5424, Linux auditd, CEF, Apache/Nginx access logs, W3C
 * extended/IIS, Zeek TSV: each line normalized to a JSON object with the source's field names and
 * Elastic Common Schema fields), and gzip or zip files holding any of those; directories are walked
 * in sorted order. {@link io.vigil.ingest.LogReader#withInputFormat} forces a format, and {@link
 * io.vigil.ingest.Syslog#toJson} normalizes one syslog message received over the network. Nothing
 * is ever read whole: JSON lines are read as bytes, 256 KiB at a time, and handed on as {@link
 * io.vigil.ingest.LineBlock}s of whole lines that a host parses straight from the bytes (or, by
 * default, as one {@link io.vigil.ingest.LogRecord} per line); text logs are read line by line and
 * arrays are streamed object by object, so memory stays flat on inputs far larger than the heap. An
 * event parsed from a block refers to its bytes until {@link io.vigil.event.Event#detach()}: a host
 * that keeps events detaches them before it {@link io.vigil.ingest.LineBlock#release()}s the block.
 *
 * <pre>{@code
 * LogReader reader = new LogReader(new JsonEventParser(ruleSet.schema()));
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
 * <p>A new line-oriented format is one more {@code io.vigil.ingest.text.TextDecoder}, a content
 * test in {@code TextFormats.detect} and a name in {@code InputFormat}; hosts see no change.
 */
package io.vigil.ingest;
