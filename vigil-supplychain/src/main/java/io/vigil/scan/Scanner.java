package io.vigil.scan;

import io.vigil.scan.analysis.PackageAnalysis;
import io.vigil.scan.analysis.PackageAnalyzer;
import io.vigil.scan.analysis.Verdicts;
import io.vigil.scan.archive.ArchiveReader;
import io.vigil.scan.archive.PackageContents;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * The entry point of supply-chain analysis: give it package archives or directories, get a {@link
 * PackageReport} per package. Package code is read in memory and never run.
 *
 * <pre>{@code
 * Scanner scanner = new Scanner(ScanOptions.defaults());
 * ScanResult result = scanner.scan(List.of(Path.of("left-pad-1.3.0.tgz")));
 * }</pre>
 */
public final class Scanner {
  private static final List<String> MANIFESTS =
      List.of("package.json", "setup.py", "pyproject.toml", "PKG-INFO", "pom.xml", "setup.cfg");

  private final ScanOptions options;
  private final ArchiveReader reader;
  private final PackageAnalyzer analyzer = new PackageAnalyzer();

  public Scanner(ScanOptions options) {
    this.options = Objects.requireNonNull(options, "options");
    this.reader = new ArchiveReader(options.limits());
  }

  /**
   * Scans each path: an archive, an unpacked package directory, or a directory of archives (each
   * archive in it is one package). Errors are collected per path; the other paths are scanned.
   */
  public ScanResult scan(List<Path> paths) {
    List<String> errors = new ArrayList<>();
    List<Path> packages = new ArrayList<>();
    for (Path p : paths) {
      try {
        packages.addAll(packagesIn(p));
      } catch (IOException e) {
        errors.add(p + ": " + message(e));
      }
    }
    // packages are independent: analyse them on a small named pool, report in input order
    int threads =
        Math.max(1, Math.min(packages.size(), Runtime.getRuntime().availableProcessors()));
    AtomicInteger ids = new AtomicInteger();
    ExecutorService pool =
        Executors.newFixedThreadPool(
            threads,
            r -> {
              Thread t = new Thread(r, "vigil-scan-" + ids.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
    try {
      // largest first, so that one big package does not start last and hold up the end
      List<Integer> order = new ArrayList<>();
      for (int i = 0; i < packages.size(); i++) {
        order.add(i);
      }
      order.sort(
          java.util.Comparator.comparingLong((Integer i) -> sizeOf(packages.get(i))).reversed());
      List<Future<PackageReport>> futures =
          new ArrayList<>(java.util.Collections.nCopies(packages.size(), null));
      for (int i : order) {
        Path pkg = packages.get(i);
        futures.set(i, pool.submit(() -> scanPackage(pkg)));
      }
      List<PackageReport> reports = new ArrayList<>();
      for (int i = 0; i < packages.size(); i++) {
        try {
          reports.add(futures.get(i).get());
        } catch (ExecutionException e) {
          Throwable cause = e.getCause();
          errors.add(
              packages.get(i)
                  + ": "
                  + (cause instanceof Exception ex ? message(ex) : String.valueOf(cause)));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          errors.add(packages.get(i) + ": interrupted");
          break;
        }
      }
      return new ScanResult(reports, errors);
    } finally {
      pool.shutdownNow();
    }
  }

  /** Scans one archive or unpacked package directory. */
  public PackageReport scanPackage(Path path) throws IOException {
    return report(path.toString(), reader.read(path));
  }

  /** Scans an archive held in memory; {@code name} gives its format by suffix. */
  public PackageReport scanArchive(String name, byte[] archive) throws IOException {
    return report(name, reader.read(name, archive));
  }

  /** A report for findings gathered elsewhere (e.g. a lockfile entry whose content is absent). */
  public PackageReport judge(
      String path, Ecosystem ecosystem, String name, String version, List<Finding> findings) {
    Verdicts.Decision d = Verdicts.decide(findings);
    return new PackageReport(
        path, ecosystem, name, version, d.verdict(), d.scores(), findings, d.reasons());
  }

  private PackageReport report(String path, PackageContents contents) {
    PackageAnalysis a = analyzer.analyze(contents);
    List<Finding> findings = new ArrayList<>(a.findings());
    for (PackageIntel intel : options.intel()) {
      findings.addAll(0, intel.findings(a.ecosystem(), a.name(), a.version()));
    }
    Verdicts.Decision d = Verdicts.decide(findings);
    return new PackageReport(
        path, a.ecosystem(), a.name(), a.version(), d.verdict(), d.scores(), findings, d.reasons());
  }

  private static long sizeOf(Path p) {
    try {
      return Files.isRegularFile(p) ? Files.size(p) : 0;
    } catch (IOException e) {
      return 0;
    }
  }

  /** The packages a path stands for. */
  static List<Path> packagesIn(Path p) throws IOException {
    if (!Files.exists(p)) {
      throw new NoSuchFileException(
          p.toString(), null, "no such file or directory; check the path");
    }
    if (!Files.isDirectory(p)) {
      if (!Files.isReadable(p)) {
        throw new IOException("cannot be read (permission denied)");
      }
      return List.of(p);
    }
    for (String m : MANIFESTS) {
      if (Files.exists(p.resolve(m))) {
        return List.of(p);
      }
    }
    List<Path> archives;
    try (Stream<Path> s = Files.list(p)) {
      archives =
          s.filter(Files::isRegularFile)
              .filter(f -> ArchiveReader.isArchiveName(f.getFileName().toString()))
              .sorted()
              .toList();
    }
    if (archives.isEmpty()) {
      throw new IOException(
          "a directory with no package manifest (package.json, setup.py, pyproject.toml, PKG-INFO,"
              + " pom.xml) and no package archives (.tgz, .tar.gz, .whl, .zip, .jar); give a package"
              + " directory, an archive, or a folder of archives");
    }
    return archives;
  }

  private static String message(Exception e) {
    if (e instanceof NoSuchFileException n) {
      return n.getReason() != null ? n.getReason() : "no such file";
    }
    String m = e.getMessage();
    return m == null ? e.getClass().getSimpleName() : m;
  }
}
