package io.vigil.ingest.evtx;

import io.vigil.event.Event;
import io.vigil.event.FieldSchema;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.ObjLongConsumer;
import java.util.zip.CRC32;

/**
 * Reads Windows Event Log files (EVTX) into {@link Event}s, one chunk of 64 KiB in memory at a
 * time, so files of any size stream through.
 *
 * <pre>{@code
 * EvtxSummary s = EvtxReader.read(path, schema, hunt::accept, problem -> log.warn(problem));
 * }</pre>
 *
 * <p>Each record becomes an event whose raw text is the JSON object {@code evtx_dump} prints for it
 * ({@code {"Event":{"#attributes":…,"System":{…},"EventData":{…}}}}) and whose fields are that
 * object's leaves under dotted paths: {@code Event.System.EventID}, {@code
 * Event.System.Provider.#attributes.Name}, {@code Event.EventData.CommandLine}. The event's index
 * is the record's EventRecordID. A host that parses the JSON text itself calls {@link #readJson}
 * instead and skips building the events.
 *
 * <p>Damaged files are read as far as they can be: a record that cannot be read is skipped, a chunk
 * whose header is gone is skipped, checksum mismatches are only noted; each is passed to the
 * problem consumer as an {@link EvtxProblem} and reading goes on. No parse failure escapes as an
 * exception; only I/O errors of the stream itself do, and whatever the consumers throw.
 */
public final class EvtxReader {
  static final int FILE_HEADER_SIZE = 4096;
  static final int CHUNK_SIZE = 65536;
  static final int CHUNK_HEADER_SIZE = 512;
  private static final int RECORD_HEADER_SIZE = 24;
  private static final byte[] FILE_MAGIC = {'E', 'l', 'f', 'F', 'i', 'l', 'e', 0};
  private static final byte[] CHUNK_MAGIC = {'E', 'l', 'f', 'C', 'h', 'n', 'k', 0};
  private static final int RECORD_MAGIC = 0x00002a2a;

  private final String origin;
  private final FieldSchema schema;
  private final EvtxLimits limits;
  private final Consumer<Event> events;
  private final ObjLongConsumer<String> jsonRecords;
  private final Consumer<EvtxProblem> problems;
  private final EventRenderer renderer;
  private final CRC32 crc = new CRC32();
  private long eventCount;
  private long recordsSkipped;
  private int chunks;
  private int chunksSkipped;
  private int emptyChunks;
  private long problemCount;

  private EvtxReader(
      String origin,
      FieldSchema schema,
      EvtxLimits limits,
      Consumer<Event> events,
      ObjLongConsumer<String> jsonRecords,
      Consumer<EvtxProblem> problems) {
    this.origin = Objects.requireNonNull(origin, "origin");
    this.schema = schema;
    this.limits = Objects.requireNonNull(limits, "limits");
    this.events = events;
    this.jsonRecords = jsonRecords;
    this.problems = Objects.requireNonNull(problems, "problems");
    this.renderer = new EventRenderer(limits.maxElementDepth(), limits.maxEventChars());
  }

  /**
   * Whether the first bytes of a file are the EVTX signature ({@code ElfFile\0}); for choosing a
   * reader by content rather than by file name.
   */
  public static boolean isEvtx(byte[] head) {
    return startsWith(head, 0, FILE_MAGIC);
  }

  /** Reads a file with the default limits. */
  public static EvtxSummary read(
      Path file, FieldSchema schema, Consumer<Event> events, Consumer<EvtxProblem> problems)
      throws IOException {
    return read(file, schema, EvtxLimits.DEFAULT, events, problems);
  }

