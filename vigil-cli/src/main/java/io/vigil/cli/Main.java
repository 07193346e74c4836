package io.vigil.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code vigil} command: one entry point, one subcommand per job. */
@Command(
    name = "vigil",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    description = "Vigil: an open-source Security Operations Center in one program.",
    subcommands = {
      HuntCommand.class,
      RulesCommand.class,
      ScanCommand.class,
      OsvCommand.class,
      LogsCommand.class,
      ServeCommand.class,
      ImportCommand.class,
      TokenCommand.class,
      CommandLine.HelpCommand.class
    })
public final class Main implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  public static void main(String[] args) {
    System.exit(run(args));
  }

  /** Runs the command line and returns the exit code (0 ok, 1 findings, 2 usage or input error). */
  public static int run(String... args) {
    CommandLine cli = new CommandLine(new Main());
    cli.setExecutionExceptionHandler(
        (ex, commandLine, parseResult) -> {
          commandLine.getErr().println("vigil: " + ex.getMessage());
          return 2;
        });
    cli.setParameterExceptionHandler(
        (ex, args1) -> {
          CommandLine cmd = ex.getCommandLine();
          cmd.getErr().println("vigil: " + ex.getMessage());
          cmd.getErr()
              .println("Run '" + cmd.getCommandSpec().qualifiedName() + " --help' for usage.");
          return 2;
        });
    return cli.execute(args);
  }

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** Reads the version from the jar manifest, or "development" when run from classes. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = Main.class.getPackage().getImplementationVersion();
      return new String[] {"vigil " + (v == null ? "development" : v)};
    }
  }
}
