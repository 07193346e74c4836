package io.vigil.cli;

import io.vigil.scan.Ecosystem;
import io.vigil.scan.Finding;
import io.vigil.scan.osv.AdvisoryDatabase;
import io.vigil.scan.osv.AdvisoryKind;
import io.vigil.scan.osv.OsvImport;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code vigil osv}: manage the local OSV advisory store that {@code vigil scan} reads
 * (known-malicious packages and known vulnerabilities).
 */
@Command(
    name = "osv",
    mixinStandardHelpOptions = true,
    description = {
      "Manage Vigil's local OSV advisory data (known-malicious packages and vulnerabilities).",
      "",
      "The store lives in $VIGIL_HOME/osv, or ~/.local/share/vigil/osv, unless --data is given."
    },
    subcommands = {OsvCommand.Import.class, OsvCommand.Status.class, OsvCommand.Query.class})
final class OsvCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    spec.commandLine().usage(spec.commandLine().getErr());
    return 2;
  }

  static Path dataDir(Path given) {
    return given != null ? given : AdvisoryDatabase.defaultDataDir();
  }

  static String counts(Map<Ecosystem, Map<AdvisoryKind, Integer>> counts) {
    StringBuilder b = new StringBuilder();
    for (Ecosystem e : Ecosystem.values()) {
      Map<AdvisoryKind, Integer> m = counts.getOrDefault(e, Map.of());
      b.append(
          String.format(
              Locale.ROOT,
              "  %-6s %8d malicious %8d vulnerabilities%n",
              e.osvName(),
              m.getOrDefault(AdvisoryKind.MALICIOUS, 0),
              m.getOrDefault(AdvisoryKind.VULNERABILITY, 0)));
    }
    return b.toString();
  }

  /** {@code vigil osv import DIR|ZIP}. */
  @Command(
      name = "import",
      mixinStandardHelpOptions = true,
      description = {
        "Import OSV records (a directory tree or a .zip of *.json) into the local store.",
        "Records already there are replaced by id; bad records are listed and the rest imported."
      },
      exitCodeListHeading = "%nExit codes:%n",
      exitCodeList = {
        "0:imported (bad records, if any, are listed)",
        "2:the source or the store could not be read or written"
      })
  static final class Import implements Callable<Integer> {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Parameters(paramLabel = "DIR|ZIP", description = "OSV records: a directory tree or a .zip")
    Path source;

    @Option(names = "--data", paramLabel = "DIR", description = "the store directory")
    Path data;

    @Option(
        names = "--max-problems",
        paramLabel = "N",
        defaultValue = "50",
        description = "list at most N bad records (default ${DEFAULT-VALUE}); all are counted")
    int maxProblems;

    @Override
    public Integer call() {
      PrintWriter out = spec.commandLine().getOut();
      PrintWriter err = spec.commandLine().getErr();
      Path dir = dataDir(data);
      OsvImport.Report r;
      try {
        r = OsvImport.run(source, dir);
      } catch (IOException e) {
        err.println("vigil osv import: " + e.getMessage());
        return 2;
      }
      out.printf(
          Locale.ROOT,
          "imported %d records from %s into %s in %d ms%n",
          r.importedTotal(),
          source,
          r.dataDir(),
          r.elapsed().toMillis());
      out.print(counts(r.imported()));
      if (r.withdrawn() > 0 || r.otherEcosystems() > 0) {
        out.printf(
            Locale.ROOT,
            "skipped %d withdrawn records and %d records of other ecosystems%n",
            r.withdrawn(),
            r.otherEcosystems());
      }
      out.println("the store now holds:");
      out.print(counts(r.storeCounts()));
      List<OsvImport.Problem> problems = r.problems();
      if (!problems.isEmpty()) {
        err.printf(Locale.ROOT, "%d record(s) with problems:%n", problems.size());
        problems.stream().limit(maxProblems).forEach(p -> err.println("  " + p));
        if (problems.size() > maxProblems) {
          err.printf(
              Locale.ROOT,
              "  … and %d more (use --max-problems to list them)%n",
              problems.size() - maxProblems);
        }
      }
      out.flush();
      err.flush();
      return 0;
    }
  }

  /** {@code vigil osv status}. */
  @Command(
      name = "status",
      mixinStandardHelpOptions = true,
      description = "Show what the local store holds and how long it takes to load.")
  static final class Status implements Callable<Integer> {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Option(names = "--data", paramLabel = "DIR", description = "the store directory")
    Path data;

    @Override
    public Integer call() {
      PrintWriter out = spec.commandLine().getOut();
      PrintWriter err = spec.commandLine().getErr();
      Path dir = dataDir(data);
      long start = System.nanoTime();
      AdvisoryDatabase db;
      try {
        db = AdvisoryDatabase.load(dir);
      } catch (IOException e) {
        err.println("vigil osv status: " + e.getMessage());
        return 2;
      }
      long ms = (System.nanoTime() - start) / 1_000_000;
      if (db.isEmpty()) {
        err.println(db.warning().orElse("no advisory data in " + dir));
        return 0;
      }
      out.printf(Locale.ROOT, "%s: %d advisories, loaded in %d ms%n", dir, db.size(), ms);
      out.print(counts(db.counts()));
      db.problems().forEach(p -> err.println("  " + p));
      return 0;
    }
  }

  /** {@code vigil osv query ECOSYSTEM NAME [VERSION]}. */
  @Command(
      name = "query",
      mixinStandardHelpOptions = true,
      description = "List the advisories that apply to one package version.",
      exitCodeListHeading = "%nExit codes:%n",
      exitCodeList = {"0:no advisory applies", "1:advisories apply", "2:bad usage or no data"})
  static final class Query implements Callable<Integer> {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "ECOSYSTEM", description = "npm, PyPI or Maven")
    String ecosystem;

    @Parameters(
        index = "1",
        paramLabel = "NAME",
        description = "package name (Maven: group:artifact)")
    String name;

    @Parameters(
        index = "2",
        arity = "0..1",
        paramLabel = "VERSION",
        description = "exact version; without it only records covering every version apply")
    String version = "";

    @Option(names = "--data", paramLabel = "DIR", description = "the store directory")
    Path data;

    @Override
    public Integer call() {
      PrintWriter out = spec.commandLine().getOut();
      PrintWriter err = spec.commandLine().getErr();
      Ecosystem eco = Ecosystem.fromOsv(ecosystem).orElse(null);
      if (eco == null) {
        err.println(
            "vigil osv query: unknown ecosystem '" + ecosystem + "'; expected npm, PyPI or Maven");
        return 2;
      }
      AdvisoryDatabase db;
      try {
        db = AdvisoryDatabase.load(dataDir(data));
      } catch (IOException e) {
        err.println("vigil osv query: " + e.getMessage());
        return 2;
      }
      if (db.isEmpty()) {
        err.println(db.warning().orElse("no advisory data"));
        return 2;
      }
      List<Finding> findings = db.findings(eco, name, version == null ? "" : version);
      for (Finding f : findings) {
        out.printf(Locale.ROOT, "%-8s %-19s %s%n", f.severity(), f.type(), f.evidence());
        out.println("         " + f.why());
      }
      if (findings.isEmpty()) {
        out.println(
            "no advisory applies to "
                + name
                + (version == null || version.isEmpty() ? "" : " " + version));
      }
      return findings.isEmpty() ? 0 : 1;
    }
  }
}
