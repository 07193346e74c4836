package io.vigil.server;

import io.vigil.server.spool.Spool;
import io.vigil.store.EventStore;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/**
 * Every setting of {@code vigil serve}, read from a YAML file ({@code vigil.yml}) and overridden by
 * command-line flags. Unknown keys are errors that name the key and the keys allowed there.
 *
 * <pre>{@code
 * data: ./vigil-data
 * http:     {bind: 0.0.0.0, port: 8080, max-body-bytes: 32m, max-concurrent-ingest: 4}
 * syslog:   {bind: 0.0.0.0, port: 5514, udp: true, tcp: true, max-message-bytes: 64k,
 *            tls: {keystore: server.p12, password: changeit}}
 * rules: [/etc/vigil/rules]
 * starter-rules: true
 * inputs:   {watch: [/var/log/vigil-in], poll-interval: 1s, max-line-bytes: 1m}
 * spool:    {segment-bytes: 64m, fsync: always, fsync-interval: 200ms, max-record-bytes: 16m,
 *            max-backlog-bytes: 1g}
 * database: {url: "jdbc:postgresql://db/vigil", user: vigil, password: secret}
 * store:    {max-age: 30d, max-bytes: 10g}
 * pipeline: {threads: 2, batch-records: 4096, commit-interval: 5s}
 * }</pre>
 */
