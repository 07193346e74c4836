package io.vigil.cli;

import io.vigil.scan.Finding;
import io.vigil.scan.PackageIntel;
import io.vigil.scan.PackageRef;
import io.vigil.scan.PackageReport;
import io.vigil.scan.ScanOptions;
import io.vigil.scan.ScanResult;
import io.vigil.scan.Scanner;
import io.vigil.scan.Severity;
import io.vigil.scan.Verdict;
import io.vigil.scan.archive.ArchiveLimits;
import io.vigil.scan.lockfile.LockfileProblem;
import io.vigil.scan.lockfile.LockfileResult;
import io.vigil.scan.lockfile.Lockfiles;
import io.vigil.scan.names.NameAnalyzer;
import io.vigil.scan.osv.AdvisoryDatabase;
import io.vigil.scan.registry.FetchResult;
import io.vigil.scan.registry.FetchSettings;
import io.vigil.scan.registry.PackageFetcher;
import io.vigil.scan.report.JsonReport;
import io.vigil.scan.report.SarifReport;
import io.vigil.scan.report.TableReport;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code vigil scan}: static supply-chain analysis of package archives, directories, lockfiles. */
@Command(
    name = "scan",
    mixinStandardHelpOptions = true,
    description = {
      "Scan packages for malware and supply-chain risk without running them.",
      "PATH: a package archive (.tgz .tar.gz .whl .zip .jar), an unpacked package directory, a"
          + " folder of archives, or a lockfile (its packages are fetched into the cache, or"
          + " taken from the cache with --offline).",
      "Exit codes: 0 nothing reached --fail-on, 1 a verdict or finding reached it, 2 an error"
          + " (the other paths are still scanned)."
    })
final class ScanCommand implements Callable<Integer> {
  enum Format {
    table,
    json,
    sarif
  }

  @Spec CommandSpec spec;

  @Option(
      names = "--format",
      defaultValue = "table",
      description = "Output format: ${COMPLETION-CANDIDATES} (default ${DEFAULT-VALUE}).")
  Format format;

  @Option(names = "--output", paramLabel = "FILE", description = "Write the report to FILE.")
  Path output;

  @Option(
      names = "--fail-on",
      paramLabel = "LEVEL",
      defaultValue = "malicious",
      description =
          "Exit 1 when a package verdict reaches LEVEL (suspicious, malicious) or a finding"
              + " reaches LEVEL (info, low, medium, high, critical). Default ${DEFAULT-VALUE}.")
  String failOn;

  @Option(
      names = "--no-advisories",
      description = "Judge by analysis alone: do not consult the known-malicious advisory list.")
  boolean noAdvisories;

  @Option(
      names = "--offline",
      description = "Never use the network: lockfile packages come from the cache only.")
  boolean offline;

  @Option(
      names = "--packages-dir",
      paramLabel = "DIR",
      description =
          "Lockfiles: take package archives from DIR (npm pack, sdist, wheel or jar file names)"
              + " before the cache and the registry.")
  Path packagesDir;

  @Option(
      names = "--min-severity",
      defaultValue = "low",
      paramLabel = "LEVEL",
      description = "Table format: hide findings below LEVEL (default ${DEFAULT-VALUE}).")
  String minSeverity;

  @Option(
      names = "--archive-limit",
      paramLabel = "NAME=VALUE",
      description =
          "Raise or lower an archive limit: maxEntries, maxExpandedBytes, maxEntryBytes,"
              + " maxPathLength.")
  List<String> archiveLimits = new ArrayList<>();

  @Parameters(arity = "1..*", paramLabel = "PATH", description = "What to scan.")
  List<Path> paths;

