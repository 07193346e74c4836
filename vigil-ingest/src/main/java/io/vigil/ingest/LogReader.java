package io.vigil.ingest;

import io.vigil.event.Event;
import io.vigil.event.EventParseException;
import io.vigil.event.JsonEventParser;
import java.io.BufferedInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.Enumeration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipInputStream;

/**
 * Turns files, directories and archives into records of events, recognising each input by its
 * content. Immutable and thread-safe; each {@link #read} call streams on the calling thread.
 *
 * <p>Inputs: JSON lines; EVTX (Windows Event Log) files; a JSON array of objects or objects one
 * after another (compact or pretty-printed); the text logs of {@link
 * io.vigil.ingest.text.TextFormats} (syslog, auditd, CEF, Apache/Nginx access logs, W3C/IIS, Zeek
 * TSV), each line normalized to a JSON object; {@code .gz} files and every entry of {@code .zip}
 * files holding those (archives inside archives too, up to {@value #MAX_NESTING} levels);
 * directories, walked recursively in sorted order. Files of other formats are skipped with a {@link
 * ReadProblem.Kind#SKIPPED} note. An event's origin is its file, or {@code archive!entry}; its
 * index is its line number (JSON lines) or record number (arrays, concatenated objects).
 */
public final class LogReader {
  /** How deep archives inside archives are opened. */
  static final int MAX_NESTING = 3;

  private static final Comparator<Path> BY_NAME =
      Comparator.comparing(p -> p.getFileName().toString());

  private final ReadLimits limits;
  private final JsonLinesReader jsonLines;
  private final JsonStreamReader jsonStream;
  private final EvtxRecords evtx;
  // Per JSON family (Zeek, Suricata, CloudTrail): readers whose records are normalized first.
  private final java.util.Map<JsonFamily, RecordReader[]> normalized =
      new java.util.EnumMap<>(JsonFamily.class);

  private final Map<InputFormat, TextRecords> text = new EnumMap<>(InputFormat.class);
  private final LogRecord.RecordParser parser;
  // null: every input's format is told from its content; else a name of inputFormatNames()
  private final String forced;

  /** A reader of JSON inputs whose records the given parser turns into events. */
  public LogReader(LogRecord.RecordParser parser, ReadLimits limits) {
    this(parser, limits, null);
  }

  private LogReader(LogRecord.RecordParser parser, ReadLimits limits, String forced) {
    this.parser = Objects.requireNonNull(parser, "parser");
    this.limits = Objects.requireNonNull(limits, "limits");
    this.forced = forced;
    for (InputFormat f : InputFormat.values()) {
      if (f.text()) {
        // Zeek TSV records are Zeek JSON objects: the Zeek normalizer adds the same ECS fields
        LogRecord.RecordParser p =
            f == InputFormat.ZEEK_TSV ? JsonNormalizer.wrap(JsonFamily.ZEEK, parser) : parser;
        text.put(f, new TextRecords(p, limits, f.formatName));
      }
    }
    this.jsonLines = new JsonLinesReader(parser, limits);
    this.jsonStream = new JsonStreamReader(parser, limits);
    this.evtx = new EvtxRecords(parser);
    for (JsonFamily family : JsonFamily.values()) {
      if (family != JsonFamily.JSON) {
        LogRecord.RecordParser wrapped = JsonNormalizer.wrap(family, parser);
        normalized.put(
            family,
            new RecordReader[] {
              new JsonLinesReader(wrapped, limits), new JsonStreamReader(wrapped, limits)
            });
      }
    }
  }

  /**
   * This reader with every input read as {@code format} instead of the format its content shows
   * ({@code .gz} and {@code .zip} files are still opened; for the JSON formats, lines or an array
   * is still told from the content); {@code auto} goes back to telling by content. The names are
   * those of {@link #inputFormatNames()}.
   *
   * @throws IllegalArgumentException for an unknown name, listing the valid ones
   */
  public LogReader withInputFormat(String format) {
    String name = format.trim().toLowerCase(Locale.ROOT);
    if (!inputFormatNames().contains(name)) {
      throw new IllegalArgumentException(
          "unknown input format '"
              + format
              + "'; the formats are "
              + String.join(", ", inputFormatNames()));
    }
    return new LogReader(parser, limits, name.equals("auto") ? null : name);
  }

