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
import java.util.Collections;
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
    Parsed parsed = parseAll(source, limits);
    Map<Ecosystem, Map<String, Advisory>> store = new EnumMap<>(Ecosystem.class);
    for (Ecosystem e : Ecosystem.values()) {
      Map<String, Advisory> m = new LinkedHashMap<>();
      for (Advisory a : AdvisoryDatabase.readStoreFile(dataDir, e, new ArrayList<>())) {
        m.put(a.id(), a);
      }
      store.put(e, m);
    }
    for (Advisory a : parsed.advisories) {
      store.get(a.ecosystem()).put(a.id(), a);
    }
    Files.createDirectories(dataDir);
    Map<Ecosystem, Map<AdvisoryKind, Integer>> storeCounts = new EnumMap<>(Ecosystem.class);
    for (Ecosystem e : Ecosystem.values()) {
      Map<String, Advisory> m = store.get(e);
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
          for (Advisory a : m.values()) {
            w.write(JSON.writeValueAsString(OsvRecords.toStore(a)));
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

  static Parsed parseAll(Path source, Limits limits) throws IOException {
    Parsed out = new Parsed();
    OsvSource.read(
        source,
        limits,
        (file, content) -> {
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
            out.problems.add(
                new Problem(
                    file + (loc != null && loc.getLineNr() > 0 ? ":" + loc.getLineNr() : ""),
                    "not valid JSON: " + e.getOriginalMessage()));
            return;
          } catch (IOException e) {
            out.problems.add(new Problem(file, "could not read: " + e.getMessage()));
            return;
          }
          if (root == null) {
            out.problems.add(new Problem(file, "the file is empty; expected an OSV record"));
            return;
          }
          try {
            OsvRecords.Parsed p = OsvRecords.parse(root, stem);
            if (!p.note().isEmpty()) {
              out.problems.add(new Problem(file, p.note()));
            }
            if (p.withdrawn()) {
              out.withdrawn++;
              return;
            }
            if (p.advisories().isEmpty()) {
              out.otherEcosystems++;
              return;
            }
            for (Advisory a : p.advisories()) {
              out.advisories.add(a);
              out.imported
                  .computeIfAbsent(a.ecosystem(), k -> new EnumMap<>(AdvisoryKind.class))
                  .merge(a.kind(), 1, Integer::sum);
            }
          } catch (OsvRecords.BadRecord e) {
            out.problems.add(new Problem(file, e.getMessage()));
          }
        },
        out.problems);
    return out;
  }

  static <K, V> Map<K, V> unmodifiable(Map<K, V> m) {
    return Collections.unmodifiableMap(m);
  }
}