  @Override
  public Integer call() throws IOException {
    PrintWriter err = spec.commandLine().getErr();
    Threshold threshold = Threshold.parse(failOn);
    Severity shown = Threshold.severity(minSeverity, "--min-severity");
    ArchiveLimits limits = ArchiveLimits.DEFAULTS;
    for (String l : archiveLimits) {
      int eq = l.indexOf('=');
      if (eq < 0) {
        throw new IllegalArgumentException(
            "--archive-limit expects NAME=VALUE, e.g. maxEntries=50000; got '" + l + "'");
      }
      limits = limits.with(l.substring(0, eq).trim(), Long.parseLong(l.substring(eq + 1).trim()));
    }
    List<PackageIntel> intel = new ArrayList<>();
    NameAnalyzer names = NameAnalyzer.defaults();
    intel.add(names::analyze);
    if (!noAdvisories) {
      AdvisoryDatabase db = AdvisoryDatabase.loadDefault();
      db.warning().ifPresent(w -> err.println("vigil scan: " + w));
      intel.add(db::findings);
    }
    Scanner scanner = new Scanner(new ScanOptions(limits, intel));

    List<Path> plain = new ArrayList<>();
    List<PackageReport> reports = new ArrayList<>();
    List<String> errors = new ArrayList<>();
    for (Path p : paths) {
      if (Files.isRegularFile(p) && Lockfiles.isLockfileName(p)) {
        scanLockfile(p, scanner, intel, reports, errors, err);
      } else {
        plain.add(p);
      }
    }
    ScanResult result = scanner.scan(plain);
    reports.addAll(0, result.packages());
    errors.addAll(result.errors());

    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    switch (format) {
      case json -> JsonReport.write(reports, errors, buf);
      case sarif -> SarifReport.write(reports, version(), buf);
      case table -> {
        PrintWriter w = new PrintWriter(buf, false, StandardCharsets.UTF_8);
        TableReport.write(reports, shown, w);
        w.flush();
      }
    }
    if (output != null) {
      Files.write(output, buf.toByteArray());
    } else {
      PrintWriter out = spec.commandLine().getOut();
      out.print(buf.toString(StandardCharsets.UTF_8));
      out.flush();
    }
    for (String e : errors) {
      err.println("vigil scan: " + e);
    }
    err.flush();
    if (!errors.isEmpty()) {
      return 2;
    }
    for (PackageReport r : reports) {
      if (threshold.reachedBy(r)) {
        return 1;
      }
    }
    return 0;
  }

  private void scanLockfile(
      Path lockfile,
      Scanner scanner,
      List<PackageIntel> intel,
      List<PackageReport> reports,
      List<String> errors,
      PrintWriter err) {
    LockfileResult lock = Lockfiles.read(lockfile);
    for (LockfileProblem p : lock.problems()) {
      if (p.level() == LockfileProblem.Level.ERROR) {
        errors.add(p.toString());
      } else {
        err.println("vigil scan: " + p);
      }
    }
    if (lock.packages().isEmpty()) {
      return;
    }
    FetchSettings settings = FetchSettings.defaults().withOffline(offline);
    if (packagesDir != null) {
      settings = settings.withPackagesDir(packagesDir);
    }
    try (PackageFetcher fetcher = PackageFetcher.create(settings)) {
      for (FetchResult fr : fetcher.fetchAll(lock.packages(), lock.integrity())) {
        switch (fr) {
          case FetchResult.Fetched f -> {
            try {
              PackageReport r = scanner.scanPackage(f.archive());
              reports.add(
                  new PackageReport(
                      f.ref().source() + " -> " + f.archive(),
                      r.ecosystem(),
                      r.name(),
                      r.version(),
                      r.verdict(),
                      r.scores(),
                      r.findings(),
                      r.reasons()));
            } catch (IOException | RuntimeException e) {
              errors.add(f.archive() + " (" + f.ref() + "): " + e.getMessage());
            }
          }
          case FetchResult.Failed f -> reports.add(unscanned(scanner, f.ref(), f.reason(), intel));
        }
      }
    }
  }

  /** A package whose content could not be fetched: name and advisory findings only. */
  private static PackageReport unscanned(
      Scanner scanner, PackageRef ref, String reason, List<PackageIntel> intel) {
    List<Finding> findings = new ArrayList<>();
    for (PackageIntel i : intel) {
      findings.addAll(i.findings(ref.ecosystem(), ref.name(), ref.version()));
    }
    findings.add(
        new Finding(
            "content-not-scanned",
            io.vigil.scan.ScoreCategory.SUPPLY_CHAIN,
            Severity.LOW,
            "",
            0,
            reason,
            "Only the name and version were checked; the package content was not available."));
    return scanner.judge(ref.source(), ref.ecosystem(), ref.name(), ref.version(), findings);
  }

  private static String version() {
    String v = ScanCommand.class.getPackage().getImplementationVersion();
    return v == null ? "development" : v;
  }

  /** The {@code --fail-on} level: a verdict or a finding severity. */
  record Threshold(Verdict verdict, Severity severity) {
    static Threshold parse(String s) {
      String v = s.trim().toLowerCase(Locale.ROOT);
      return switch (v) {
        case "suspicious" -> new Threshold(Verdict.SUSPICIOUS, null);
        case "malicious" -> new Threshold(Verdict.MALICIOUS, null);
        default -> new Threshold(null, severity(v, "--fail-on"));
      };
    }

    static Severity severity(String s, String option) {
      try {
        return Severity.valueOf(s.trim().toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(
            option
                + " expects suspicious, malicious or a severity (info, low, medium, high,"
                + " critical); got '"
                + s
                + "'");
      }
    }

    boolean reachedBy(PackageReport r) {
      if (verdict != null) {
        return r.verdict().compareTo(verdict) >= 0;
      }
      for (Finding f : r.findings()) {
        if (f.severity().compareTo(severity) >= 0) {
          return true;
        }
      }
      return false;
    }
  }
}