  /**
   * The names {@link #withInputFormat} takes, {@code auto} first: {@code json}, {@code evtx}, the
   * normalized JSON families ({@code zeek-json} …) and the text formats ({@code syslog} …).
   */
  public static List<String> inputFormatNames() {
    Set<String> names = new LinkedHashSet<>(InputFormat.names());
    for (JsonFamily family : JsonFamily.values()) {
      names.add(family.formatName());
    }
    return List.copyOf(names);
  }

  /**
   * A reader with the default limits whose records {@code parser} parses: JSON lines from their
   * bytes, other records from their text ({@link LogRecord.RecordParser#of(JsonEventParser)}).
   */
  public LogReader(JsonEventParser parser) {
    this(LogRecord.RecordParser.of(parser), ReadLimits.DEFAULT);
  }

  /** The limits this reader applies. */
  public ReadLimits limits() {
    return limits;
  }

  /**
   * Reads every input in order (directories recursively, in sorted order) into the sink. Never
   * throws for bad input: unreadable files and malformed records become problems.
   */
  public void read(List<Path> inputs, LogSink sink) {
    for (Path input : inputs) {
      if (Files.isDirectory(input)) {
        walk(input, sink);
      } else {
        readFile(input, sink);
      }
    }
  }

  /**
   * Reads one stream (standard input, a resource) as if it were a file called {@code origin}. The
   * stream is not closed.
   */
  public void read(InputStream in, String origin, LogSink sink) {
    try {
      BufferedInputStream buffered = new BufferedInputStream(in, InputFormat.PEEK_BYTES);
      readStream(
          buffered, peek(buffered), origin, sink, new Budget(origin, limits, Instant.now()), 0);
    } catch (IOException e) {
      sink.problem(new ReadProblem(origin, 0, ReadProblem.Kind.INPUT, message(e)));
    }
  }

  /**
   * Reads and parses small inputs whole, for samples and tests: every event in memory, and every
   * problem, malformed records included.
   */
  public Result readAll(List<Path> inputs) {
    List<Event> events = new ArrayList<>();
    List<ReadProblem> problems = new ArrayList<>();
    read(
        inputs,
        new LogSink() {
          @Override
          public void record(LogRecord record) {
            try {
              events.add(record.parse());
            } catch (EventParseException e) {
              problems.add(ReadProblem.malformed(record.origin(), record.index(), e));
            }
          }

          @Override
          public void lines(LineBlock block) {
            // parsed from the bytes; each kept event gets its own copy before the buffer goes back
            try {
              for (int i = 0; i < block.size(); i++) {
                try {
                  Event event = block.parse(i);
                  event.detach();
                  events.add(event);
                } catch (EventParseException e) {
                  problems.add(ReadProblem.malformed(block.origin(), block.index(i), e));
                }
              }
            } finally {
              block.release();
            }
          }

          @Override
          public void problem(ReadProblem problem) {
            problems.add(problem);
          }
        });
    return new Result(events, problems);
  }

  /** Every event and every problem of a {@link #readAll} call. */
  public record Result(List<Event> events, List<ReadProblem> problems) {
    public Result {
      events = List.copyOf(events);
      problems = List.copyOf(problems);
    }
  }

  private void walk(Path dir, LogSink sink) {
    List<Path> children;
    try (Stream<Path> list = Files.list(dir)) {
      children = list.sorted(BY_NAME).toList();
    } catch (IOException e) {
      sink.problem(
          new ReadProblem(
              dir.toString(),
              0,
              ReadProblem.Kind.INPUT,
              "cannot list this directory (" + message(e) + "); its files were not read"));
      return;
    }
    for (Path child : children) {
      if (Files.isDirectory(child, LinkOption.NOFOLLOW_LINKS)) {
        walk(child, sink);
      } else if (Files.isDirectory(child)) {
        sink.problem(
            new ReadProblem(
                child.toString(),
                0,
                ReadProblem.Kind.SKIPPED,
                "skipped: a link to a directory is not followed inside a directory walk; give it"
                    + " as an input of its own to read it"));
      } else if (Files.isRegularFile(child)) {
        readFile(child, sink);
      } else {
        sink.problem(
            new ReadProblem(
                child.toString(), 0, ReadProblem.Kind.SKIPPED, "skipped: not a regular file"));
      }
    }
  }

