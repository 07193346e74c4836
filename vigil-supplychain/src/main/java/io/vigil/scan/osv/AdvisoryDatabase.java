package io.vigil.scan.osv;

import io.vigil.scan.Ecosystem;
import io.vigil.scan.Finding;
import io.vigil.scan.ScoreCategory;
import io.vigil.scan.Severity;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.zip.GZIPInputStream;

/**
 * Known-malicious packages and known vulnerabilities from OSV records, indexed by ecosystem and
 * normalized package name (npm as is, PyPI by PEP 503, Maven {@code groupId:artifactId}), matched
 * against a version by the record's {@code versions} list and its SEMVER/ECOSYSTEM ranges with the
 * ecosystem's own version order. Immutable and thread-safe once loaded.
 *
 * <pre>{@code
 * AdvisoryDatabase osv = AdvisoryDatabase.loadDefault();
 * osv.warning().ifPresent(System.err::println);   // "no advisory data: run vigil osv import …"
 * List<Finding> f = osv.findings(Ecosystem.NPM, "chalk", "5.6.1");
 * }</pre>
 */
public final class AdvisoryDatabase {
  static final String STORE_FORMAT = "1";
  static final String META_FILE = "store.json";

  private final Map<Ecosystem, Map<String, List<Held>>> byName;
  private final Map<Ecosystem, Map<AdvisoryKind, Integer>> counts;
  private final List<String> problems;
  private final String origin;
  private final String emptyWarning;

  /**
   * One advisory as held in memory: already parsed, or its stored JSON line, parsed on lookup (so
   * loading tens of thousands of records only splits lines).
   */
  private sealed interface Held permits Parsed, Stored {
    Advisory advisory() throws OsvRecords.BadRecord;
  }

  private record Parsed(Advisory advisory) implements Held {}

  private record Stored(Ecosystem ecosystem, String json) implements Held {
    @Override
    public Advisory advisory() throws OsvRecords.BadRecord {
      try {
        return OsvRecords.fromStore(OsvImport.JSON.readTree(json), ecosystem);
      } catch (IOException e) {
        throw new OsvRecords.BadRecord("damaged stored advisory: " + e.getMessage());
      }
    }
  }

  private AdvisoryDatabase(
      Map<Ecosystem, Map<String, List<Held>>> byName,
      Map<Ecosystem, Map<AdvisoryKind, Integer>> counts,
      List<String> problems,
      String origin,
      String emptyWarning) {
    this.byName = byName;
    this.counts = copyCounts(counts);
    this.problems = List.copyOf(problems);
    this.origin = origin;
    this.emptyWarning = emptyWarning;
  }

  private static AdvisoryDatabase ofParsed(
      List<Advisory> advisories, List<String> problems, String origin, String emptyWarning) {
    Map<Ecosystem, Map<String, List<Held>>> index = new EnumMap<>(Ecosystem.class);
    Map<Ecosystem, Map<AdvisoryKind, Integer>> c = new EnumMap<>(Ecosystem.class);
    for (Advisory a : advisories) {
      Map<String, List<Held>> m = index.computeIfAbsent(a.ecosystem(), k -> new HashMap<>());
      Held h = new Parsed(a);
      for (String n : names(a)) {
        m.computeIfAbsent(n, k -> new ArrayList<>(1)).add(h);
      }
      c.computeIfAbsent(a.ecosystem(), k -> new EnumMap<>(AdvisoryKind.class))
          .merge(a.kind(), 1, Integer::sum);
    }
    return new AdvisoryDatabase(index, c, problems, origin, emptyWarning);
  }

  /** The normalized names an advisory is indexed under. */
  static Set<String> names(Advisory a) {
    Set<String> names = new LinkedHashSet<>();
    for (Advisory.Affected x : a.affected()) {
      names.add(normalize(a.ecosystem(), x.name()));
    }
    return names;
  }

  /** An empty database (no advisory data). */
  public static AdvisoryDatabase empty() {
    return ofParsed(
        List.of(), List.of(), "(none)", "no advisory data: run vigil osv import DIR|ZIP");
  }

  /** {@code $VIGIL_HOME/osv} when set, else {@code ~/.local/share/vigil/osv}. */
  public static Path defaultDataDir() {
    String home = System.getenv("VIGIL_HOME");
    if (home != null && !home.isBlank()) {
      return Path.of(home, "osv");
    }
    return Path.of(System.getProperty("user.home"), ".local", "share", "vigil", "osv");
  }

  /** Loads the store that {@code vigil osv import} wrote in {@link #defaultDataDir()}. */
  public static AdvisoryDatabase loadDefault() throws IOException {
    return load(defaultDataDir());
  }

