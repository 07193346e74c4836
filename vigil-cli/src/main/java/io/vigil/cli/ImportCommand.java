package io.vigil.cli;

import io.vigil.server.EventPoster;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code vigil import}: one-shot load of log files into a running server, through its HTTP API (the
 * server owns its data directory while it runs).
 */
@Command(
    name = "import",
    mixinStandardHelpOptions = true,
    description = {
      "Send the events of log files to a running Vigil server (POST /api/v1/events).",
      "Every format 'vigil hunt' reads is read here; start the server first ('vigil serve')."
    })
final class ImportCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(
      names = "--url",
      paramLabel = "URL",
      defaultValue = "http://127.0.0.1:8080",
      description = "The server. Default: ${DEFAULT-VALUE}.")
  String url;

  @Option(
      names = "--token",
      paramLabel = "TOKEN",
      description = "A bearer token (default: $VIGIL_TOKEN).")
  String token;

  @Parameters(paramLabel = "FILE", arity = "1..*", description = "Log files or directories.")
  List<Path> files;

  @Override
  public Integer call() {
    PrintWriter err = spec.commandLine().getErr();
    String t = token != null ? token : System.getenv("VIGIL_TOKEN");
    if (t == null || t.isBlank()) {
      err.println(
          "vigil import: no token; give --token or set VIGIL_TOKEN (the admin token printed at"
              + " the server's first start, or one from 'vigil token create --role ingest')");
      err.flush();
      return 2;
    }
    URI base;
    try {
      base = URI.create(url);
      if (base.getScheme() == null || base.getHost() == null) {
        throw new IllegalArgumentException("no scheme or host");
      }
    } catch (IllegalArgumentException e) {
      err.println("vigil import: --url '" + url + "' is not a URL like http://127.0.0.1:8080");
      err.flush();
      return 2;
    }
    EventPoster poster = new EventPoster(base, t);
    try {
      EventPoster.Result r = poster.post(files, p -> err.println("vigil import: " + p));
      spec.commandLine()
          .getOut()
          .printf(
              Locale.ROOT,
              "vigil import: %,d events accepted, %,d rejected (see GET /api/v1/deadletters),"
                  + " %,d unreadable records, %d requests%n",
              r.accepted(),
              r.rejected(),
              r.readProblems(),
              r.requests());
      spec.commandLine().getOut().flush();
      return r.rejected() + r.readProblems() > 0 ? 1 : 0;
    } catch (IOException e) {
      err.println("vigil import: " + e.getMessage());
      err.flush();
      return 2;
    }
  }
}