  private void readFile(Path file, LogSink sink) {
    String origin = file.toString();
    boolean zip = false;
    try (InputStream raw = progress(Files.newInputStream(file), sink)) {
      BufferedInputStream in = new BufferedInputStream(raw, InputFormat.PEEK_BYTES);
      byte[] head = peek(in);
      if (InputFormat.detect(head) == InputFormat.ZIP) {
        zip = true;
      } else {
        readStream(in, head, origin, sink, new Budget(origin, limits, modified(file)), 0);
      }
    } catch (NoSuchFileException e) {
      sink.problem(new ReadProblem(origin, 0, ReadProblem.Kind.INPUT, "cannot read: no such file"));
    } catch (AccessDeniedException e) {
      sink.problem(
          new ReadProblem(origin, 0, ReadProblem.Kind.INPUT, "cannot read: permission denied"));
    } catch (IOException e) {
      sink.problem(new ReadProblem(origin, 0, ReadProblem.Kind.INPUT, message(e)));
    }
    if (zip) {
      readZipFile(file, origin, sink);
    }
  }

  /** A zip file on disk: its central directory lists the entries, read one by one. */
  private void readZipFile(Path file, String origin, LogSink sink) {
    Budget budget = new Budget(origin, limits, modified(file));
    ZipFile opened;
    try {
      opened = new ZipFile(file.toFile());
    } catch (IOException e) {
      salvageZip(file, origin, sink, budget, e);
      return;
    }
    try (ZipFile zip = opened) {
      int count = 0;
      Enumeration<? extends ZipEntry> entries = zip.entries();
      while (entries.hasMoreElements()) {
        ZipEntry entry = entries.nextElement();
        if (entry.isDirectory()) {
          continue;
        }
        if (++count > limits.maxArchiveEntries()) {
          sink.problem(tooManyEntries(origin));
          return;
        }
        String entryOrigin = origin + "!" + entry.getName();
        try (InputStream in = zip.getInputStream(entry)) {
          readEntry(in, entryOrigin, sink, budget, 1);
          sink.bytesRead(Math.max(entry.getCompressedSize(), 0));
        } catch (LimitException e) {
          sink.problem(new ReadProblem(origin, 0, ReadProblem.Kind.INPUT, e.getMessage()));
          return;
        } catch (IOException e) {
          sink.problem(new ReadProblem(entryOrigin, 0, ReadProblem.Kind.INPUT, message(e)));
        }
      }
    } catch (IOException e) {
      sink.problem(new ReadProblem(origin, 0, ReadProblem.Kind.INPUT, message(e)));
    }
  }

  /**
   * A zip whose central directory cannot be read (a download cut short, a damaged end): its entries
   * are read from the front, in stream order, as far as they go.
   */
  private void salvageZip(
      Path file, String origin, LogSink sink, Budget budget, IOException cause) {
    sink.problem(
        new ReadProblem(
            origin,
            0,
            ReadProblem.Kind.INPUT,
            "not a readable zip archive ("
                + message(cause)
                + "): the directory at its end is missing or damaged (a truncated file?); its"
                + " entries are read from the front as far as they go"));
    try (InputStream raw = Files.newInputStream(file)) {
      readZipStream(new BufferedInputStream(raw, InputFormat.PEEK_BYTES), origin, sink, budget, 1);
    } catch (IOException e) {
      sink.problem(new ReadProblem(origin, 0, ReadProblem.Kind.INPUT, message(e)));
    }
  }

  /** Reads decompressed data (a gzip stream, a zip entry). */
  private void readEntry(InputStream in, String origin, LogSink sink, Budget budget, int depth)
      throws IOException {
    DeferredErrorStream data = new DeferredErrorStream(budget.count(in));
    BufferedInputStream buffered = new BufferedInputStream(data, InputFormat.PEEK_BYTES);
    try {
      readStream(buffered, peek(buffered), origin, sink, budget, depth);
    } catch (IOException e) {
      // An early end seen by a record reader is better told by the decompressor's own error.
      throw data.error() != null ? data.error() : e;
    }
    if (data.error() != null) {
      throw data.error();
    }
  }

