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
 */
public record EvtxLimits(
    int maxRecordBytes,
    int maxTemplateDepth,
    int maxElementDepth,
    int maxSubstitutions,
    int maxNodes) {

  /** Limits that every real log seen so far stays far below. */
  public static final EvtxLimits DEFAULT = new EvtxLimits(65_536, 16, 64, 4_096, 100_000);

  public EvtxLimits {
    if (maxRecordBytes < 32
        || maxTemplateDepth < 1
        || maxElementDepth < 1
        || maxSubstitutions < 0
        || maxNodes < 1) {
      throw new IllegalArgumentException(
          "EVTX limits must be positive (record bytes at least 32), got " + this);
    }
  }
}
