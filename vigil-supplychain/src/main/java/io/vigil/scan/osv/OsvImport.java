package io.vigil.scan.osv;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vigil.scan.Ecosystem;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.zip.GZIPOutputStream;

/**
 * Imports OSV records (a directory tree or a {@code .zip} of {@code *.json}) into Vigil's advisory
 * store, which {@link AdvisoryDatabase#load(Path)} reads: one gzip'd JSON-lines file per ecosystem
 * ({@code npm.jsonl.gz}, {@code pypi.jsonl.gz}, {@code maven.jsonl.gz}) holding only the fields a
 * scan needs. Records already in the store are replaced by id; bad records are reported and the
 * rest imported.
 */
public final class OsvImport {
  static final ObjectMapper JSON = new ObjectMapper();

  private OsvImport() {}

  /**
   * Limits on the records read, which may come from anywhere.
   *
   * @param maxRecordBytes largest single record file ({@code maxRecordBytes}, default 8 MiB)
   * @param maxTotalBytes most bytes read in one import ({@code maxTotalBytes}, default 4 GiB)
   * @param maxRecords most record files read in one import ({@code maxRecords}, default 2,000,000)
   */
  public record Limits(long maxRecordBytes, long maxTotalBytes, int maxRecords) {
    public static final Limits DEFAULTS = new Limits(8L << 20, 4L << 30, 2_000_000);

    public Limits {
      if (maxRecordBytes <= 0 || maxTotalBytes <= 0 || maxRecords <= 0) {
        throw new IllegalArgumentException("OSV import limits must be positive");
      }
    }
  }

  /**
   * A record that was not imported (or imported with a caveat), and why.
   *
   * @param file the record file ({@code archive.zip!/path} inside a zip)
   * @param reason what was seen and what was expected
   */
  public record Problem(String file, String reason) {
    public Problem {
      Objects.requireNonNull(file, "file");
      Objects.requireNonNull(reason, "reason");
    }

    @Override
    public String toString() {
      return file + ": " + reason;
    }
  }

  /**
   * What an import did.
   *
   * @param imported records imported per ecosystem and kind
   * @param withdrawn records skipped because they are withdrawn
   * @param otherEcosystems records skipped because they name no ecosystem Vigil scans
   * @param problems bad records, each with its file and reason
   * @param storeCounts advisories in the store after the import, per ecosystem and kind
   * @param dataDir the store directory written
   * @param elapsed how long the import took
   */
  public record Report(
      Map<Ecosystem, Map<AdvisoryKind, Integer>> imported,
      int withdrawn,
      int otherEcosystems,
      List<Problem> problems,
      Map<Ecosystem, Map<AdvisoryKind, Integer>> storeCounts,
      Path dataDir,
      Duration elapsed) {
    public Report {
      imported = AdvisoryDatabase.copyCounts(imported);
      storeCounts = AdvisoryDatabase.copyCounts(storeCounts);
      problems = List.copyOf(problems);
    }

    /** Records imported in all. */
    public int importedTotal() {
      return imported.values().stream()
          .flatMap(m -> m.values().stream())
          .mapToInt(Integer::intValue)
          .sum();
    }
  }

  /** Imports with {@link Limits#DEFAULTS}. */
  public static Report run(Path source, Path dataDir) throws IOException {
    return run(source, dataDir, Limits.DEFAULTS);
  }

