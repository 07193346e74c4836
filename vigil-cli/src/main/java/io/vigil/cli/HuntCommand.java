package io.vigil.cli;

import io.vigil.detect.Detection;
import io.vigil.detect.LoadOptions;
import io.vigil.detect.LoadResult;
import io.vigil.detect.RuleProblem;
import io.vigil.detect.RuleSet;
import io.vigil.event.JsonEventParser;
import io.vigil.ingest.LogReader;
import io.vigil.ingest.LogRecord;
import io.vigil.ingest.ReadLimits;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code vigil hunt}: offline detection over log files. Loads Sigma rules, streams the inputs
 * through the engine on several threads and writes one detection per line, in input order, then a
 * summary on standard error. With no arguments it hunts with the starter rules over the example log
 * that ships with Vigil.
 */
@Command(
    name = "hunt",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Run Sigma rules over log files and list what fires.",
      "",
      "Inputs: JSON lines, JSON arrays, JSON objects one after another, CloudTrail files,"
          + " EVTX files, .gz and .zip files of them, and directories (read recursively);"
          + " the format is told from the content. '-' reads standard input.",
      "Detections are written in input order (whatever --threads is), a summary goes to"
          + " standard error.",
      "With no arguments: the starter rules over the example log that ships with Vigil."
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {"0:the hunt ran (detections or not)", "2:bad usage or unreadable input"})
final class HuntCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(
      names = "--rules",
      paramLabel = "PATH",
      description = "Sigma rule file or directory (repeat for more). Default: the starter rules.")
  List<Path> rules = new ArrayList<>();

  @Option(
      names = "--format",
      paramLabel = "FORMAT",
      defaultValue = "table",
      description = "table, csv (RFC 4180) or jsonl. Default: ${DEFAULT-VALUE}.")
  String format;

  @Option(
      names = {"-o", "--output"},
      paramLabel = "FILE",
      description = "Write detections to FILE instead of standard output.")
  Path output;

  @Option(
      names = "--min-level",
      paramLabel = "LEVEL",
      description =
          "Only detections of this level or above:"
              + " informational, low, medium, high, critical.")
  String minLevel;

  @Option(
      names = "--threads",
      paramLabel = "N",
      description = "Matching threads. Default: all cores.")
  Integer threads;

  @CommandLine.Mixin RuleLoadOptions load = new RuleLoadOptions();

  @Option(
      names = "--limit",
      paramLabel = "SETTING=VALUE",
      description =
          "Change a read limit: ingest.max-line-chars (default 8m),"
              + " ingest.max-expanded-bytes (16g), ingest.max-archive-entries (100000).")
  List<String> limits = new ArrayList<>();

  @Option(
      names = "--input-format",
      paramLabel = "FORMAT",
      defaultValue = "auto",
      description =
          "Read every input as FORMAT instead of telling it from the content (.gz/.zip are still"
              + " opened): auto, json, evtx, zeek-json, suricata, cloudtrail, syslog, auditd, cef,"
              + " access-log, w3c, zeek-tsv. Default: ${DEFAULT-VALUE}.")
  String inputFormat;

  @Option(
      names = "--no-progress",
      description = "Do not draw the progress line (it is drawn only on a terminal anyway).")
  boolean noProgress;

  @Parameters(paramLabel = "INPUT", arity = "0..*", description = "Log files or directories.")
  List<String> inputs = new ArrayList<>();

  @Override
  public Integer call() throws IOException {
    PrintWriter err = spec.commandLine().getErr();
    // ---- usage checks: all before any work, each saying what to do
    String fmt = format.toLowerCase(Locale.ROOT);
    if (!HuntOutput.FORMATS.contains(fmt)) {
      return usage("unknown --format '" + format + "'. Give table, csv or jsonl.");
    }
    int minRank = 0;
    if (minLevel != null) {
      minRank = HuntLevels.parse(minLevel);
      if (minRank < 0) {
        return usage(
            "unknown --min-level '"
                + minLevel
                + "'. Give informational, low, medium, high or critical.");
      }
    }
    int threadCount = threads == null ? Runtime.getRuntime().availableProcessors() : threads;
    if (threadCount < 1 || threadCount > 1024) {
      return usage("--threads must be between 1 and 1024, not " + threadCount + ".");
    }
    ReadLimits readLimits = ReadLimits.DEFAULT;
    if (!LogReader.inputFormatNames().contains(inputFormat.trim().toLowerCase(Locale.ROOT))) {
      return usage(
          "unknown --input-format '"
              + inputFormat
              + "'; give one of "
              + String.join(", ", LogReader.inputFormatNames())
              + ".");
    }
    for (String limit : limits) {
      int eq = limit.indexOf('=');
      if (eq < 0) {
        return usage("--limit takes SETTING=VALUE (e.g. ingest.max-line-chars=32m), not " + limit);
      }
      try {
        readLimits = readLimits.with(limit.substring(0, eq).strip(), limit.substring(eq + 1));
      } catch (IllegalArgumentException e) {
        return usage(e.getMessage() + ".");
      }
    }
    boolean example = rules.isEmpty() && inputs.isEmpty();
    if (inputs.isEmpty() && !example) {
      return usage(
          "no INPUT given. Give files or directories of JSON logs (or - for standard input);"
              + " run 'vigil hunt' alone to try the example.");
    }
    List<Path> inputPaths = new ArrayList<>();
    boolean stdin = false;
    for (String input : inputs) {
      if (input.equals("-")) {
        stdin = true;
        continue;
      }
      Path p = Path.of(input);
      String why = RuleLoadOptions.unreadable(p);
      if (why != null) {
        return usage(
            "cannot read input " + input + ": " + why + ". Give a file or directory of JSON logs.");
      }
      inputPaths.add(p);
    }
    if (stdin && !inputPaths.isEmpty()) {
      return usage("'-' (standard input) cannot be mixed with files; give one or the other.");
    }
    for (Path p : rules) {
      String why = RuleLoadOptions.unreadable(p);
      if (why != null) {
        return usage(
            "cannot read rules "
                + p
                + ": "
                + why
                + ". Give a Sigma rule file or a directory of them.");
      }
    }
    LoadOptions options;
    try {
      options = load.resolve();
    } catch (IllegalArgumentException e) {
      return usage(e.getMessage());
    }

    // ---- rules
    Path starter = null;
    LoadResult loaded;
    long loadNanos;
    try {
      List<Path> rulePaths = rules;
      if (rules.isEmpty()) {
        starter = HuntExamples.starterRules();
        rulePaths = List.of(starter);
        if (!example) {
          err.println("vigil hunt: no --rules given; using the starter rules that ship with Vigil");
        }
      }
      long loadStart = System.nanoTime();
      CompilerHints.apply();
      loaded = RuleSet.load(rulePaths, options);
      // Loading leaves the compiled rules (~23 MB) among ~100 MB of parse garbage in the young
      // generation and its survivor spaces; one full collection here (~0.08 s, counted as load)
      // moves the rules to the old generation and drops the rest, so that the hunt's young
      // collections copy only what the hunt keeps: their pauses in a hunt's first seconds fell
      // from 0.43-0.56 s to 0.13-0.26 s and the heap held through the hunt from 165 to 120 MB
      // (docs/PERFORMANCE.md, "Session 8").
      System.gc();
      loadNanos = System.nanoTime() - loadStart;
    } finally {
      if (starter != null) {
        HuntExamples.delete(starter);
      }
    }
    RuleSet ruleSet = loaded.ruleSet();
    reportLoadProblems(err, loaded);
    if (ruleSet.rules().isEmpty()) {
      return usage(
          "no rule loaded from "
              + rules
              + ". Check the problems above, or run 'vigil rules check PATH'.");
    }

    // ---- hunt
    LogReader reader =
        new LogReader(LogRecord.RecordParser.of(new JsonEventParser(ruleSet.schema())), readLimits)
            .withInputFormat(inputFormat);
    long totalBytes = totalSize(inputPaths);
    boolean showProgress = !noProgress && HuntProgress.stderrIsTerminal();
    int inputCount = example || stdin ? 1 : inputPaths.size();
    HuntSummary summary = new HuntSummary();
    long start = System.nanoTime();
    Writer opened;
    HuntProgress progress = new HuntProgress(err, totalBytes, showProgress);
    try {
      opened = openOutput(progress);
    } catch (IOException e) {
      return usage(
          "cannot write output "
              + output
              + " ("
              + e.getClass().getSimpleName()
              + ": "
              + e.getMessage()
              + "). Give a file in a writable directory.");
    }
    try (progress;
        Writer out = opened) {
      HuntProblems problems = new HuntProblems(err, progress);
      HuntOutput writer = HuntOutput.of(fmt, out);
      writer.begin();
      HuntPipeline.Source source;
      if (example) {
        source =
            sink -> {
              try (InputStream in = HuntExamples.exampleLog()) {
                reader.read(in, HuntExamples.EXAMPLE_LOG, sink);
              } catch (IOException e) {
                throw new UncheckedIOException(e);
              }
            };
      } else if (stdin) {
        source = sink -> reader.read(System.in, "stdin", sink);
      } else {
        source = sink -> reader.read(inputPaths, sink);
      }
      progress.start();
      HuntPipeline.run(
          source,
          ruleSet,
          threadCount,
          minRank,
          problems::report,
          batch -> {
            summary.events += batch.events();
            summary.parseErrors += batch.parseErrors();
            progress.events.addAndGet(batch.events());
            for (Detection d : batch.detections()) {
              summary.add(d);
              try {
                writer.write(d);
              } catch (IOException e) {
                throw new UncheckedIOException(e);
              }
            }
            progress.detections.addAndGet(batch.detections().size());
          },
          progress.bytesDone::addAndGet);
      progress.bytesDone.set(totalBytes);
      out.flush();
      summary.unreadableInputs = problems.inputs();
      summary.skippedInputs = problems.skipped();
    } catch (UncheckedIOException e) {
      err.println(
          "vigil hunt: cannot write "
              + (output == null ? "standard output" : output.toString())
              + ": "
              + e.getCause().getMessage());
      return 2;
    }
    summary.rulesLoaded = ruleSet.rules().size();
    summary.loadTime = Duration.ofNanos(loadNanos);
    summary.print(err, Duration.ofNanos(System.nanoTime() - start), inputCount);
    return 0;
  }

  /**
   * The output file, or standard output; on standard output the progress line (when drawn on the
   * same terminal) is erased before each chunk of rows.
   */
  private Writer openOutput(HuntProgress progress) throws IOException {
    if (output == null) {
      PrintWriter out = spec.commandLine().getOut();
      return new BufferedWriter(
          new Writer() {
            @Override
            public void write(char[] cbuf, int off, int len) throws IOException {
              progress.clearLine();
              out.write(cbuf, off, len);
              if (out.checkError()) {
                throw new IOException("the output was closed");
              }
            }

            @Override
            public void flush() {
              out.flush();
            }

            @Override
            public void close() {
              out.flush();
            }
          },
          1 << 16);
    }
    if (output.getParent() != null) {
      Files.createDirectories(output.getParent());
    }
    return new BufferedWriter(
        new OutputStreamWriter(Files.newOutputStream(output), StandardCharsets.UTF_8), 1 << 16);
  }

  private void reportLoadProblems(PrintWriter err, LoadResult loaded) {
    List<RuleProblem> errors = loaded.errors();
    if (errors.isEmpty()) {
      return;
    }
    int shown = Math.min(5, errors.size());
    err.printf(
        Locale.ROOT,
        "vigil hunt: %d rule problem%s while loading (%d of %d rules loaded); the first %d:%n",
        errors.size(),
        errors.size() == 1 ? "" : "s",
        loaded.ruleSet().rules().size(),
        loaded.total(),
        shown);
    for (RuleProblem p : errors.subList(0, shown)) {
      err.println("  " + p);
    }
    err.println("  (run 'vigil rules check PATH' to see them all; the hunt goes on without them)");
    err.flush();
  }

  private int usage(String message) {
    PrintWriter err = spec.commandLine().getErr();
    err.println("vigil hunt: " + message);
    err.flush();
    return 2;
  }

  /** The bytes of all files under the inputs, for the progress bar. */
  private static long totalSize(List<Path> inputs) {
    long total = 0;
    for (Path input : inputs) {
      try (Stream<Path> walk = Files.walk(input)) {
        for (Path p : walk.filter(Files::isRegularFile).toList()) {
          try {
            total += Files.size(p);
          } catch (IOException e) {
            // unknown size: the bar moves less
          }
        }
      } catch (IOException | UncheckedIOException e) {
        // the reader reports unreadable inputs
      }
    }
    return total;
  }
}
