package io.vigil.server;

import io.vigil.detect.LoadOptions;
import io.vigil.detect.LoadResult;
import io.vigil.detect.RuleProblem;
import io.vigil.detect.RuleSet;
import io.vigil.server.spool.Spool;
import io.vigil.store.EventStore;
import io.vigil.store.db.Database;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * {@code vigil serve} in one object: opens the data directory (spool, event store, database), loads
 * the rules, starts the detection stage and the inputs (HTTP, syslog, watched directories) and the
 * API.
 *
 * <pre>{@code
 * try (VigilServer server = VigilServer.start(config, starterRules, adminToken, System.out)) {
 *   server.awaitShutdown();
 * }
 * }</pre>
 */
public final class VigilServer implements AutoCloseable {
  private final ServerConfig config;
  private final Spool spool;
  private final EventStore store;
  private final Database db;
  private final Pipeline pipeline;
  private final HttpApi http;
  private final SyslogInput syslog;
  private final DirectoryWatcher watcher;
  private final ScheduledExecutorService housekeeping;
  private final RuleSet rules;
  private final CountDownLatch stopped = new CountDownLatch(1);

  /** Held so that the level set on it is not lost when the logger is collected. */
  private static final Logger FLYWAY_LOG = Logger.getLogger("org.flywaydb");

  private VigilServer(
      ServerConfig config,
      Spool spool,
      EventStore store,
      Database db,
      RuleSet rules,
      Pipeline pipeline,
      HttpApi http,
      SyslogInput syslog,
      DirectoryWatcher watcher,
      ScheduledExecutorService housekeeping) {
    this.config = config;
    this.spool = spool;
    this.store = store;
    this.db = db;
    this.rules = rules;
    this.pipeline = pipeline;
    this.http = http;
    this.syslog = syslog;
    this.watcher = watcher;
    this.housekeeping = housekeeping;
  }

  /** Fewest characters of an admin token given by VIGIL_ADMIN_TOKEN (as for any stored token). */
  static final int MIN_ADMIN_TOKEN_CHARS = 16;