  /** Reads a stream of any recognised format; archives recurse. */
  private void readStream(
      BufferedInputStream in, byte[] head, String origin, LogSink sink, Budget budget, int depth)
      throws IOException {
    InputFormat format = InputFormat.detect(head);
    JsonFamily forcedFamily = null;
    if (forced != null
        && format != InputFormat.GZIP
        && format != InputFormat.ZIP
        && format != InputFormat.EMPTY) {
      for (JsonFamily family : JsonFamily.values()) {
        if (family.formatName().equals(forced)) {
          forcedFamily = family;
        }
      }
      if (forcedFamily != null) {
        // json or a JSON family: lines or an array is still told from the content
        format =
            format == InputFormat.JSON_STREAM ? InputFormat.JSON_STREAM : InputFormat.JSON_LINES;
      } else {
        format = InputFormat.forName(forced);
      }
    }
    if ((format == InputFormat.GZIP || format == InputFormat.ZIP) && depth >= MAX_NESTING) {
      sink.problem(
          new ReadProblem(
              origin,
              0,
              ReadProblem.Kind.SKIPPED,
              "skipped: archives nested more than " + MAX_NESTING + " levels deep are not opened"));
      return;
    }
    switch (format) {
      case JSON_LINES, JSON_STREAM -> {
        // Zeek, Suricata and CloudTrail records get ECS fields; other JSON is read as it is.
        JsonFamily family = forcedFamily != null ? forcedFamily : JsonFamily.detect(head);
        sink.format(origin, family.formatName());
        int kind = format == InputFormat.JSON_LINES ? 0 : 1;
        RecordReader reader =
            family == JsonFamily.JSON
                ? (kind == 0 ? jsonLines : jsonStream)
                : normalized.get(family)[kind];
        reader.read(in, origin, sink);
      }
      case SYSLOG, AUDITD, CEF, ACCESS_LOG, W3C, ZEEK_TSV -> {
        sink.format(origin, format.formatName);
        text.get(format).read(in, origin, sink, budget.modified);
      }
      case EVTX -> {
        sink.format(origin, "evtx");
        evtx.read(in, origin, sink);
      }
      case GZIP -> {
        try {
          readEntry(new GZIPInputStream(in, 64 * 1024), origin, sink, budget, depth + 1);
        } catch (LimitException e) {
          throw e;
        } catch (java.io.EOFException e) {
          throw new IOException(
              "the gzip data ends early (truncated file?); the records before that point were"
                  + " read",
              e);
        } catch (java.util.zip.ZipException e) {
          throw new IOException(
              "corrupt gzip data (" + e.getMessage() + "); the records before it were read", e);
        }
      }
      case ZIP -> readZipStream(in, origin, sink, budget, depth + 1);
      case EMPTY -> {
        // nothing to read
      }
      case UNKNOWN ->
          sink.problem(
              new ReadProblem(
                  origin,
                  0,
                  ReadProblem.Kind.SKIPPED,
                  "skipped: "
                      + InputFormat.describeUnknown(head)
                      + "; vigil reads JSON lines, JSON arrays, JSON objects one after another,"
                      + " EVTX, syslog, auditd, CEF, Apache/Nginx access logs, W3C (IIS) and Zeek"
                      + " TSV logs, and .gz/.zip files of them; give --input-format to read it as"
                      + " one of those"));
    }
  }

  /** A zip inside a zip or on standard input: entries in stream order. */
  private void readZipStream(InputStream in, String origin, LogSink sink, Budget budget, int depth)
      throws IOException {
    ZipInputStream zip = new ZipInputStream(in);
    int count = 0;
    ZipEntry entry;
    while ((entry = zip.getNextEntry()) != null) {
      if (entry.isDirectory()) {
        continue;
      }
      if (++count > limits.maxArchiveEntries()) {
        sink.problem(tooManyEntries(origin));
        return;
      }
      String entryOrigin = origin + "!" + entry.getName();
      try {
        readEntry(new NonClosing(zip), entryOrigin, sink, budget, depth);
      } catch (LimitException e) {
        throw e;
      } catch (IOException e) {
        // A stream cannot skip a broken entry reliably: report it and stop this archive.
        throw new IOException(entryOrigin + ": " + message(e), e);
      }
    }
  }

