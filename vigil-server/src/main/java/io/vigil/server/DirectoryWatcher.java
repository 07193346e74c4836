package io.vigil.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vigil.ingest.text.BadLineException;
import io.vigil.ingest.text.TextDecoder;
import io.vigil.ingest.text.TextFormats;
import io.vigil.server.spool.Spool;
import io.vigil.store.db.Database;
import io.vigil.store.db.DeadLetter;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Tails the files of watched directories. Each file is known by its file key (device and inode), so
 * a rotated file (renamed, with a new file under the old name) is read to its end and the new file
 * from its start; a file that shrank was truncated and is read again from the start. Only whole
 * lines are read. Each file's format is told from its first lines: JSON lines, or one of the ingest
 * module's text formats (syslog, auditd, CEF, access logs, W3C, Zeek TSV), decoded here into
 * normalized JSON; lines of a file no format fits go in as syslog messages. Positions (file key,
 * offset, format) are saved in {@code DATA/watch-positions.json} after the lines they cover are in
 * the spool: after a crash, lines read since the last save are read again (at least once), never
 * skipped.
 */
final class DirectoryWatcher implements AutoCloseable {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final int READ_CHUNK = 4 << 20;

  private final List<Path> dirs;
  private final ServerConfig.Inputs settings;
  private final long maxBacklogBytes;
  private final Spool spool;
  private final Database db;
  private final Metrics metrics;
  private final Path positionsFile;
  private final Map<String, Position> positions = new HashMap<>();
  private final Thread thread;
  private volatile boolean running = true;

  /**
   * Where reading of one file stands, and its format once known ({@code json} or a text format).
   */
  private record Position(String path, long offset, String format) {}

  /** Text decoders of the files being read (they hold headers and open record groups). */
  private final Map<String, TextDecoder> decoders = new HashMap<>();

  DirectoryWatcher(
      ServerConfig.Inputs settings,
      long maxBacklogBytes,
      Path dataDir,
      Spool spool,
      Database db,
      Metrics metrics)
      throws IOException {
    this.dirs = settings.watch();
    this.settings = settings;
    this.maxBacklogBytes = maxBacklogBytes;
    this.spool = spool;
    this.db = db;
    this.metrics = metrics;
    this.positionsFile = dataDir.resolve("watch-positions.json");
    if (Files.exists(positionsFile)) {
      JsonNode root = MAPPER.readTree(positionsFile.toFile());
      for (var it = root.properties().iterator(); it.hasNext(); ) {
        var e = it.next();
        positions.put(
            e.getKey(),
            new Position(
                e.getValue().path("path").asText(),
                e.getValue().path("offset").asLong(),
                e.getValue().path("format").asText(null)));
      }
    }
    for (Path d : dirs) {
      if (!Files.isDirectory(d)) {
        throw new IOException(
            "inputs.watch: " + d + " is not a directory; create it or remove it from the list");
      }
    }
    this.thread = Thread.ofPlatform().name("vigil-watch").daemon().unstarted(this::loop);
  }

  void start() {
    thread.start();
  }

  private void loop() {
    while (running) {
      try {
        boolean more = pollOnce();
        if (!more) {
          Thread.sleep(settings.pollInterval());
        }
      } catch (InterruptedException e) {
        return;
      } catch (IOException | RuntimeException e) {
        System.err.println("vigil: watched directory: " + e.getMessage());
        try {
          Thread.sleep(settings.pollInterval());
        } catch (InterruptedException ie) {
          return;
        }
      }
    }
  }

