/**
 * Supply-chain scanning: {@link io.vigil.scan.Scanner} takes package archives, unpacked packages or
 * folders of archives and returns a {@link io.vigil.scan.PackageReport} per package (verdict,
 * scores, findings, and the reasons for the verdict). Package code is read in memory within named
 * limits and never run. Name- and version-based sources (advisories, typosquatting) plug in as
 * {@link io.vigil.scan.PackageIntel}.
 */
package io.vigil.scan;