  /**
   * Loads the store in {@code dataDir}. A missing or empty store is not an error: the database is
   * empty and {@link #warning()} says what to run. Damaged lines are skipped and listed in {@link
   * #problems()}.
   *
   * @throws IOException when a store file exists but cannot be read
   */
  public static AdvisoryDatabase load(Path dataDir) throws IOException {
    checkFormat(dataDir);
    Map<Ecosystem, Map<String, List<Held>>> index = new EnumMap<>(Ecosystem.class);
    Map<Ecosystem, Map<AdvisoryKind, Integer>> c = new EnumMap<>(Ecosystem.class);
    List<String> problems = new ArrayList<>();
    for (Ecosystem e : Ecosystem.values()) {
      Map<String, List<Held>> m = new HashMap<>();
      for (StoreLine line : readStoreLines(dataDir, e, problems)) {
        Held h = new Stored(e, line.json());
        for (String n : line.names()) {
          m.computeIfAbsent(n, k -> new ArrayList<>(1)).add(h);
        }
        c.computeIfAbsent(e, k -> new EnumMap<>(AdvisoryKind.class))
            .merge(line.kind(), 1, Integer::sum);
      }
      if (!m.isEmpty()) {
        index.put(e, m);
      }
    }
    String warning =
        c.isEmpty()
            ? "no advisory data in "
                + dataDir
                + ": run vigil osv import DIR|ZIP (OSV records, e.g. the OpenSSF"
                + " malicious-packages osv/ folder) to enable known-malicious and vulnerability"
                + " checks"
            : null;
    return new AdvisoryDatabase(index, c, problems, dataDir.toString(), warning);
  }

  /**
   * Reads raw OSV records (directory tree or {@code .zip}) straight into memory, without writing a
   * store; bad records are listed in {@link #problems()}.
   */
  public static AdvisoryDatabase fromOsvRecords(Path dirOrZip) throws IOException {
    OsvImport.Parsed p = OsvImport.parseAll(dirOrZip, OsvImport.Limits.DEFAULTS);
    List<String> problems = new ArrayList<>();
    p.problems.forEach(x -> problems.add(x.toString()));
    String warning = p.advisories.isEmpty() ? "no advisory records found in " + dirOrZip : null;
    return ofParsed(p.advisories, problems, dirOrZip.toString(), warning);
  }

  /** Refuses a store written in another format (by another Vigil version). */
  static void checkFormat(Path dataDir) throws IOException {
    Path meta = dataDir.resolve(META_FILE);
    if (!Files.isRegularFile(meta)) {
      return;
    }
    String format;
    try {
      format = OsvImport.JSON.readTree(meta.toFile()).path("format").asText("");
    } catch (IOException e) {
      throw new IOException(
          meta + " is not readable JSON (" + e.getMessage() + "); run vigil osv import again", e);
    }
    if (!format.equals(STORE_FORMAT)) {
      throw new IOException(
          "the advisory store in "
              + dataDir
              + " has format '"
              + format
              + "', this Vigil reads format '"
              + STORE_FORMAT
              + "'; delete the folder and run vigil osv import again");
    }
  }

  static Path storeFile(Path dataDir, Ecosystem e) {
    return dataDir.resolve(e.name().toLowerCase(Locale.ROOT) + ".jsonl.gz");
  }

  /**
   * One line of the store: {@code KIND <tab> ID <tab> NAME[ NAME…] <tab> JSON}, so loading needs no
   * JSON parsing.
   */
  record StoreLine(AdvisoryKind kind, String id, List<String> names, String json) {
    String text() {
      return kind.name() + "\t" + id + "\t" + String.join(" ", names) + "\t" + json;
    }
  }

  static List<StoreLine> readStoreLines(Path dataDir, Ecosystem e, List<String> problems)
      throws IOException {
    Path f = storeFile(dataDir, e);
    if (!Files.isRegularFile(f)) {
      return List.of();
    }
    List<StoreLine> out = new ArrayList<>();
    try (BufferedReader r =
        new BufferedReader(
            new InputStreamReader(
                new GZIPInputStream(Files.newInputStream(f), 1 << 16), StandardCharsets.UTF_8),
            1 << 16)) {
      String line;
      int n = 0;
      while ((line = r.readLine()) != null) {
        n++;
        if (line.isBlank()) {
          continue;
        }
        int t1 = line.indexOf('\t');
        int t2 = t1 < 0 ? -1 : line.indexOf('\t', t1 + 1);
        int t3 = t2 < 0 ? -1 : line.indexOf('\t', t2 + 1);
        AdvisoryKind kind = null;
        if (t3 > 0) {
          String k = line.substring(0, t1);
          kind =
              k.equals("MALICIOUS")
                  ? AdvisoryKind.MALICIOUS
                  : k.equals("VULNERABILITY") ? AdvisoryKind.VULNERABILITY : null;
        }
        if (kind == null || t2 == t1 + 1 || t3 == t2 + 1) {
          problems.add(
              f
                  + ":"
                  + n
                  + ": skipped a damaged line (expected KIND, id, names and JSON separated by"
                  + " tabs); run vigil osv import again to rebuild the store");
          continue;
        }
        out.add(
            new StoreLine(
                kind,
                line.substring(t1 + 1, t2),
                List.of(line.substring(t2 + 1, t3).split(" ")),
                line.substring(t3 + 1)));
      }
    } catch (java.util.zip.ZipException | java.io.EOFException ex) {
      throw new IOException(
          f
              + " is not a complete gzip file ("
              + ex.getMessage()
              + "); delete it and run vigil osv"
              + " import",
          ex);
    }
    return out;
  }

