package io.vigil.scan.report;

import io.vigil.scan.Finding;
import io.vigil.scan.PackageReport;
import io.vigil.scan.ScoreCategory;
import io.vigil.scan.Severity;
import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;

/**
 * Writes scan results for an analyst's terminal: one block per package with its verdict, scores and
 * the reasons, then findings of at least {@code minSeverity}, strongest first.
 */
public final class TableReport {
  private TableReport() {}

  public static void write(List<PackageReport> reports, Severity minSeverity, PrintWriter out) {
    int malicious = 0;
    int suspicious = 0;
    for (PackageReport r : reports) {
      switch (r.verdict()) {
        case MALICIOUS -> malicious++;
        case SUSPICIOUS -> suspicious++;
        case CLEAN -> {}
      }
      out.printf(
          Locale.ROOT,
          "%-10s %s%s  [%s]  %s%n",
          r.verdict().label().toUpperCase(Locale.ROOT),
          r.name(),
          r.version().isEmpty() ? "" : "@" + r.version(),
          r.ecosystem(),
          r.path());
      StringBuilder scores = new StringBuilder("           scores:");
      for (ScoreCategory c : ScoreCategory.values()) {
        scores
            .append(' ')
            .append(JsonReport.key(c))
            .append('=')
            .append(r.scores().getOrDefault(c, 100));
      }
      out.println(scores);
      for (String reason : r.reasons()) {
        out.println("           because " + reason);
      }
      int shown = 0;
      int hidden = 0;
      for (Finding f : r.findings()) {
        if (f.severity().compareTo(minSeverity) < 0) {
          hidden++;
          continue;
        }
        if (shown++ == 40) {
          out.println("           …");
        }
        if (shown > 40) {
          continue;
        }
        String where = f.file().isEmpty() ? "" : f.file() + (f.line() > 0 ? ":" + f.line() : "");
        out.printf(
            Locale.ROOT,
            "  %-8s %-30s %s%n           %s%n",
            f.severity(),
            f.type(),
            where,
            f.evidence());
      }
      if (hidden > 0) {
        out.printf(
            Locale.ROOT,
            "  (%d findings below %s not shown; use --format json for all)%n",
            hidden,
            minSeverity.name().toLowerCase(Locale.ROOT));
      }
      out.println();
    }
    out.printf(
        Locale.ROOT,
        "%d packages: %d malicious, %d suspicious, %d clean%n",
        reports.size(),
        malicious,
        suspicious,
        reports.size() - malicious - suspicious);
    out.flush();
  }
}
