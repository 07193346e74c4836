/**
 * A native reader of Windows Event Log files (EVTX), turning each record into an {@link
 * io.vigil.event.Event} shaped like the JSON that {@code evtx_dump} prints, so that Sigma rules and
 * hunts written against exported JSON run unchanged on the binary logs.
 *
 * <h2>Use</h2>
 *
 * <pre>{@code
 * EvtxSummary summary =
 *     EvtxReader.read(path, schema, event -> engine.match(event), problem -> report.add(problem));
 * }</pre>
 *
 * <p>{@link io.vigil.ingest.evtx.EvtxReader} is the one entry point ({@code read} for events,
 * {@code readJson} for the JSON text alone); {@link io.vigil.ingest.evtx.EvtxProblem} says what
 * could not be read and {@link io.vigil.ingest.evtx.EvtxLimits} bounds the work a hostile file can
 * cause. Everything else is package-private.
 *
 * <h2>The format, as read here</h2>
 *
 * <p>A file is a 4 KiB header ({@code ElfFile\0}) followed by chunks of 64 KiB ({@code ElfChnk\0}),
 * each with a 512-byte header and then records ({@code **\0\0}, size, record id, time, Binary XML,
 * size again). The reader holds one chunk in memory at a time and reads every chunk in the file,
 * not only as many as the header counts: logs keep valid chunks past that count. Binary XML is a
 * token stream (elements, attributes, text, CDATA, character and entity references, processing
 * instructions); names are stored once per chunk and referred to by offset; a record is usually one
 * template instance: a reference to a template definition (written inline the first time, referred
 * back to by later records of the chunk) plus the values that fill its substitutions. Values are
 * typed: strings, ANSI strings, integers of every width, reals, booleans, binary, GUIDs, size_t,
 * FILETIME, SYSTEMTIME, SIDs, hex integers, arrays of these (an array repeats its element once per
 * item), and embedded Binary XML. Optional substitutions with empty values disappear, and so does
 * an attribute left without a value.
 *
 * <h2>Damaged files</h2>
 *
 * <p>Checksums are verified but a mismatch only produces a problem. A chunk without its signature
 * is skipped; all-zero chunks (pre-allocated space) are skipped silently. A record with a bad
 * header is skipped and reading resumes at the next record signature in the chunk; a record whose
 * BinXML cannot be read is skipped; a record whose trailing size copy is wrong is delivered and
 * flagged. Every offset is checked before use and every loop and recursion is bounded by the chunk
 * or by a named limit, so no input can make the reader throw, loop or exhaust memory.
 */
package io.vigil.ingest.evtx;