public record ServerConfig(
    Path dataDir,
    Http http,
    Syslog syslog,
    List<Path> rules,
    boolean starterRules,
    Inputs inputs,
    Spool.Settings spool,
    long maxBacklogBytes,
    Database database,
    EventStore.Settings store,
    Pipeline pipeline) {

  public ServerConfig {
    rules = List.copyOf(rules);
  }

  /** The HTTP listener. {@code maxBodyBytes} counts decompressed bytes. */
  public record Http(String bind, int port, long maxBodyBytes, int maxConcurrentIngest) {}

  /**
   * The syslog listeners (UDP and TCP on the same port); TLS on TCP when a PKCS12 keystore is
   * given.
   */
  public record Syslog(
      String bind,
      int port,
      boolean udp,
      boolean tcp,
      int maxMessageBytes,
      Path tlsKeystore,
      String tlsPassword) {}

  /** Watched directories: files in them are tailed. */
  public record Inputs(List<Path> watch, Duration pollInterval, int maxLineBytes) {
    public Inputs {
      watch = List.copyOf(watch);
    }
  }

  /** The relational database; {@code url} null means SQLite at {@code DATA/vigil.db}. */
  public record Database(String url, String user, String password) {}

  /**
   * The detection stage: worker threads, records per batch, how often outputs are committed (a
   * commit makes events searchable; each one flushes and fsyncs the store, so a longer interval
   * costs less CPU and replays more after a crash). Default 5 s.
   */
  public record Pipeline(int threads, int batchRecords, Duration commitInterval) {}

  /** Defaults: ./vigil-data, HTTP 8080, syslog 5514, starter rules, fsync always. */
  public static ServerConfig defaults() {
    return new ServerConfig(
        Path.of("vigil-data"),
        new Http("0.0.0.0", 8080, 32L << 20, 4),
        new Syslog("0.0.0.0", 5514, true, true, 64 << 10, null, null),
        List.of(),
        true,
        new Inputs(List.of(), Duration.ofSeconds(1), 1 << 20),
        Spool.Settings.defaults(),
        1L << 30,
        new Database(null, null, null),
        EventStore.Settings.defaults(),
        new Pipeline(
            Math.max(1, Runtime.getRuntime().availableProcessors()), 4096, Duration.ofSeconds(5)));
  }

  /** The JDBC URL in use: the configured one, or SQLite in the data directory. */
  public String jdbcUrl() {
    return database.url() != null
        ? database.url()
        : "jdbc:sqlite:" + dataDir.resolve("vigil.db").toAbsolutePath();
  }

  public ServerConfig withDataDir(Path dir) {
    return new ServerConfig(
        dir,
        http,
        syslog,
        rules,
        starterRules,
        inputs,
        spool,
        maxBacklogBytes,
        database,
        store,
        pipeline);
  }

  public ServerConfig withHttp(Http h) {
    return new ServerConfig(
        dataDir,
        h,
        syslog,
        rules,
        starterRules,
        inputs,
        spool,
        maxBacklogBytes,
        database,
        store,
        pipeline);
  }

  public ServerConfig withSyslog(Syslog s) {
    return new ServerConfig(
        dataDir,
        http,
        s,
        rules,
        starterRules,
        inputs,
        spool,
        maxBacklogBytes,
        database,
        store,
        pipeline);
  }

  public ServerConfig withRules(List<Path> r, boolean starter) {
    return new ServerConfig(
        dataDir,
        http,
        syslog,
        r,
        starter,
        inputs,
        spool,
        maxBacklogBytes,
        database,
        store,
        pipeline);
  }

  public ServerConfig withInputs(Inputs in) {
    return new ServerConfig(
        dataDir,
        http,
        syslog,
        rules,
        starterRules,
        in,
        spool,
        maxBacklogBytes,
        database,
        store,
        pipeline);
  }

  public ServerConfig withSpool(Spool.Settings s, long backlog) {
    return new ServerConfig(
        dataDir, http, syslog, rules, starterRules, inputs, s, backlog, database, store, pipeline);
  }

  public ServerConfig withPipeline(Pipeline p) {
    return new ServerConfig(
        dataDir,
        http,
        syslog,
        rules,
        starterRules,
        inputs,
        spool,
        maxBacklogBytes,
        database,
        store,
        p);
  }

  // ---------------------------------------------------------------- YAML

  private static final Map<String, Set<String>> KEYS = new LinkedHashMap<>();

  static {
    KEYS.put(
        "",
        Set.of(
            "data",
            "http",
            "syslog",
            "rules",
            "starter-rules",
            "inputs",
            "spool",
            "database",
            "store",
            "pipeline"));
    KEYS.put("http", Set.of("bind", "port", "max-body-bytes", "max-concurrent-ingest"));
    KEYS.put("syslog", Set.of("bind", "port", "udp", "tcp", "max-message-bytes", "tls"));
    KEYS.put("syslog.tls", Set.of("keystore", "password"));
    KEYS.put("inputs", Set.of("watch", "poll-interval", "max-line-bytes"));
    KEYS.put(
        "spool",
        Set.of(
            "segment-bytes", "fsync", "fsync-interval", "max-record-bytes", "max-backlog-bytes"));
    KEYS.put("database", Set.of("url", "user", "password"));
    KEYS.put("store", Set.of("max-age", "max-bytes"));
    KEYS.put("pipeline", Set.of("threads", "batch-records", "commit-interval"));
  }

  /**
   * Reads a YAML configuration file over the defaults; relative paths are resolved against the
   * file's directory.
   *
   * @throws IllegalArgumentException naming the file, the key and what is allowed
   */
  public static ServerConfig load(Path file) throws IOException {
    String text = Files.readString(file, StandardCharsets.UTF_8);
    Object root;
    try {
      root =
          new Load(LoadSettings.builder().setMaxAliasesForCollections(10).build())
              .loadFromString(text);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException(file + ": not valid YAML: " + e.getMessage(), e);
    }
    Path base = file.toAbsolutePath().getParent();
    try {
      return parse(root == null ? Map.of() : root, base);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
    }
  }

  /** Parses a YAML document already loaded into maps and lists. */
  static ServerConfig parse(Object root, Path base) {
    ServerConfig d = defaults();
    Map<String, Object> top = section(root, "");
    Path data = top.containsKey("data") ? path(base, str(top, "", "data")) : d.dataDir();

    Map<String, Object> h = section(top.get("http"), "http");
    Http http =
        new Http(
            h.containsKey("bind") ? str(h, "http", "bind") : d.http().bind(),
            h.containsKey("port") ? port(h, "http", "port") : d.http().port(),
            h.containsKey("max-body-bytes")
                ? bytes(h, "http", "max-body-bytes")
                : d.http().maxBodyBytes(),
            h.containsKey("max-concurrent-ingest")
                ? intIn(h, "http", "max-concurrent-ingest", 1, 1024)
                : d.http().maxConcurrentIngest());

    Map<String, Object> s = section(top.get("syslog"), "syslog");
    Map<String, Object> tls = section(s.get("tls"), "syslog.tls");
    if (tls.containsKey("keystore") != tls.containsKey("password")) {
      throw new IllegalArgumentException(
          "syslog.tls needs both keystore (a PKCS12 file) and password");
    }
    Syslog syslog =
        new Syslog(
            s.containsKey("bind") ? str(s, "syslog", "bind") : d.syslog().bind(),
            s.containsKey("port") ? port(s, "syslog", "port") : d.syslog().port(),
            s.containsKey("udp") ? bool(s, "syslog", "udp") : true,
            s.containsKey("tcp") ? bool(s, "syslog", "tcp") : true,
            s.containsKey("max-message-bytes")
                ? (int) Math.min(bytes(s, "syslog", "max-message-bytes"), 16L << 20)
                : d.syslog().maxMessageBytes(),
            tls.containsKey("keystore") ? path(base, str(tls, "syslog.tls", "keystore")) : null,
            tls.containsKey("password") ? str(tls, "syslog.tls", "password") : null);

    List<Path> rules = new ArrayList<>();
    if (top.containsKey("rules")) {
      for (String r : strings(top.get("rules"), "rules")) {
        rules.add(path(base, r));
      }
    }
    boolean starter = top.containsKey("starter-rules") ? bool(top, "", "starter-rules") : true;

    Map<String, Object> in = section(top.get("inputs"), "inputs");
    List<Path> watch = new ArrayList<>();
    if (in.containsKey("watch")) {
      for (String w : strings(in.get("watch"), "inputs.watch")) {
        watch.add(path(base, w));
      }
    }
    Inputs inputs =
        new Inputs(
            watch,
            in.containsKey("poll-interval")
                ? duration(in, "inputs", "poll-interval")
                : d.inputs().pollInterval(),
            in.containsKey("max-line-bytes")
                ? (int) Math.min(bytes(in, "inputs", "max-line-bytes"), 16L << 20)
                : d.inputs().maxLineBytes());

    Map<String, Object> sp = section(top.get("spool"), "spool");
    Spool.Settings ds = d.spool();
    Spool.Settings spool =
        new Spool.Settings(
            sp.containsKey("segment-bytes")
                ? bytes(sp, "spool", "segment-bytes")
                : ds.segmentBytes(),
            sp.containsKey("fsync") ? Spool.Fsync.parse(str(sp, "spool", "fsync")) : ds.fsync(),
            sp.containsKey("fsync-interval")
                ? duration(sp, "spool", "fsync-interval")
                : ds.fsyncInterval(),
            sp.containsKey("max-record-bytes")
                ? (int) Math.min(bytes(sp, "spool", "max-record-bytes"), 1L << 30)
                : ds.maxRecordBytes());
    long backlog =
        sp.containsKey("max-backlog-bytes")
            ? bytes(sp, "spool", "max-backlog-bytes")
            : d.maxBacklogBytes();

    Map<String, Object> db = section(top.get("database"), "database");
    Database database =
        new Database(
            db.containsKey("url") ? str(db, "database", "url") : null,
            db.containsKey("user") ? str(db, "database", "user") : null,
            db.containsKey("password") ? str(db, "database", "password") : null);

    Map<String, Object> st = section(top.get("store"), "store");
    EventStore.Settings store =
        new EventStore.Settings(
            st.containsKey("max-age") ? duration(st, "store", "max-age") : d.store().maxAge(),
            st.containsKey("max-bytes") ? bytes(st, "store", "max-bytes") : d.store().maxBytes());

    Map<String, Object> p = section(top.get("pipeline"), "pipeline");
    Pipeline pipeline =
        new Pipeline(
            p.containsKey("threads")
                ? intIn(p, "pipeline", "threads", 1, 256)
                : d.pipeline().threads(),
            p.containsKey("batch-records")
                ? intIn(p, "pipeline", "batch-records", 1, 1_000_000)
                : d.pipeline().batchRecords(),
            p.containsKey("commit-interval")
                ? duration(p, "pipeline", "commit-interval")
                : d.pipeline().commitInterval());
    return new ServerConfig(
        data, http, syslog, rules, starter, inputs, spool, backlog, database, store, pipeline);
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> section(Object node, String name) {
    if (node == null) {
      return Map.of();
    }
    if (!(node instanceof Map<?, ?> map)) {
      throw new IllegalArgumentException(
          (name.isEmpty() ? "the file" : name)
              + " must be a mapping of settings, not "
              + describe(node));
    }
    Set<String> allowed = KEYS.get(name);
    for (Object key : map.keySet()) {
      if (!allowed.contains(String.valueOf(key))) {
        throw new IllegalArgumentException(
            "unknown setting '"
                + (name.isEmpty() ? "" : name + ".")
                + key
                + "'; allowed "
                + (name.isEmpty() ? "at the top" : "under " + name)
                + ": "
                + String.join(", ", allowed.stream().sorted().toList()));
      }
    }
    return (Map<String, Object>) map;
  }

  private static String describe(Object o) {
    return o instanceof List<?> ? "a list" : "'" + o + "'";
  }

  private static String str(Map<String, Object> m, String section, String key) {
    Object v = m.get(key);
    if (v == null || v instanceof Map<?, ?> || v instanceof List<?>) {
      throw new IllegalArgumentException(name(section, key) + " must be a text value");
    }
    return String.valueOf(v);
  }

  private static String name(String section, String key) {
    return section.isEmpty() ? key : section + "." + key;
  }

  private static List<String> strings(Object v, String name) {
    if (v instanceof String one) {
      return List.of(one);
    }
    if (!(v instanceof List<?> list)) {
      throw new IllegalArgumentException(name + " must be a list of paths, not " + describe(v));
    }
    List<String> out = new ArrayList<>();
    for (Object o : list) {
      out.add(String.valueOf(o));
    }
    return out;
  }

  private static Path path(Path base, String p) {
    Path path = Path.of(p);
    return path.isAbsolute() || base == null ? path : base.resolve(path).normalize();
  }

  private static boolean bool(Map<String, Object> m, String section, String key) {
    Object v = m.get(key);
    if (v instanceof Boolean b) {
      return b;
    }
    throw new IllegalArgumentException(
        name(section, key) + " must be true or false, not " + describe(v));
  }

  private static int port(Map<String, Object> m, String section, String key) {
    return intIn(m, section, key, 0, 65535);
  }

  private static int intIn(Map<String, Object> m, String section, String key, int min, int max) {
    Object v = m.get(key);
    if (v instanceof Number n && n.longValue() >= min && n.longValue() <= max) {
      return n.intValue();
    }
    throw new IllegalArgumentException(
        name(section, key)
            + " must be a whole number from "
            + min
            + " to "
            + max
            + ", not "
            + describe(v));
  }

  private static long bytes(Map<String, Object> m, String section, String key) {
    try {
      return parseBytes(String.valueOf(m.get(key)));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          name(section, key)
              + " must be a size such as 65536, 64k, 32m or 1g, not "
              + describe(m.get(key)));
    }
  }

  private static Duration duration(Map<String, Object> m, String section, String key) {
    try {
      return parseDuration(String.valueOf(m.get(key)));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          name(section, key)
              + " must be a duration such as 200ms, 5s, 10m, 12h or 30d, not "
              + describe(m.get(key)));
    }
  }

  /** Parses {@code 65536}, {@code 64k}, {@code 32m}, {@code 1g}, {@code 2GiB} (powers of 1024). */
  public static long parseBytes(String text) {
    String t = text.strip().toLowerCase(Locale.ROOT).replace("ib", "").replace("b", "");
    long unit = 1;
    if (t.endsWith("k")) {
      unit = 1L << 10;
    } else if (t.endsWith("m")) {
      unit = 1L << 20;
    } else if (t.endsWith("g")) {
      unit = 1L << 30;
    } else if (t.endsWith("t")) {
      unit = 1L << 40;
    }
    if (unit != 1) {
      t = t.substring(0, t.length() - 1).strip();
    }
    long n = Long.parseLong(t);
    if (n < 0) {
      throw new IllegalArgumentException("negative size");
    }
    return Math.multiplyExact(n, unit);
  }

  /** Parses {@code 200ms}, {@code 5s}, {@code 10m}, {@code 12h}, {@code 30d}. */
  public static Duration parseDuration(String text) {
    String t = text.strip().toLowerCase(Locale.ROOT);
    int i = 0;
    while (i < t.length() && Character.isDigit(t.charAt(i))) {
      i++;
    }
    if (i == 0) {
      throw new IllegalArgumentException("no number");
    }
    long n = Long.parseLong(t.substring(0, i));
    return switch (t.substring(i).strip()) {
      case "ms" -> Duration.ofMillis(n);
      case "s", "" -> Duration.ofSeconds(n);
      case "m" -> Duration.ofMinutes(n);
      case "h" -> Duration.ofHours(n);
      case "d" -> Duration.ofDays(n);
      default -> throw new IllegalArgumentException("unknown unit");
    };
  }
}