  /** Reads a file; events carry the file's path as their origin. */
  public static EvtxSummary read(
      Path file,
      FieldSchema schema,
      EvtxLimits limits,
      Consumer<Event> events,
      Consumer<EvtxProblem> problems)
      throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      return read(in, file.toString(), schema, limits, events, problems);
    }
  }

  /**
   * Reads an EVTX stream (a file, an archive entry) from its first byte to its end.
   *
   * @param origin names the source in events and problems
   * @throws IOException only when the stream itself fails; bad content is reported, not thrown
   */
  public static EvtxSummary read(
      InputStream in,
      String origin,
      FieldSchema schema,
      EvtxLimits limits,
      Consumer<Event> events,
      Consumer<EvtxProblem> problems)
      throws IOException {
    return new EvtxReader(
            origin,
            Objects.requireNonNull(schema, "schema"),
            limits,
            Objects.requireNonNull(events, "events"),
            null,
            problems)
        .summary(in);
  }

  /**
   * Reads an EVTX stream into JSON text only: each record's {@code evtx_dump} JSON object and its
   * EventRecordID, without building {@link Event}s. For hosts that parse the JSON with their own
   * parser; faster than {@link #read(InputStream, String, FieldSchema, EvtxLimits, Consumer,
   * Consumer)} when the event would be thrown away.
   *
   * @throws IOException only when the stream itself fails; bad content is reported, not thrown
   */
  public static EvtxSummary readJson(
      InputStream in,
      String origin,
      EvtxLimits limits,
      ObjLongConsumer<String> records,
      Consumer<EvtxProblem> problems)
      throws IOException {
    return new EvtxReader(
            origin, null, limits, null, Objects.requireNonNull(records, "records"), problems)
        .summary(in);
  }

  private EvtxSummary summary(InputStream in) throws IOException {
    long bytes = run(in);
    return new EvtxSummary(
        eventCount, recordsSkipped, chunks, chunksSkipped, emptyChunks, problemCount, bytes);
  }

  private void problem(EvtxProblem.Kind kind, int chunk, long record, long offset, String message) {
    problemCount++;
    problems.accept(new EvtxProblem(origin, kind, chunk, record, offset, message));
  }

  private long run(InputStream in) throws IOException {
    byte[] header = in.readNBytes(FILE_HEADER_SIZE);
    long bytes = header.length;
    if (header.length < FILE_HEADER_SIZE) {
      problem(
          header.length == 0 ? EvtxProblem.Kind.FILE_HEADER : EvtxProblem.Kind.TRUNCATED,
          -1,
          -1,
          0,
          "the file has "
              + header.length
              + " bytes, fewer than the 4096-byte EVTX file header; no events can be read");
      return bytes;
    }
    boolean headerOk = startsWith(header, 0, FILE_MAGIC);
    if (!headerOk) {
      problem(
          EvtxProblem.Kind.FILE_HEADER,
          -1,
          -1,
          0,
          "expected the EVTX signature \"ElfFile\\0\" at the start, found "
              + Values.hexUpper(header, 0, 8)
              + "; reading chunks from offset 4096 anyway");
    } else {
      long stored = Values.u32(header, 124);
      long actual = crc(header, 0, 120);
      if (stored != actual) {
        problem(
            EvtxProblem.Kind.CHECKSUM_MISMATCH,
            -1,
            -1,
            124,
            String.format(
                Locale.ROOT,
                "file header CRC32 is 0x%08x, the header hashes to 0x%08x; header ignored, chunks"
                    + " read anyway",
                stored,
                actual));
      }
    }
    byte[] chunk = new byte[CHUNK_SIZE];
    for (int index = 0; ; index++) {
      int n = in.readNBytes(chunk, 0, CHUNK_SIZE);
      if (n == 0) {
        break;
      }
      bytes += n;
      long fileOffset = FILE_HEADER_SIZE + (long) index * CHUNK_SIZE;
      if (!headerOk && index == 0 && !startsWith(chunk, 0, CHUNK_MAGIC)) {
        problem(
            EvtxProblem.Kind.FILE_HEADER,
            -1,
            -1,
            0,
            "neither the file header nor the first chunk has an EVTX signature; this is not an"
                + " EVTX file, nothing was read");
        chunksSkipped++;
        return bytes;
      }
      if (n < CHUNK_SIZE) {
        if (isZero(chunk, n)) {
          emptyChunks++;
          break;
        }
        problem(
            EvtxProblem.Kind.TRUNCATED,
            index,
            -1,
            fileOffset + n,
            "the file ends "
                + n
                + " bytes into this 65536-byte chunk; records before the cut are read");
      }
      readChunk(chunk, n, index, fileOffset);
    }
    return bytes;
  }

  private void readChunk(byte[] chunk, int length, int index, long fileOffset) {
    if (length < CHUNK_HEADER_SIZE || !startsWith(chunk, 0, CHUNK_MAGIC)) {
      if (isZero(chunk, length)) {
        emptyChunks++;
        return;
      }
      chunksSkipped++;
      problem(
          EvtxProblem.Kind.CHUNK_SKIPPED,
          index,
          -1,
          fileOffset,
          "expected the chunk signature \"ElfChnk\\0\", found "
              + Values.hexUpper(chunk, 0, Math.min(8, length))
              + "; chunk skipped, reading goes on with the next one");
      return;
    }
    chunks++;
    long storedHeaderCrc = Values.u32(chunk, 124);
    crc.reset();
    crc.update(chunk, 0, 120);
    crc.update(chunk, 128, CHUNK_HEADER_SIZE - 128);
    if (crc.getValue() != storedHeaderCrc) {
      problem(
          EvtxProblem.Kind.CHECKSUM_MISMATCH,
          index,
          -1,
          fileOffset + 124,
          String.format(
              Locale.ROOT,
              "chunk header CRC32 is 0x%08x, the header hashes to 0x%08x; read anyway",
              storedHeaderCrc,
              crc.getValue()));
    }
    long freeSpace = Values.u32(chunk, 48);
    int limit;
    if (freeSpace < CHUNK_HEADER_SIZE || freeSpace > CHUNK_SIZE) {
      limit = length;
      problem(
          EvtxProblem.Kind.CHUNK_DAMAGED,
          index,
          -1,
          fileOffset + 48,
          "the chunk header gives the end of its records as offset "
              + freeSpace
              + ", outside 512.."
              + CHUNK_SIZE
              + "; records are read until one is not valid");
    } else {
      limit = (int) Math.min(freeSpace, length);
      if (freeSpace <= length) {
        long storedDataCrc = Values.u32(chunk, 52);
        long actual = crc(chunk, CHUNK_HEADER_SIZE, limit - CHUNK_HEADER_SIZE);
        if (actual != storedDataCrc) {
          problem(
              EvtxProblem.Kind.CHECKSUM_MISMATCH,
              index,
              -1,
              fileOffset + 52,
              String.format(
                  Locale.ROOT,
                  "chunk records CRC32 is 0x%08x, the records hash to 0x%08x; read anyway",
                  storedDataCrc,
                  actual));
        }
      }
    }
    readRecords(chunk, length, limit, index, fileOffset);
  }

  private void readRecords(byte[] chunk, int length, int limit, int index, long fileOffset) {
    BinXmlParser parser = new BinXmlParser(chunk, length, limits);
    int pos = CHUNK_HEADER_SIZE;
    while (pos <= limit - RECORD_HEADER_SIZE) {
      String bad = null;
      int size = 0;
      long id = -1;
      if (Values.i32(chunk, pos) != RECORD_MAGIC) {
        bad =
            "expected the record signature 2A2A0000, found " + Values.hexUpper(chunk, pos, 4) + "";
      } else {
        long declared = Values.u32(chunk, pos + 4);
        id = Values.i64(chunk, pos + 8);
        if (declared < RECORD_HEADER_SIZE + 4 || declared > limit - pos) {
          bad =
              "the record declares "
                  + declared
                  + " bytes; a record needs at least 28 and this one may have at most "
                  + (limit - pos);
        } else if (declared > limits.maxRecordBytes()) {
          bad =
              "the record has "
                  + declared
                  + " bytes, over the limit of "
                  + limits.maxRecordBytes()
                  + "; raise evtx.max-record-bytes if such records are expected";
        } else {
          size = (int) declared;
        }
      }
      if (bad != null && isZero(chunk, pos, limit)) {
        return; // unused space after the last record
      }
      if (bad != null) {
        int next = nextRecord(chunk, pos + 8, limit);
        recordsSkipped++;
        problem(
            EvtxProblem.Kind.RECORD_SKIPPED,
            index,
            id,
            fileOffset + pos,
            bad
                + (next < 0
                    ? "; no further record found in this chunk"
                    : "; skipped " + (next - pos) + " bytes to the next record signature"));
        if (next < 0) {
          return;
        }
        pos = next;
        continue;
      }
      long copy = Values.u32(chunk, pos + size - 4);
      Event event = null;
      String json = null;
      try {
        XmlNode.Element root = parser.parseRecord(pos + RECORD_HEADER_SIZE, pos + size - 4);
        if (events != null) {
          Event.Builder builder = Event.builder(schema).origin(origin, id);
          json = renderer.render(root, builder);
          event = builder.raw(json).build();
        } else {
          json = renderer.render(root, null);
        }
      } catch (BadEvtxException e) {
        recordsSkipped++;
        problem(
            EvtxProblem.Kind.RECORD_SKIPPED,
            index,
            id,
            fileOffset + pos,
            "bad BinXML: " + e.getMessage() + "; record skipped");
      } catch (RuntimeException e) {
        // A defect of this reader, not of the file; still only this record is lost.
        recordsSkipped++;
        problem(
            EvtxProblem.Kind.RECORD_SKIPPED,
            index,
            id,
            fileOffset + pos,
            "internal error while reading the record ("
                + e
                + "); record skipped, please report this with the file");
      }
      if (json != null && copy != size) {
        problem(
            EvtxProblem.Kind.RECORD_DAMAGED,
            index,
            id,
            fileOffset + pos,
            "the record's size is "
                + size
                + " at its start but "
                + copy
                + " at its end; its BinXML was read and the event delivered, but its values may be"
                + " incomplete");
      }
      if (json != null) {
        eventCount++;
        if (event != null) {
          events.accept(event);
        } else {
          jsonRecords.accept(json, id);
        }
      }
      pos += size;
    }
  }

  /** The offset of the next record signature at or after {@code from} (8-aligned), or -1. */
  private static int nextRecord(byte[] chunk, int from, int limit) {
    int pos = (from + 7) & ~7;
    while (pos <= limit - RECORD_HEADER_SIZE) {
      if (Values.i32(chunk, pos) == RECORD_MAGIC) {
        return pos;
      }
      pos += 8;
    }
    return -1;
  }

  private long crc(byte[] b, int off, int len) {
    crc.reset();
    crc.update(b, off, len);
    return crc.getValue();
  }

  private static boolean startsWith(byte[] b, int off, byte[] magic) {
    if (b.length < off + magic.length) {
      return false;
    }
    for (int i = 0; i < magic.length; i++) {
      if (b[off + i] != magic[i]) {
        return false;
      }
    }
    return true;
  }

  private static boolean isZero(byte[] b, int length) {
    return isZero(b, 0, length);
  }

  private static boolean isZero(byte[] b, int from, int to) {
    for (int i = from; i < to; i++) {
      if (b[i] != 0) {
        return false;
      }
    }
    return true;
  }
}