  /**
   * Starts the server.
   *
   * @param config the settings
   * @param extraRules rule paths loaded besides {@code config.rules()} (the starter rules)
   * @param adminToken the initial admin token to store (VIGIL_ADMIN_TOKEN), or null to create one
   *     when no token exists
   * @param out where the startup lines go (where it listens, rule counts, the admin token once)
   * @throws IOException when a listener, the spool or the store cannot be opened, or the admin
   *     token is shorter than {@value #MIN_ADMIN_TOKEN_CHARS} characters
   */
  public static VigilServer start(
      ServerConfig config, List<Path> extraRules, String adminToken, PrintStream out)
      throws IOException {
    if (adminToken != null
        && !adminToken.isBlank()
        && adminToken.strip().length() < MIN_ADMIN_TOKEN_CHARS) {
      // checked before the rules load (seconds) so that the mistake is reported at once
      throw new IOException(
          "VIGIL_ADMIN_TOKEN has "
              + adminToken.strip().length()
              + " characters; at least "
              + MIN_ADMIN_TOKEN_CHARS
              + " are required (generate one with e.g. `openssl rand -base64 32`), or unset it to"
              + " have a token created and printed once");
    }
    Path data = config.dataDir();
    Files.createDirectories(data);
    // Flyway reports every migration check at INFO through java.util.logging; warnings are enough
    FLYWAY_LOG.setLevel(Level.WARNING);
    List<AutoCloseable> opened = new ArrayList<>();
    try {
      List<Path> rulePaths = new ArrayList<>(config.rules());
      rulePaths.addAll(extraRules);
      for (Path p : rulePaths) {
        if (!Files.exists(p)) {
          throw new IOException(
              "rules: " + p + " does not exist; give Sigma rule files or directories");
        }
      }
      long t0 = System.nanoTime();
      LoadResult loaded = RuleSet.load(rulePaths, LoadOptions.defaults());
      long loadMs = (System.nanoTime() - t0) / 1_000_000;
      RuleSet rules = loaded.ruleSet();

      Database db;
      try {
        db =
            Database.open(config.jdbcUrl(), config.database().user(), config.database().password());
      } catch (SQLException e) {
        throw new IOException(
            "cannot open the database "
                + config.jdbcUrl()
                + ": "
                + e.getMessage()
                + " (set database.url, user and password, or leave url out for SQLite)",
            e);
      }
      opened.add(db);
      String printedToken = null;
      if (adminToken != null && !adminToken.isBlank()) {
        db.tokens().storeIfAbsent(adminToken.strip(), "admin", "admin (VIGIL_ADMIN_TOKEN)");
      } else if (db.tokens().isEmpty()) {
        printedToken = db.tokens().create("admin", "admin");
      }

      Spool spool = Spool.open(data.resolve("spool"), config.spool());
      opened.add(spool);
      EventStore store = EventStore.open(data.resolve("events"), config.store());
      opened.add(store);
      Metrics metrics = new Metrics();
      Pipeline pipeline =
          new Pipeline(
              spool,
              rules,
              store,
              db,
              metrics,
              config.pipeline(),
              data.resolve("pipeline-dead-letters"));
      opened.add(pipeline);
      HttpApi http = new HttpApi(config, spool, store, db, metrics, pipeline);
      opened.add(http);
      SyslogInput syslog = null;
      if (config.syslog().udp() || config.syslog().tcp()) {
        syslog = new SyslogInput(config.syslog(), config.maxBacklogBytes(), spool, db, metrics);
        opened.add(syslog);
      }
      DirectoryWatcher watcher = null;
      if (!config.inputs().watch().isEmpty()) {
        watcher =
            new DirectoryWatcher(
                config.inputs(), config.maxBacklogBytes(), data, spool, db, metrics);
        opened.add(watcher);
      }
      ScheduledExecutorService housekeeping =
          Executors.newSingleThreadScheduledExecutor(
              r -> Thread.ofPlatform().name("vigil-retention").daemon().unstarted(r));
      housekeeping.scheduleWithFixedDelay(
          () -> {
            try {
              store.applyRetention(Instant.now());
            } catch (IOException | RuntimeException e) {
              System.err.println("vigil: retention failed: " + e.getMessage());
            }
          },
          1,
          60,
          TimeUnit.MINUTES);

      pipeline.start();
      http.start();
      if (syslog != null) {
        syslog.start();
      }
      if (watcher != null) {
        watcher.start();
      }

      out.printf(Locale.ROOT, "vigil serve: data in %s%n", data.toAbsolutePath().normalize());
      if (spool.recovery().truncatedBytes() > 0) {
        out.println("vigil serve: spool recovery: " + spool.recovery().detail());
      }
      out.printf(
          Locale.ROOT,
          "vigil serve: %d rules loaded of %d (%d problems; 'vigil rules check PATH' lists them)"
              + " in %d ms%n",
          rules.rules().size(),
          loaded.total(),
          loaded.errors().size(),
          loadMs);
      for (RuleProblem p : loaded.errors().subList(0, Math.min(3, loaded.errors().size()))) {
        out.println("  " + p);
      }
      out.printf(
          Locale.ROOT,
          "vigil serve: HTTP API on http://%s:%d/api/v1/ (health: /healthz, metrics: /metrics)%n",
          config.http().bind(),
          http.port());
      if (syslog != null) {
        out.printf(
            Locale.ROOT,
            "vigil serve: syslog on %s port %d (%s%s)%n",
            config.syslog().bind(),
            syslog.port(),
            config.syslog().udp() ? "UDP" : "",
            config.syslog().tcp()
                ? (config.syslog().udp() ? " and " : "") + (syslog.tls() ? "TCP+TLS" : "TCP")
                : "");
      }
      for (Path w : config.inputs().watch()) {
        out.println("vigil serve: watching " + w.toAbsolutePath().normalize());
      }
      out.printf(
          Locale.ROOT,
          "vigil serve: database %s; spool fsync %s%n",
          config.database().url() == null
              ? "SQLite " + data.resolve("vigil.db")
              : config.database().url(),
          config.spool().fsync().name().toLowerCase(Locale.ROOT));
      if (printedToken != null) {
        out.println("vigil serve: admin token (shown once, keep it): " + printedToken);
      } else if (adminToken != null && !adminToken.isBlank()) {
        out.println("vigil serve: admin token from VIGIL_ADMIN_TOKEN");
      }
      out.flush();
      return new VigilServer(
          config, spool, store, db, rules, pipeline, http, syslog, watcher, housekeeping);
    } catch (IOException | RuntimeException e) {
      for (AutoCloseable c : opened.reversed()) {
        try {
          c.close();
        } catch (Exception suppressed) {
          e.addSuppressed(suppressed);
        }
      }
      throw e;
    }
  }

  /** The HTTP port bound (useful with port 0). */
  public int httpPort() {
    return http.port();
  }

  /** The syslog port bound (TCP and UDP), or -1 when syslog is off. */
  public int syslogPort() {
    return syslog == null ? -1 : syslog.port();
  }

  public ServerConfig config() {
    return config;
  }

  /** The loaded rule set. */
  public RuleSet rules() {
    return rules;
  }

  /** The last spool sequence appended. */
  public long lastSequence() {
    return spool.lastSequence();
  }

  /** The last spool sequence the detection stage has committed to the stores. */
  public long committedSequence() {
    return pipeline.committed();
  }

  Pipeline pipeline() {
    return pipeline;
  }

  /** Blocks until {@link #close} is called (e.g. by a shutdown hook). */
  public void awaitShutdown() throws InterruptedException {
    stopped.await();
  }

  /** Stops inputs first, then lets the detection stage commit what it has, then closes stores. */
  @Override
  public void close() throws IOException {
    if (stopped.getCount() == 0) {
      return;
    }
    housekeeping.shutdown();
    if (watcher != null) {
      watcher.close();
    }
    if (syslog != null) {
      syslog.close();
    }
    http.close();
    pipeline.close();
    store.close();
    spool.close();
    db.close();
    stopped.countDown();
  }
}