  /** Reads what is new in every watched file; true when a file has more to read right away. */
  boolean pollOnce() throws IOException, InterruptedException {
    Set<String> seen = new HashSet<>();
    boolean more = false;
    boolean changed = false;
    for (Path dir : dirs) {
      List<Path> files = new ArrayList<>();
      try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
        for (Path p : ds) {
          if (!p.getFileName().toString().startsWith(".")) {
            files.add(p);
          }
        }
      }
      // older (rotated) files first: lines reach the spool in the order they were written
      files.sort(
          (a, b) -> {
            try {
              return Files.getLastModifiedTime(a).compareTo(Files.getLastModifiedTime(b));
            } catch (IOException e) {
              return 0;
            }
          });
      for (Path file : files) {
        BasicFileAttributes attrs;
        try {
          attrs = Files.readAttributes(file, BasicFileAttributes.class);
        } catch (IOException e) {
          continue; // rotated away between listing and reading
        }
        if (!attrs.isRegularFile()) {
          continue;
        }
        String key = String.valueOf(attrs.fileKey() != null ? attrs.fileKey() : file);
        seen.add(key);
        Position pos = positions.get(key);
        long offset = pos == null ? 0 : pos.offset();
        String format = pos == null ? null : pos.format();
        if (attrs.size() < offset) {
          offset = 0; // truncated
          format = null;
          decoders.remove(key);
        }
        if (attrs.size() == offset) {
          if (pos == null || !pos.path().equals(file.toString())) {
            positions.put(key, new Position(file.toString(), offset, format));
            changed = true;
          }
          continue;
        }
        while (spool.backlogBytes() > maxBacklogBytes && running) {
          Thread.sleep(100);
        }
        Read read = readFrom(key, file, offset, format);
        if (read.offset() != offset
            || pos == null
            || !java.util.Objects.equals(read.format(), format)) {
          positions.put(key, new Position(file.toString(), read.offset(), read.format()));
          changed = true;
        }
        if (attrs.size() - read.offset() > READ_CHUNK) {
          more = true;
        }
      }
    }
    if (positions.keySet().retainAll(seen)) {
      changed = true;
    }
    decoders.keySet().retainAll(seen);
    if (changed) {
      save();
    }
    return more;
  }

  private record Read(long offset, String format) {}

  /** Spools the whole lines after {@code offset} (up to a chunk); returns the new offset. */
  private Read readFrom(String key, Path file, long offset, String format) throws IOException {
    int maxLine = settings.maxLineBytes();
    ByteBuffer buf;
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      long avail = Math.max(0, ch.size() - offset);
      buf = ByteBuffer.allocate((int) Math.min(Math.max(READ_CHUNK, maxLine + 1), avail));
      while (buf.hasRemaining() && ch.read(buf, offset + buf.position()) > 0) {
        // fill
      }
    }
    byte[] b = buf.array();
    int n = buf.position();
    String source = "watch " + file;
    byte[] src = source.getBytes(StandardCharsets.UTF_8);
    long now = System.currentTimeMillis();
    List<byte[]> payloads = new ArrayList<>();
    List<int[]> lines = new ArrayList<>();
    int start = 0;
    int consumed = 0;
    for (int i = 0; i < n; i++) {
      if (b[i] != '\n') {
        continue;
      }
      int s = start;
      int e = i;
      while (e > s && (b[e - 1] == '\r' || b[e - 1] == ' ' || b[e - 1] == '\t')) {
        e--;
      }
      while (s < e && (b[s] == ' ' || b[s] == '\t')) {
        s++;
      }
      if (e > s) {
        if (e - s > maxLine) {
          dead(source, "a line of " + (e - s) + " bytes is over inputs.max-line-bytes", b, s, 4096);
        } else {
          lines.add(new int[] {s, e});
        }
      }
      start = i + 1;
      consumed = i + 1;
    }
    if (consumed == 0 && n > maxLine) {
      // one line longer than the limit and no newline in sight: skip what was read
      dead(source, "a line over inputs.max-line-bytes with no end in sight", b, 0, 4096);
      consumed = n;
    }
    if (format == null && !lines.isEmpty()) {
      format = detect(b, lines);
    }
    if (JSON_LINES.equals(format)) {
      for (int[] l : lines) {
        String why = BulkBody.isObject(b, l[0], l[1] - l[0]);
        if (why == null) {
          payloads.add(Payload.encode(Payload.JSON, now, src, b, l[0], l[1] - l[0]));
        } else {
          dead(source, why, b, l[0], l[1] - l[0]);
        }
      }
    } else if (format != null) {
      TextDecoder decoder = decoders.get(key);
      if (decoder == null) {
        decoder = TextFormats.decoder(format, Instant.ofEpochMilli(now));
        decoders.put(key, decoder);
        if (offset > 0) {
          replayHeader(file, offset, decoder);
        }
      }
      TextDecoder.Output out =
          new TextDecoder.Output() {
            @Override
            public void event(String json, long line) {
              payloads.add(Payload.encode(Payload.JSON, now, source, json));
            }

            @Override
            public void problem(long line, String message) {
              dead(source, message, new byte[0], 0, 0);
            }
          };
      for (int[] l : lines) {
        String text = new String(b, l[0], l[1] - l[0], StandardCharsets.UTF_8);
        try {
          decoder.line(text, 0, out);
        } catch (BadLineException e) {
          dead(source, e.getMessage(), b, l[0], l[1] - l[0]);
        }
      }
      decoder.end(out);
    } else {
      // no text format recognised: each line as a syslog message (the detection stage decides)
      for (int[] l : lines) {
        payloads.add(Payload.encode(Payload.SYSLOG, now, src, b, l[0], l[1] - l[0]));
      }
    }
    if (!payloads.isEmpty()) {
      spool.append(payloads);
      metrics.in("watch", payloads.size());
    }
    return new Read(offset + consumed, format);
  }

  private static final String JSON_LINES = "json";

  /** JSON lines when the first line is an object, else a text format of the ingest module. */
  private static String detect(byte[] b, List<int[]> lines) {
    if (b[lines.get(0)[0]] == '{') {
      return JSON_LINES;
    }
    List<String> first = new ArrayList<>();
    for (int[] l : lines.subList(0, Math.min(20, lines.size()))) {
      first.add(new String(b, l[0], l[1] - l[0], StandardCharsets.UTF_8));
    }
    return TextFormats.detect(first);
  }

  /** Feeds a resumed file's header lines ('#' directives: W3C, Zeek TSV) to its new decoder. */
  private static void replayHeader(Path file, long upTo, TextDecoder decoder) throws IOException {
    TextDecoder.Output ignore =
        new TextDecoder.Output() {
          @Override
          public void event(String json, long line) {}

          @Override
          public void problem(long line, String message) {}
        };
    try (var reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      long read = 0;
      String line;
      while (read < upTo && (line = reader.readLine()) != null) {
        read += line.getBytes(StandardCharsets.UTF_8).length + 1;
        if (line.startsWith("#")) {
          try {
            decoder.line(line, 0, ignore);
          } catch (BadLineException e) {
            // a bad header line was reported when first read
          }
        }
      }
    }
  }

  private void dead(String source, String reason, byte[] b, int off, int len) {
    metrics.rejected("watch", 1);
    db.deadLetters()
        .add(
            new DeadLetter(
                Instant.now(),
                source,
                reason,
                new String(b, off, Math.min(len, b.length - off), StandardCharsets.UTF_8)));
  }

  private void save() throws IOException {
    ObjectNode root = MAPPER.createObjectNode();
    positions.forEach((k, v) -> root.putObject(k).put("path", v.path()).put("offset", v.offset()));
    Path tmp = positionsFile.resolveSibling(positionsFile.getFileName() + ".tmp");
    try (FileChannel ch =
        FileChannel.open(
            tmp,
            StandardOpenOption.CREATE,
            StandardOpenOption.WRITE,
            StandardOpenOption.TRUNCATE_EXISTING)) {
      ch.write(ByteBuffer.wrap(MAPPER.writeValueAsBytes(root)));
      ch.force(true);
    }
    try {
      Files.move(
          tmp, positionsFile, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(tmp, positionsFile, StandardCopyOption.REPLACE_EXISTING);
    }
  }

  @Override
  public void close() {
    running = false; // no interrupt: it would close the spool's file channel mid-append
    try {
      thread.join(5000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