  /**
   * Imports the records under {@code source} into the store in {@code dataDir} (created when
   * missing).
   *
   * @throws IOException when the source cannot be read at all or the store cannot be written
   */
  public static Report run(Path source, Path dataDir, Limits limits) throws IOException {
    long start = System.nanoTime();
    AdvisoryDatabase.checkFormat(dataDir);
    Parsed parsed = parseAll(source, limits);
    Map<Ecosystem, Map<String, AdvisoryDatabase.StoreLine>> store = new EnumMap<>(Ecosystem.class);
    List<String> damaged = new ArrayList<>();
    for (Ecosystem e : Ecosystem.values()) {
      Map<String, AdvisoryDatabase.StoreLine> m = new LinkedHashMap<>();
      for (AdvisoryDatabase.StoreLine l : AdvisoryDatabase.readStoreLines(dataDir, e, damaged)) {
        m.put(l.id(), l);
      }
      store.put(e, m);
    }
    for (String d : damaged) {
      int sep = d.indexOf(": ");
      parsed.problems.add(
          new Problem(sep > 0 ? d.substring(0, sep) : dataDir.toString(), d.substring(sep + 2)));
    }
    for (Advisory a : parsed.advisories) {
      store
          .get(a.ecosystem())
          .put(
              a.id(),
              new AdvisoryDatabase.StoreLine(
                  a.kind(),
                  a.id(),
                  List.copyOf(AdvisoryDatabase.names(a)),
                  JSON.writeValueAsString(OsvRecords.toStore(a))));
    }
    Files.createDirectories(dataDir);
    Map<Ecosystem, Map<AdvisoryKind, Integer>> storeCounts = new EnumMap<>(Ecosystem.class);
    for (Ecosystem e : Ecosystem.values()) {
      Map<String, AdvisoryDatabase.StoreLine> m = store.get(e);
      if (m.isEmpty()) {
        continue;
      }
      Path target = AdvisoryDatabase.storeFile(dataDir, e);
      Path tmp =
          Files.createTempFile(dataDir, e.name().toLowerCase(java.util.Locale.ROOT), ".part");
      try {
        try (BufferedWriter w =
            new BufferedWriter(
                new OutputStreamWriter(
                    new GZIPOutputStream(Files.newOutputStream(tmp), 1 << 16),
                    StandardCharsets.UTF_8))) {
          for (AdvisoryDatabase.StoreLine a : m.values()) {
            w.write(a.text());
            w.write('\n');
            storeCounts
                .computeIfAbsent(e, k -> new EnumMap<>(AdvisoryKind.class))
                .merge(a.kind(), 1, Integer::sum);
          }
        }
        Files.move(
            tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      } finally {
        Files.deleteIfExists(tmp);
      }
    }
    Map<String, Object> meta = new LinkedHashMap<>();
    meta.put("format", AdvisoryDatabase.STORE_FORMAT);
    meta.put("updated", Instant.now().toString());
    meta.put("lastSource", source.toAbsolutePath().toString());
    Files.writeString(
        dataDir.resolve(AdvisoryDatabase.META_FILE),
        JSON.writerWithDefaultPrettyPrinter().writeValueAsString(meta) + "\n",
        StandardCharsets.UTF_8);
    return new Report(
        parsed.imported,
        parsed.withdrawn,
        parsed.otherEcosystems,
        parsed.problems,
        storeCounts,
        dataDir,
        Duration.ofNanos(System.nanoTime() - start));
  }

  /** Raw records read and parsed, not yet stored. */
  static final class Parsed {
    final List<Advisory> advisories = new ArrayList<>();
    final Map<Ecosystem, Map<AdvisoryKind, Integer>> imported = new EnumMap<>(Ecosystem.class);
    final List<Problem> problems = new ArrayList<>();
    int withdrawn;
    int otherEcosystems;
  }

  /** The outcome of one record file: advisories, a problem, or a skip. */
  private record One(List<Advisory> advisories, List<Problem> problems, boolean withdrawn) {}

  static Parsed parseAll(Path source, Limits limits) throws IOException {
    Parsed out = new Parsed();
    List<One> results = OsvSource.read(source, limits, OsvImport::parseOne, out.problems);
    for (One one : results) {
      out.problems.addAll(one.problems());
      if (one.withdrawn()) {
        out.withdrawn++;
        continue;
      }
      if (one.advisories().isEmpty()) {
        if (one.problems().isEmpty()) {
          out.otherEcosystems++;
        }
        continue;
      }
      for (Advisory a : one.advisories()) {
        out.advisories.add(a);
        out.imported
            .computeIfAbsent(a.ecosystem(), k -> new EnumMap<>(AdvisoryKind.class))
            .merge(a.kind(), 1, Integer::sum);
      }
    }
    return out;
  }

  private static One parseOne(String file, byte[] content) {
    String name = file.substring(Math.max(file.lastIndexOf('/'), file.lastIndexOf('\\')) + 1);
    String stem =
        name.toLowerCase(java.util.Locale.ROOT).endsWith(".json")
            ? name.substring(0, name.length() - 5)
            : name;
    JsonNode root;
    try {
      root = JSON.readTree(content);
    } catch (JsonProcessingException e) {
      var loc = e.getLocation();
      return bad(
          new Problem(
              file + (loc != null && loc.getLineNr() > 0 ? ":" + loc.getLineNr() : ""),
              "not valid JSON: " + e.getOriginalMessage()));
    } catch (IOException e) {
      return bad(new Problem(file, "could not read: " + e.getMessage()));
    }
    if (root == null || root.isMissingNode()) {
      return bad(new Problem(file, "the file is empty; expected an OSV record"));
    }
    try {
      OsvRecords.Parsed p = OsvRecords.parse(root, stem);
      List<Problem> notes = p.note().isEmpty() ? List.of() : List.of(new Problem(file, p.note()));
      return new One(p.advisories(), notes, p.withdrawn());
    } catch (OsvRecords.BadRecord e) {
      return bad(new Problem(file, e.getMessage()));
    }
  }

  private static One bad(Problem p) {
    return new One(List.of(), List.of(p), false);
  }
}
