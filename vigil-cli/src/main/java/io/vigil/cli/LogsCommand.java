package io.vigil.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vigil.event.Event;
import io.vigil.event.EventParseException;
import io.vigil.event.FieldSchema;
import io.vigil.event.JsonEventParser;
import io.vigil.ingest.LogReader;
import io.vigil.ingest.LogRecord;
import io.vigil.ingest.LogSink;
import io.vigil.ingest.ReadLimits;
import io.vigil.ingest.ReadProblem;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code vigil logs}: looking at log files before hunting in them. */
@Command(
    name = "logs",
    mixinStandardHelpOptions = true,
    description = "Look at log files: what they hold, before hunting in them.",
    subcommands = {LogsCommand.Stats.class})
final class LogsCommand implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getErr());
  }

  /**
   * {@code vigil logs stats}: per input file, the format found, events read, parse errors, time
   * range and the most frequent event ids, providers and event types.
   */
  @Command(
      name = "stats",
      mixinStandardHelpOptions = true,
      sortOptions = false,
      description = {
        "Per input file: the format found, events read, parse errors, time range and the"
            + " top 5 event ids, providers and event types.",
        "An archive (.zip, .gz) counts as one file; directories are read recursively, file by"
            + " file, in sorted order."
      },
      exitCodeListHeading = "%nExit codes:%n",
      exitCodeList = {
        "0:every file was read without an error",
        "1:some records or files could not be read, or a file's format was not recognised",
        "2:bad usage"
      })
  static final class Stats implements Callable<Integer> {
    /** How many values each top list holds. */
    static final int TOP = 5;

    /** How many problems are printed per file; the rest are counted. */
    static final int PROBLEMS_SHOWN = 3;

    private static final ObjectMapper JSON = new ObjectMapper();

    // Where the time of an event is, first present wins: ECS, Windows (three shapes), Zeek,
    // CloudTrail, Suricata.
    private static final List<String> TIME =
        List.of(
            "@timestamp",
            "Event.System.TimeCreated.#attributes.SystemTime",
            "UtcTime",
            "TimeCreated",
            "winlog.time_created",
            "ts",
            "eventTime",
            "timestamp");

    /** The top lists: name to the fields that feed it, first present wins. */
    private static final Map<String, List<String>> TOPS = new LinkedHashMap<>();

    static {
      TOPS.put(
          "event_ids",
          List.of(
              "EventID", "Event.System.EventID.#text", "Event.System.EventID", "winlog.event_id"));
      TOPS.put(
          "providers",
          List.of(
              "Channel",
              "Event.System.Channel",
              "winlog.channel",
              "eventSource",
              "log.syslog.appname",
              "observer.product"));
      TOPS.put(
          "event_types",
          List.of("_path", "@stream", "event_type", "eventName", "type", "event.dataset"));
    }

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Option(
        names = "--json",
        description =
            "One JSON object per input file per line: {\"file\":…,\"format\":…,\"events\":N,"
                + "\"errors\":N,\"first\":…,\"last\":…,\"top\":{…}}.")
    boolean json;

    @Option(
        names = "--input-format",
        paramLabel = "FORMAT",
        defaultValue = "auto",
        description =
            "Read every input as FORMAT instead of telling it from the content (.gz/.zip are"
                + " still opened): auto, json, evtx, zeek-json, suricata, cloudtrail, syslog,"
                + " auditd, cef, access-log, w3c, zeek-tsv. Default: ${DEFAULT-VALUE}.")
    String inputFormat;

    @Parameters(paramLabel = "INPUT", arity = "1..*", description = "Log files or directories.")
    List<Path> inputs = new ArrayList<>();

    @Override
    public Integer call() {
      PrintWriter out = spec.commandLine().getOut();
      PrintWriter err = spec.commandLine().getErr();
      for (Path input : inputs) {
        String why = RuleLoadOptions.unreadable(input);
        if (why != null) {
          err.println(
              "vigil logs stats: cannot read input "
                  + input
                  + ": "
                  + why
                  + ". Give log files or directories.");
          err.flush();
          return 2;
        }
      }
      if (!LogReader.inputFormatNames().contains(inputFormat.trim().toLowerCase(Locale.ROOT))) {
        err.println(
            "vigil logs stats: unknown --input-format '"
                + inputFormat
                + "'; give one of "
                + String.join(", ", LogReader.inputFormatNames())
                + ".");
        err.flush();
        return 2;
      }
      List<Path> files = new ArrayList<>();
      for (Path input : inputs) {
        expand(input, files, err);
      }
      List<String> fields = new ArrayList<>(TIME);
      TOPS.values().forEach(fields::addAll);
      LogReader reader =
          new LogReader(new JsonEventParser(FieldSchema.of(fields))::parse, ReadLimits.DEFAULT)
              .withInputFormat(inputFormat);
      List<FileStats> all = new ArrayList<>();
      for (Path file : files) {
        FileStats stats = read(reader, file);
        all.add(stats);
        if (json) {
          out.println(stats.toJson());
          out.flush();
        }
        for (int i = 0; i < Math.min(PROBLEMS_SHOWN, stats.problems.size()); i++) {
          err.println("vigil logs stats: " + stats.problems.get(i));
        }
        if (stats.problems.size() > PROBLEMS_SHOWN) {
          err.printf(
              Locale.ROOT,
              "vigil logs stats: %s: %,d more problems not shown%n",
              file,
              stats.problems.size() - PROBLEMS_SHOWN);
        }
        err.flush();
      }
      if (!json) {
        table(out, all);
      }
      out.flush();
      boolean clean = all.stream().allMatch(s -> s.errors == 0 && !s.formats.contains("unknown"));
      return clean ? 0 : 1;
    }

    /** Files under an input: the input itself, or a directory's files, recursively, sorted. */
    private static void expand(Path input, List<Path> files, PrintWriter err) {
      if (!Files.isDirectory(input)) {
        files.add(input);
        return;
      }
      try (Stream<Path> walk = Files.walk(input)) {
        walk.filter(p -> Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS))
            .sorted(Comparator.comparing(Path::toString))
            .forEach(files::add);
      } catch (IOException | UncheckedIOException e) {
        err.println(
            "vigil logs stats: cannot list " + input + " (" + e.getMessage() + "); skipped");
      }
    }

    private static FileStats read(LogReader reader, Path file) {
      FileStats stats = new FileStats(file.toString());
      reader.read(
          List.of(file),
          new LogSink() {
            @Override
            public void record(LogRecord record) {
              try {
                stats.add(record.parse());
              } catch (EventParseException e) {
                stats.errors++;
                stats.problems.add(ReadProblem.malformed(record.origin(), record.index(), e));
              }
            }

            @Override
            public void problem(ReadProblem problem) {
              if (problem.kind() == ReadProblem.Kind.SKIPPED) {
                stats.formats.add("unknown");
              } else {
                stats.errors++;
              }
              stats.problems.add(problem);
            }

            @Override
            public void format(String origin, String format) {
              stats.formats.add(format);
            }
          });
      return stats;
    }

    private static void table(PrintWriter out, List<FileStats> all) {
      int fileWidth = 4;
      int formatWidth = 6;
      for (FileStats s : all) {
        fileWidth = Math.max(fileWidth, s.file.length());
        formatWidth = Math.max(formatWidth, s.format().length());
      }
      fileWidth = Math.min(fileWidth, 80);
      String row = "%-" + fileWidth + "s  %-" + formatWidth + "s  %9s  %6s  %-27s  %-27s%n";
      out.printf(Locale.ROOT, row, "FILE", "FORMAT", "EVENTS", "ERRORS", "FIRST", "LAST");
      long events = 0;
      long errors = 0;
      for (FileStats s : all) {
        out.printf(
            Locale.ROOT,
            row,
            s.file,
            s.format(),
            String.format(Locale.ROOT, "%,d", s.events),
            String.format(Locale.ROOT, "%,d", s.errors),
            s.first == null ? "-" : s.first.toString(),
            s.last == null ? "-" : s.last.toString());
        for (Map.Entry<String, List<Map.Entry<String, Long>>> top : s.top().entrySet()) {
          StringBuilder line = new StringBuilder("    ").append(top.getKey().replace('_', ' '));
          line.append(':');
          for (Map.Entry<String, Long> e : top.getValue()) {
            line.append(' ').append(e.getKey()).append(" (").append(e.getValue()).append(')');
          }
          out.println(line);
        }
        events += s.events;
        errors += s.errors;
      }
      out.printf(
          Locale.ROOT,
          "%,d file%s, %,d events, %,d errors%n",
          all.size(),
          all.size() == 1 ? "" : "s",
          events,
          errors);
    }

    /**
     * An instant from a time value: epoch seconds (or milliseconds when larger than any date in
     * seconds), ISO-8601 with {@code Z}, an offset ({@code +00:00} or {@code +0000}) or none (read
     * as UTC), with a space or a {@code T} between date and time; null when it is none of these.
     */
    static Instant instant(Object value) {
      if (value instanceof Number n) {
        double v = n.doubleValue();
        if (!Double.isFinite(v) || v <= 0) {
          return null;
        }
        double seconds = v > 1e11 ? v / 1000 : v;
        long micros = Math.round(seconds * 1_000_000d);
        return Instant.ofEpochSecond(
            Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L) * 1000L);
      }
      if (!(value instanceof String s) || s.length() < 10) {
        return null;
      }
      String t = s.strip().replace(' ', 'T');
      try {
        return Instant.parse(t);
      } catch (DateTimeParseException e) {
        // not UTC with Z
      }
      int n = t.length();
      if (n > 5
          && (t.charAt(n - 5) == '+' || t.charAt(n - 5) == '-')
          && t.indexOf(':', n - 5) < 0
          && t.indexOf('T') > 0) {
        t = t.substring(0, n - 2) + ":" + t.substring(n - 2);
      }
      try {
        return OffsetDateTime.parse(t).toInstant();
      } catch (DateTimeParseException e) {
        // no offset
      }
      try {
        return LocalDateTime.parse(t).toInstant(ZoneOffset.UTC);
      } catch (DateTimeParseException e) {
        return null;
      }
    }

    /** What one file held. */
    static final class FileStats {
      final String file;
      final Set<String> formats = new LinkedHashSet<>();
      final List<ReadProblem> problems = new ArrayList<>();
      final Map<String, Map<String, Long>> counts = new LinkedHashMap<>();
      long events;
      long errors;
      Instant first;
      Instant last;

      FileStats(String file) {
        this.file = file;
      }

      void add(Event e) {
        events++;
        for (String path : TIME) {
          Object v = scalar(e.get(path));
          if (v != null) {
            Instant t = instant(v);
            if (t != null) {
              first = first == null || t.isBefore(first) ? t : first;
              last = last == null || t.isAfter(last) ? t : last;
            }
            break;
          }
        }
        for (Map.Entry<String, List<String>> top : TOPS.entrySet()) {
          for (String path : top.getValue()) {
            Object v = scalar(e.get(path));
            if (v != null) {
              String key = v instanceof Double d && d == Math.rint(d) ? "" + d.longValue() : "" + v;
              counts.computeIfAbsent(top.getKey(), k -> new HashMap<>()).merge(key, 1L, Long::sum);
              break;
            }
          }
        }
      }

      private static Object scalar(Object v) {
        if (v instanceof List<?> list) {
          return list.isEmpty() ? null : scalar(list.get(0));
        }
        if (v == null || v == Event.NULL || (v instanceof String s && s.startsWith("{"))) {
          return null; // an object (e.g. EventID with attributes): its #text is tried next
        }
        return v;
      }

      /** The formats found, joined; {@code unknown} when nothing was recognised. */
      String format() {
        return formats.isEmpty() ? (events == 0 ? "empty" : "unknown") : String.join("+", formats);
      }

      /** The top values of each list, most frequent first (ties by value). */
      Map<String, List<Map.Entry<String, Long>>> top() {
        Map<String, List<Map.Entry<String, Long>>> out = new LinkedHashMap<>();
        for (Map.Entry<String, Map<String, Long>> c : counts.entrySet()) {
          out.put(
              c.getKey(),
              c.getValue().entrySet().stream()
                  .sorted(
                      Map.Entry.<String, Long>comparingByValue()
                          .reversed()
                          .thenComparing(Map.Entry.comparingByKey()))
                  .limit(TOP)
                  .toList());
        }
        return out;
      }

      String toJson() {
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("file", file);
        o.put("format", format());
        o.put("events", events);
        o.put("errors", errors);
        o.put("first", first == null ? null : first.toString());
        o.put("last", last == null ? null : last.toString());
        Map<String, Object> top = new LinkedHashMap<>();
        top()
            .forEach(
                (name, entries) -> {
                  List<Map<String, Object>> list = new ArrayList<>();
                  for (Map.Entry<String, Long> e : entries) {
                    Map<String, Object> item = new LinkedHashMap<>();
                    item.put("value", e.getKey());
                    item.put("count", e.getValue());
                    list.add(item);
                  }
                  top.put(name, list);
                });
        o.put("top", top);
        try {
          return JSON.writeValueAsString(o);
        } catch (JsonProcessingException e) {
          throw new IllegalStateException(e);
        }
      }
    }
  }
}
