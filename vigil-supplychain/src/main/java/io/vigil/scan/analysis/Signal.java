package io.vigil.scan.analysis;

import io.vigil.scan.Finding;
import java.util.Objects;

/**
 * A finding together with the capability it shows, the unit {@link ThreatRules} combine.
 *
 * @param offsets where in a large (bundled) file the signal was seen, as character offsets, so that
 *     threat rules can require signals to be near each other; empty means anywhere in its file
 */
record Signal(Finding finding, Capability capability, int[] offsets) {
  static final int[] ANYWHERE = new int[0];

  Signal {
    Objects.requireNonNull(finding, "finding");
    Objects.requireNonNull(capability, "capability");
    Objects.requireNonNull(offsets, "offsets");
  }

  Signal(Finding finding, Capability capability) {
    this(finding, capability, ANYWHERE);
  }
}
