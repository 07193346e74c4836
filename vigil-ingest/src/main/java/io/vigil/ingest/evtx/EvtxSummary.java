package io.vigil.ingest.evtx;

/**
 * What one read of an EVTX file produced.
 *
 * @param events events delivered
 * @param recordsSkipped records seen but not readable (each reported as a problem)
 * @param chunks chunks read (their records were parsed)
 * @param chunksSkipped chunks skipped as damaged (each reported as a problem)
 * @param emptyChunks all-zero chunks (pre-allocated space, not a problem)
 * @param problems problems reported in total
 * @param bytes bytes read from the file
 */
public record EvtxSummary(
    long events,
    long recordsSkipped,
    int chunks,
    int chunksSkipped,
    int emptyChunks,
    long problems,
    long bytes) {}
