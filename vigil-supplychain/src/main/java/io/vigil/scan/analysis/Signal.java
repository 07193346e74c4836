package io.vigil.scan.analysis;

import io.vigil.scan.Finding;
import java.util.Objects;

/** A finding together with the capability it shows, the unit {@link ThreatRules} combine. */
record Signal(Finding finding, Capability capability) {
  Signal {
    Objects.requireNonNull(finding, "finding");
    Objects.requireNonNull(capability, "capability");
  }
}
