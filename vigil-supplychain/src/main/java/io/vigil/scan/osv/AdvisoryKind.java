package io.vigil.scan.osv;

/** What an OSV record says about a package. */
public enum AdvisoryKind {
  /** A known-malicious package or release (OSV {@code MAL-} records). */
  MALICIOUS,
  /** A known vulnerability (GHSA, PYSEC, CVE and other records). */
  VULNERABILITY
}