  /** The name as the index keys it: PEP 503 for PyPI, lower case otherwise. */
  static String normalize(Ecosystem e, String name) {
    String n = name.trim().toLowerCase(Locale.ROOT);
    return e == Ecosystem.PYPI ? n.replaceAll("[-_.]+", "-") : n;
  }

  /**
   * The advisories that apply to one package version: {@code known-malicious} findings (CRITICAL,
   * category SUPPLY_CHAIN) and {@code known-vulnerability} findings (severity from the record,
   * category VULNERABILITY). With an empty {@code version} only records that cover every version of
   * the package apply.
   */
  public List<Finding> findings(Ecosystem ecosystem, String name, String version) {
    Objects.requireNonNull(ecosystem, "ecosystem");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(version, "version");
    List<Held> candidates =
        byName
            .getOrDefault(ecosystem, Map.of())
            .getOrDefault(normalize(ecosystem, name), List.of());
    List<Finding> out = new ArrayList<>();
    Set<String> seen = new LinkedHashSet<>();
    for (Held h : candidates) {
      Advisory a;
      try {
        a = h.advisory();
      } catch (OsvRecords.BadRecord e) {
        continue;
      }
      if (seen.contains(a.id())) {
        continue;
      }
      String key = normalize(ecosystem, name);
      Advisory.Affected hit = null;
      for (Advisory.Affected x : a.affected()) {
        if (normalize(ecosystem, x.name()).equals(key) && Matching.affects(ecosystem, x, version)) {
          hit = x;
          break;
        }
      }
      if (hit != null) {
        seen.add(a.id());
        String fixed =
            a.kind() == AdvisoryKind.VULNERABILITY && !version.isEmpty()
                ? Matching.firstFixedAfter(ecosystem, hit, version).orElse("")
                : "";
        out.add(finding(a, name, version, fixed));
      }
    }
    out.sort(Comparator.comparing(Finding::severity).reversed());
    return out;
  }

  private static Finding finding(Advisory a, String name, String version, String fixed) {
    boolean mal = a.kind() == AdvisoryKind.MALICIOUS;
    StringBuilder ev = new StringBuilder(a.id());
    ev.append(": ")
        .append(
            a.summary().isEmpty() ? (mal ? "malicious package" : "vulnerability") : a.summary());
    ev.append(" (")
        .append(name)
        .append(version.isEmpty() ? ", every version" : " " + version)
        .append(fixed.isEmpty() ? "" : ", fixed in " + fixed)
        .append(')');
    if (!a.aliases().isEmpty()) {
      ev.append(" aliases ").append(String.join(", ", a.aliases()));
    }
    String evidence = ev.length() > 300 ? ev.substring(0, 299) + "…" : ev.toString();
    return new Finding(
        mal ? "known-malicious" : "known-vulnerability",
        mal ? ScoreCategory.SUPPLY_CHAIN : ScoreCategory.VULNERABILITY,
        mal ? Severity.CRITICAL : a.severity(),
        "",
        0,
        evidence,
        a.why());
  }

  /** True when no advisory was loaded. */
  public boolean isEmpty() {
    return counts.isEmpty();
  }

  /** When empty: what to run to get advisory data. */
  public Optional<String> warning() {
    return isEmpty() ? Optional.ofNullable(emptyWarning) : Optional.empty();
  }

  /** Advisories per ecosystem and kind. */
  public Map<Ecosystem, Map<AdvisoryKind, Integer>> counts() {
    return counts;
  }

  /** All advisories loaded. */
  public int size() {
    return counts.values().stream()
        .flatMap(m -> m.values().stream())
        .mapToInt(Integer::intValue)
        .sum();
  }

  /** Damaged records or store lines that were skipped. */
  public List<String> problems() {
    return problems;
  }

  /** Where the data came from (a store directory or a records folder). */
  public String origin() {
    return origin;
  }

  static Map<Ecosystem, Map<AdvisoryKind, Integer>> copyCounts(
      Map<Ecosystem, Map<AdvisoryKind, Integer>> m) {
    Map<Ecosystem, Map<AdvisoryKind, Integer>> out = new EnumMap<>(Ecosystem.class);
    m.forEach((k, v) -> out.put(k, java.util.Collections.unmodifiableMap(new EnumMap<>(v))));
    return java.util.Collections.unmodifiableMap(out);
  }
}
