/**
 * Static analysis of one package, explained.
 *
 * <p>{@link io.vigil.scan.analysis.PackageAnalyzer} reads the manifest (package.json, setup.py,
 * pyproject.toml, PKG-INFO, jar manifest) to find the code that runs at install, then turns every
 * file into <em>signals</em>: a finding plus the capability it shows (network, process, decoded
 * execution, secret read, drop-box endpoint, obfuscation, …). Text files go through the rules in
 * {@code text-rules.yaml} (literal anchors found in one Aho-Corasick pass, then an RE2 pattern in a
 * window around each anchor) and through structural checks (obfuscator names, code hidden past
 * whitespace, encoded strings, which are decoded and scanned again); class files through their
 * constant pool; binaries by magic bytes.
 *
 * <p>A capability alone is never malware. {@code ThreatRules} is the one place that says which
 * combinations are: each rule is "one of these capabilities and one of those", evaluated per file,
 * over install-time code, or over the whole package, and its finding names the signals that made it
 * hold. {@link io.vigil.scan.analysis.Verdicts} then gives the verdict (malicious when a threat
 * rule held, suspicious on any other high finding) and the five scores.
 */
package io.vigil.scan.analysis;
