package io.vigil.scan;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import net.lingala.zip4j.io.inputstream.ZipInputStream;
import net.lingala.zip4j.model.LocalFileHeader;

/**
 * The detection benchmark over {@code shared/supplychain-samples}: scans every malicious sample
 * (decrypted in memory, never written to disk), every benign npm tarball and every benign jar with
 * content analysis only (no advisories), and prints rates, misses and false alarms. Run it with
 * {@code SampleEvaluation.main} (see docs/SCANNER.md) or through {@code SampleEvaluationTest}.
 */
public final class SampleEvaluation {
  /** One scanned sample: its label from the manifests and what the scanner said. */
  public record Row(String group, String file, String label, PackageReport report, String error) {
    public Verdict verdict() {
      return report == null ? null : report.verdict();
    }
  }

  private SampleEvaluation() {}

  public static List<Row> run(Path samples) throws IOException {
    Scanner scanner = new Scanner(ScanOptions.defaults());
    List<Row> rows = new ArrayList<>();
    Path manifest = samples.resolve("malicious/manifest.tsv");
    List<String> lines = Files.readAllLines(manifest);
    for (String line : lines.subList(1, lines.size())) {
      String[] c = line.split("\t", -1);
      if (c.length < 8) {
        continue;
      }
      Path zip = samples.resolve("malicious").resolve(c[3]);
      try {
        byte[] inner = decrypt(zip, c[4]);
        rows.add(new Row("malicious-" + c[0], c[4], c[7], scanner.scanArchive(c[4], inner), null));
      } catch (IOException | RuntimeException e) {
        rows.add(new Row("malicious-" + c[0], c[4], c[7], null, e.toString()));
      }
    }
    for (String group : List.of("benign-npm", "benign-maven")) {
      try (Stream<Path> s = Files.list(samples.resolve(group))) {
        for (Path p :
            s.filter(f -> f.toString().endsWith(".tgz") || f.toString().endsWith(".jar"))
                .sorted()
                .toList()) {
          try {
            rows.add(
                new Row(group, p.getFileName().toString(), "benign", scanner.scanPackage(p), null));
          } catch (IOException | RuntimeException e) {
            rows.add(new Row(group, p.getFileName().toString(), "benign", null, e.toString()));
          }
        }
      }
    }
    return rows;
  }

  /** The inner archive of a password-protected sample zip, decrypted in memory. */
  public static byte[] decrypt(Path zip, String innerName) throws IOException {
    try (InputStream in = Files.newInputStream(zip);
        ZipInputStream z = new ZipInputStream(in, "infected".toCharArray())) {
      LocalFileHeader h;
      while ((h = z.getNextEntry()) != null) {
        if (h.getFileName().equals(innerName) || h.getFileName().endsWith("/" + innerName)) {
          ByteArrayOutputStream out = new ByteArrayOutputStream();
          z.transferTo(out);
          return out.toByteArray();
        }
      }
    }
    throw new IOException(zip + " holds no entry " + innerName);
  }

  public static void main(String[] args) throws IOException {
    Path samples = Path.of(args.length > 0 ? args[0] : "../shared/supplychain-samples");
    boolean verbose = args.length > 1 && args[1].equals("-v");
    long t0 = System.nanoTime();
    List<Row> rows = run(samples);
    long ms = (System.nanoTime() - t0) / 1_000_000;
    int mal = 0, malHit = 0, malSusp = 0;
    int benign = 0, benignMal = 0, benignSusp = 0;
    for (Row r : rows) {
      String v = r.report == null ? "ERROR " + r.error : r.verdict().label();
      System.out.printf(
          Locale.ROOT,
          "%-14s %-46s %-14s %-10s %s%n",
          r.group,
          r.file,
          r.label,
          v,
          r.report == null
              ? ""
              : String.join(
                  " | ",
                  r.report.reasons().stream()
                      .limit(verbose ? 10 : 2)
                      .map(x -> x.length() > 160 ? x.substring(0, 160) : x)
                      .toList()));
      if (verbose && r.report != null) {
        for (Finding f : r.report.findings()) {
          if (f.severity().compareTo(Severity.LOW) >= 0) {
            System.out.printf(
                "      %-8s %-30s %s:%d %s%n",
                f.severity(),
                f.type(),
                f.file(),
                f.line(),
                f.evidence().length() > 140 ? f.evidence().substring(0, 140) : f.evidence());
          }
        }
      }
      if (r.label.equals("malicious")) {
        mal++;
        if (r.verdict() == Verdict.MALICIOUS) malHit++;
        if (r.verdict() == Verdict.SUSPICIOUS) malSusp++;
      } else {
        benign++;
        if (r.verdict() == Verdict.MALICIOUS) benignMal++;
        if (r.verdict() == Verdict.SUSPICIOUS) benignSusp++;
      }
    }
    System.out.printf(
        Locale.ROOT,
        "%nmalicious called malicious: %d/%d (%.1f %%), suspicious: %d%n",
        malHit,
        mal,
        100.0 * malHit / mal,
        malSusp);
    System.out.printf(
        Locale.ROOT,
        "benign (incl. control) called malicious: %d/%d (%.1f %%), suspicious: %d%n",
        benignMal,
        benign,
        100.0 * benignMal / benign,
        benignSusp);
    System.out.printf(Locale.ROOT, "total time %d ms%n", ms);
  }
}
