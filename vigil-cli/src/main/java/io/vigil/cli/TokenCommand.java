package io.vigil.cli;

import io.vigil.server.ServerConfig;
import io.vigil.store.db.Database;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code vigil token}: API tokens for the server, stored hashed in its database. */
@Command(
    name = "token",
    mixinStandardHelpOptions = true,
    description = "Manage API tokens of the Vigil server.",
    subcommands = {TokenCommand.Create.class})
final class TokenCommand implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** {@code vigil token create}: prints a new token once. */
  @Command(
      name = "create",
      mixinStandardHelpOptions = true,
      description = {
        "Create an API token and print it (only its hash is stored; it is shown this once).",
        "Works whether the server runs or not (the SQLite database is shared safely)."
      })
  static final class Create implements Callable<Integer> {
    private static final Pattern ROLE = Pattern.compile("[a-z][a-z0-9_-]{0,31}");

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Option(
        names = "--role",
        required = true,
        paramLabel = "ROLE",
        description = "The token's role, e.g. admin, analyst, ingest.")
    String role;

    @Option(names = "--name", paramLabel = "NAME", description = "Who or what the token is for.")
    String name;

    @Option(names = "--config", paramLabel = "FILE", description = "The server's YAML settings.")
    Path config;

    @Option(
        names = "--data",
        paramLabel = "DIR",
        description = "The server's data directory. Default: ./vigil-data.")
    Path data;

    @Override
    public Integer call() {
      PrintWriter err = spec.commandLine().getErr();
      if (!ROLE.matcher(role).matches()) {
        err.println(
            "vigil token create: role '"
                + role
                + "' is not a role name; give lower-case letters, digits, '-' or '_' (e.g."
                + " admin, analyst)");
        err.flush();
        return 2;
      }
      ServerConfig cfg;
      try {
        cfg = config == null ? ServerConfig.defaults() : ServerConfig.load(config);
      } catch (IOException | IllegalArgumentException e) {
        err.println("vigil token create: " + e.getMessage());
        err.flush();
        return 2;
      }
      if (data != null) {
        cfg = cfg.withDataDir(data);
      }
      try {
        java.nio.file.Files.createDirectories(cfg.dataDir());
      } catch (IOException e) {
        err.println("vigil token create: cannot create " + cfg.dataDir() + ": " + e.getMessage());
        err.flush();
        return 2;
      }
      try (Database db =
          Database.open(cfg.jdbcUrl(), cfg.database().user(), cfg.database().password())) {
        String token = db.tokens().create(role, name == null ? role : name);
        spec.commandLine().getOut().println(token);
        spec.commandLine().getOut().flush();
        return 0;
      } catch (SQLException e) {
        err.println(
            "vigil token create: cannot open the database "
                + cfg.jdbcUrl()
                + ": "
                + e.getMessage());
        err.flush();
        return 2;
      }
    }
  }
}
