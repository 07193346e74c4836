package io.vigil.server;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A plain entry point to the server without the CLI, for tests that run it as a separate process
 * and for embedding: {@code java -cp ... io.vigil.server.ServerMain [--config FILE] [--data DIR]
 * [--http-port N] [--syslog-port N] [--rules PATH]...}. The admin token comes from {@code
 * VIGIL_ADMIN_TOKEN} when set. {@code vigil serve} is the command users run.
 */
public final class ServerMain {
  private ServerMain() {}

  public static void main(String[] args) throws Exception {
    ServerConfig config = ServerConfig.defaults().withRules(List.of(), false);
    List<Path> rules = new ArrayList<>();
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      String v = i + 1 < args.length ? args[i + 1] : null;
      if (v == null) {
        throw new IllegalArgumentException(a + " needs a value");
      }
      i++;
      switch (a) {
        case "--config" -> config = ServerConfig.load(Path.of(v));
        case "--data" -> config = config.withDataDir(Path.of(v));
        case "--http-port" -> {
          ServerConfig.Http h = config.http();
          config =
              config.withHttp(
                  new ServerConfig.Http(
                      h.bind(), Integer.parseInt(v), h.maxBodyBytes(), h.maxConcurrentIngest()));
        }
        case "--syslog-port" -> {
          ServerConfig.Syslog s = config.syslog();
          config =
              config.withSyslog(
                  new ServerConfig.Syslog(
                      s.bind(),
                      Integer.parseInt(v),
                      s.udp(),
                      s.tcp(),
                      s.maxMessageBytes(),
                      s.tlsKeystore(),
                      s.tlsPassword()));
        }
        case "--rules" -> rules.add(Path.of(v));
        default -> throw new IllegalArgumentException("unknown option " + a);
      }
    }
    VigilServer server =
        VigilServer.start(config, rules, System.getenv("VIGIL_ADMIN_TOKEN"), System.out);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  try {
                    server.close();
                  } catch (Exception e) {
                    System.err.println("vigil: shutdown: " + e.getMessage());
                  }
                },
                "vigil-shutdown"));
    server.awaitShutdown();
  }
}
