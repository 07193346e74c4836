package io.vigil.scan;

/** How much a finding matters, lowest first; {@code --fail-on} compares against it. */
public enum Severity {
  INFO,
  LOW,
  MEDIUM,
  HIGH,
  CRITICAL
}