  private ReadProblem tooManyEntries(String origin) {
    return new ReadProblem(
        origin,
        0,
        ReadProblem.Kind.INPUT,
        String.format(
            Locale.ROOT,
            "the archive has more than %,d entries (%s); the entries after that were not read."
                + " Raise %s if the archive is trusted",
            limits.maxArchiveEntries(),
            ReadLimits.MAX_ARCHIVE_ENTRIES,
            ReadLimits.MAX_ARCHIVE_ENTRIES));
  }

  /** Tells the sink how many bytes of a file were read, as they are read. */
  private static InputStream progress(InputStream in, LogSink sink) {
    return new FilterInputStream(in) {
      @Override
      public int read() throws IOException {
        int b = super.read();
        if (b >= 0) {
          sink.bytesRead(1);
        }
        return b;
      }

      @Override
      public int read(byte[] b, int off, int len) throws IOException {
        int n = super.read(b, off, len);
        if (n > 0) {
          sink.bytesRead(n);
        }
        return n;
      }
    };
  }

  /**
   * The first bytes of a stream, which is then rewound. A read error while peeking (a truncated
   * gzip) is not raised here: the format is told from the bytes before it, and the record reader
   * meets the error again after reading the records before it.
   */
  private static byte[] peek(BufferedInputStream in) throws IOException {
    in.mark(InputFormat.PEEK_BYTES);
    byte[] head = new byte[InputFormat.PEEK_BYTES];
    int n = 0;
    try {
      while (n < head.length) {
        int r = in.read(head, n, head.length - n);
        if (r < 0) {
          break;
        }
        n += r;
      }
    } catch (LimitException e) {
      throw e;
    } catch (IOException e) {
      // met again by the record reader
    }
    in.reset();
    return n == head.length ? head : java.util.Arrays.copyOf(head, n);
  }

  /** A file's modification time, which gives syslog timestamps without a year their year. */
  private static Instant modified(Path file) {
    try {
      return Files.getLastModifiedTime(file).toInstant();
    } catch (IOException | RuntimeException e) {
      return Instant.now();
    }
  }

  private static String message(IOException e) {
    if (e instanceof NoSuchFileException) {
      return "cannot read: no such file";
    }
    if (e instanceof AccessDeniedException) {
      return "cannot read: permission denied";
    }
    String m = e.getMessage();
    return m == null || m.isBlank() ? e.getClass().getSimpleName() : m;
  }

  /** Counts the bytes read out of one input's decompressors against the expanded-size limit. */
  private static final class Budget {
    private final String origin;
    private final ReadLimits limits;
    // the input's modification time (now for streams)
    final Instant modified;
    private long used;

    Budget(String origin, ReadLimits limits, Instant modified) {
      this.origin = origin;
      this.limits = limits;
      this.modified = modified;
    }

    InputStream count(InputStream in) {
      return new FilterInputStream(in) {
        @Override
        public int read() throws IOException {
          int b = super.read();
          if (b >= 0) {
            add(1);
          }
          return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
          int n = super.read(b, off, len);
          if (n > 0) {
            add(n);
          }
          return n;
        }

        @Override
        public long skip(long n) throws IOException {
          long skipped = super.skip(n);
          add(skipped);
          return skipped;
        }
      };
    }

    private void add(long n) throws LimitException {
      used += n;
      if (used > limits.maxExpandedBytes()) {
        throw new LimitException(
            String.format(
                Locale.ROOT,
                "%s expands to more than %,d bytes (%s); the rest of it was not read. This guards"
                    + " against zip bombs; raise %s if the archive is trusted",
                origin,
                limits.maxExpandedBytes(),
                ReadLimits.MAX_EXPANDED_BYTES,
                ReadLimits.MAX_EXPANDED_BYTES));
      }
    }
  }

  /** Keeps a record reader from closing the zip stream that holds the next entries. */
  private static final class NonClosing extends FilterInputStream {
    NonClosing(InputStream in) {
      super(in);
    }

    @Override
    public void close() {}
  }
}
