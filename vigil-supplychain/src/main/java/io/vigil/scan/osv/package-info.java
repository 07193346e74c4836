/**
 * OSV advisories: {@link io.vigil.scan.osv.OsvImport} turns OSV records (MAL-* malicious packages,
 * GHSA/PYSEC/CVE vulnerabilities) into a compact store, {@link io.vigil.scan.osv.AdvisoryDatabase}
 * loads it and answers "which advisories apply to this package version", comparing versions the way
 * each ecosystem does (SemVer for npm, PEP 440 for PyPI, Maven's ComparableVersion rules).
 */
package io.vigil.scan.osv;
