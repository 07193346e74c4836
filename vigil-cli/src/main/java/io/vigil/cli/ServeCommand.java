package io.vigil.cli;

import io.vigil.server.ServerConfig;
import io.vigil.server.VigilServer;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code vigil serve}: the SOC in one process. Settings come from a YAML file (see {@link
 * ServerConfig}); the flags here override it.
 */
@Command(
    name = "serve",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Run the Vigil server: HTTP API and bulk ingestion, syslog (UDP and TCP), watched"
          + " directories, a durable spool, real-time Sigma detection, the Lucene event store and"
          + " alerts in SQLite (or PostgreSQL).",
      "",
      "On first start an admin token is created and printed once; set VIGIL_ADMIN_TOKEN to"
          + " choose it. 'vigil token create --role ROLE' makes more."
    })
final class ServeCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(names = "--config", paramLabel = "FILE", description = "YAML settings (vigil.yml).")
  Path config;

  @Option(
      names = "--data",
      paramLabel = "DIR",
      description = "Data directory (spool, events, vigil.db). Default: ./vigil-data.")
  Path data;

  @Option(names = "--http-port", paramLabel = "N", description = "HTTP port. Default: 8080.")
  Integer httpPort;

  @Option(
      names = "--syslog-port",
      paramLabel = "N",
      description = "syslog port, UDP and TCP. Default: 5514.")
  Integer syslogPort;

  @Option(
      names = "--rules",
      paramLabel = "PATH",
      description = "Sigma rule file or directory (repeat for more), besides the configured ones.")
  List<Path> rules = new ArrayList<>();

  @Option(
      names = "--no-starter-rules",
      description = "Do not load the starter rules that ship with Vigil.")
  boolean noStarter;

  @Override
  public Integer call() throws Exception {
    PrintWriter err = spec.commandLine().getErr();
    ServerConfig cfg;
    try {
      cfg = config == null ? ServerConfig.defaults() : ServerConfig.load(config);
    } catch (IOException | IllegalArgumentException e) {
      err.println("vigil serve: " + e.getMessage());
      err.flush();
      return 2;
    }
    cfg = ServeOptions.apply(cfg, data, httpPort, syslogPort);
    List<Path> allRules = new ArrayList<>(cfg.rules());
    allRules.addAll(rules);
    boolean starter = cfg.starterRules() && !noStarter;
    cfg = cfg.withRules(allRules, starter);
    Path starterDir = starter ? HuntExamples.starterRules() : null;
    VigilServer server;
    CompilerHints.apply(); // rule loading and bucket building run once: C1 is enough for them
    try {
      server =
          VigilServer.start(
              cfg,
              starterDir == null ? List.of() : List.of(starterDir),
              System.getenv("VIGIL_ADMIN_TOKEN"),
              System.out);
    } catch (IOException e) {
      err.println("vigil serve: " + e.getMessage());
      err.flush();
      return 2;
    } finally {
      if (starterDir != null) {
        HuntExamples.delete(starterDir); // the rules are compiled; the files are not needed
      }
    }
    // loading thousands of rules leaves ~100s of MB of garbage; collect it now so that the idle
    // server gives that memory back (with G1, as the launcher starts it)
    System.gc();
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  try {
                    server.close();
                  } catch (IOException e) {
                    System.err.println("vigil serve: shutdown: " + e.getMessage());
                  }
                },
                "vigil-shutdown"));
    server.awaitShutdown();
    return 0;
  }

  /** Flags over the configuration. */
  static final class ServeOptions {
    private ServeOptions() {}

    static ServerConfig apply(ServerConfig cfg, Path data, Integer httpPort, Integer syslogPort) {
      if (data != null) {
        cfg = cfg.withDataDir(data);
      }
      if (httpPort != null) {
        ServerConfig.Http h = cfg.http();
        cfg =
            cfg.withHttp(
                new ServerConfig.Http(
                    h.bind(), httpPort, h.maxBodyBytes(), h.maxConcurrentIngest()));
      }
      if (syslogPort != null) {
        ServerConfig.Syslog s = cfg.syslog();
        cfg =
            cfg.withSyslog(
                new ServerConfig.Syslog(
                    s.bind(),
                    syslogPort,
                    s.udp(),
                    s.tcp(),
                    s.maxMessageBytes(),
                    s.tlsKeystore(),
                    s.tlsPassword()));
      }
      return cfg;
    }
  }
}
