package io.vigil.ingest.evtx;

/**
 * Bounds on the work one EVTX record may cause, so that a hostile or corrupt file cannot make the
 * reader recurse without end, allocate without end or loop. A record that passes a limit is skipped
 * and reported as an {@link EvtxProblem} that names the setting to raise.
 *
 * @param maxRecordBytes largest record accepted, header included ({@code evtx.max-record-bytes})
 * @param maxTemplateDepth deepest nesting of template instances and embedded BinXML values ({@code
 *     evtx.max-template-depth})
 * @param maxElementDepth deepest nesting of XML elements inside one fragment ({@code
 *     evtx.max-element-depth})
 * @param maxSubstitutions most substitution values one template instance may carry ({@code
 *     evtx.max-substitutions})
 * @param maxNodes most XML nodes one record may expand to, after templates and array values are
 *     expanded ({@code evtx.max-nodes})
 * @param maxEventChars longest JSON text one record may render to; a template may use one large
 *     value many times, so a 64 KiB record can otherwise expand to megabytes ({@code
 *     evtx.max-event-chars})
 */
public record EvtxLimits(
    int maxRecordBytes,
    int maxTemplateDepth,
    int maxElementDepth,
    int maxSubstitutions,
    int maxNodes,
    int maxEventChars) {

  /** Limits that every real log seen so far stays far below. */
  public static final EvtxLimits DEFAULT = new EvtxLimits(65_536, 16, 64, 4_096, 100_000, 1 << 20);

  public EvtxLimits {
    if (maxRecordBytes < 32
        || maxTemplateDepth < 1
        || maxElementDepth < 1
        || maxSubstitutions < 0
        || maxNodes < 1
        || maxEventChars < 64) {
      throw new IllegalArgumentException(
          "EVTX limits must be positive (record bytes at least 32, event chars at least 64), got "
              + this);
    }
  }
}
