/**
 * Output formats of {@code vigil scan}: {@link io.vigil.scan.report.TableReport} for a terminal,
 * {@link io.vigil.scan.report.JsonReport} for tools, {@link io.vigil.scan.report.SarifReport}
 * (SARIF 2.1.0) for code-scanning dashboards.
 */
package io.vigil.scan.report;
