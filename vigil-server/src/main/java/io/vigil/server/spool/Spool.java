package io.vigil.server.spool;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.zip.CRC32C;

/**
 * The write-ahead log that every input appends to before its sender is answered: numbered records
 * in segment files, each record {@code [length][CRC32C][sequence][payload]}, so that nothing
 * acknowledged is lost when the process dies, and consumers resume from their checkpoint.
 *
 * <pre>{@code
 * Spool spool = Spool.open(dir, Spool.Settings.defaults());
 * long last = spool.append(List.of(payload));      // durable per the fsync policy on return
 * try (Spool.Reader r = spool.reader(spool.checkpoint("pipeline"))) {
 *   List<Spool.Entry> batch = r.poll(1000, 4 << 20, Duration.ofMillis(200));
 *   ... // commit the batch's outputs, then:
 *   spool.commit("pipeline", batch.getLast().sequence());   // may delete old segments
 * }
 * }</pre>
 *
 * <p>Durability: with {@link Fsync#ALWAYS} (the default) {@link #append} returns only after the
 * records are on disk, and concurrent appenders share one {@code fsync} (group commit); readers see
 * only records that are on disk. {@link Fsync#INTERVAL} syncs in the background; {@link
 * Fsync#NEVER} leaves it to the operating system. On open, the last segment is scanned and a torn
 * tail (a record cut short, or whose checksum fails) is cut off; sequence numbers continue after
 * the last whole record and after every consumer's checkpoint. Thread-safe.
 */
public final class Spool implements AutoCloseable {
  /** Bytes before each payload: length (4), CRC32C (4), sequence (8). */
  static final int HEADER = 16;

  private static final String SUFFIX = ".seg";
  private static final String CHECKPOINT_PREFIX = "checkpoint-";

  /** When appended records are forced to disk. */
  public enum Fsync {
    /** Before {@link #append} returns (group commit). */
    ALWAYS,
    /** Every {@link Settings#fsyncInterval()} in the background. */
    INTERVAL,
    /** Never explicitly; the operating system writes when it likes. */
    NEVER;

    /** Parses {@code always}, {@code interval} or {@code never}. */
    public static Fsync parse(String text) {
      for (Fsync f : values()) {
        if (f.name().equalsIgnoreCase(text.strip())) {
          return f;
        }
      }
      throw new IllegalArgumentException(
          "spool.fsync is '" + text + "'; give always, interval or never");
    }
  }

  /**
   * Spool settings.
   *
   * @param segmentBytes a segment is closed and a new one started past this size
   * @param fsync the durability policy
   * @param fsyncInterval how often {@link Fsync#INTERVAL} syncs
   * @param maxRecordBytes the largest payload accepted (and believed when recovering)
   */
  public record Settings(
      long segmentBytes, Fsync fsync, Duration fsyncInterval, int maxRecordBytes) {
    public Settings {
      if (segmentBytes < 1024) {
        throw new IllegalArgumentException(
            "spool.segment-bytes must be at least 1024, not " + segmentBytes);
      }
      if (maxRecordBytes < 16) {
        throw new IllegalArgumentException(
            "spool.max-record-bytes must be at least 16, not " + maxRecordBytes);
      }
    }

    /** 64 MiB segments, fsync always, 200 ms interval when chosen, 16 MiB records. */
    public static Settings defaults() {
      return new Settings(64L << 20, Fsync.ALWAYS, Duration.ofMillis(200), 16 << 20);
    }

    public Settings withFsync(Fsync policy) {
      return new Settings(segmentBytes, policy, fsyncInterval, maxRecordBytes);
    }

    public Settings withSegmentBytes(long bytes) {
      return new Settings(bytes, fsync, fsyncInterval, maxRecordBytes);
    }
  }

  /** One record read back. */
  public record Entry(long sequence, byte[] payload) {}

  /** What opening found: bytes cut from a torn tail, and where. */
  public record Recovery(long truncatedBytes, String detail) {}

  private final Path dir;
  private final Settings settings;
  private final Object writeLock = new Object();
  private final Object syncLock = new Object();
  private final Object signal = new Object();

  /** first sequence of a segment -> its file and size (the active one grows). */
  private final NavigableMap<Long, Segment> segments = new TreeMap<>();

  private final Map<String, Long> checkpoints = new ConcurrentHashMap<>();
  private final Set<Reader> readers = ConcurrentHashMap.newKeySet();
  private final Recovery recovery;
  private final Thread syncer;

  private FileChannel active;
  private Segment activeSegment;
  private volatile long lastSequence;
  private volatile long syncedSequence;
  private volatile boolean closed;

  private static final class Segment {
    final long first;
    final Path path;
    volatile long size;

    Segment(long first, Path path, long size) {
      this.first = first;
      this.path = path;
      this.size = size;
    }
  }

  private Spool(Path dir, Settings settings) throws IOException {
    this.dir = dir;
    this.settings = settings;
    Files.createDirectories(dir);
    long maxCheckpoint = 0;
    try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
      for (Path p : files) {
        String name = p.getFileName().toString();
        if (name.endsWith(SUFFIX)) {
          long first = parseSequence(name.substring(0, name.length() - SUFFIX.length()), p);
          segments.put(first, new Segment(first, p, Files.size(p)));
        } else if (name.startsWith(CHECKPOINT_PREFIX) && !name.endsWith(".tmp")) {
          long seq = readCheckpoint(p);
          checkpoints.put(name.substring(CHECKPOINT_PREFIX.length()), seq);
          maxCheckpoint = Math.max(maxCheckpoint, seq);
        } else if (name.endsWith(".tmp")) {
          Files.deleteIfExists(p);
        }
      }
    }
    long last = 0;
    Recovery found = new Recovery(0, "");
    if (!segments.isEmpty()) {
      Segment tail = segments.lastEntry().getValue();
      long[] scan = scanTail(tail);
      last = scan[0];
      long validEnd = scan[1];
      if (validEnd < tail.size) {
        found =
            new Recovery(
                tail.size - validEnd,
                String.format(
                    Locale.ROOT,
                    "cut a torn tail of %,d bytes from %s at offset %,d (%s)",
                    tail.size - validEnd,
                    tail.path.getFileName(),
                    validEnd,
                    scan[2] == 1 ? "checksum mismatch" : "record cut short"));
        try (FileChannel ch = FileChannel.open(tail.path, StandardOpenOption.WRITE)) {
          ch.truncate(validEnd);
          ch.force(true);
        }
        tail.size = validEnd;
      }
    }
    this.recovery = found;
    long next = Math.max(last, maxCheckpoint) + 1;
    if (segments.isEmpty() || next != last + 1) {
      startSegment(next);
    } else {
      activeSegment = segments.lastEntry().getValue();
      active = FileChannel.open(activeSegment.path, StandardOpenOption.WRITE);
      active.position(activeSegment.size);
    }
    lastSequence = next - 1;
    syncedSequence = next - 1;
    if (settings.fsync() == Fsync.INTERVAL) {
      syncer =
          Thread.ofPlatform()
              .name("vigil-spool-fsync")
              .daemon()
              .start(
                  () -> {
                    while (!closed) {
                      try {
                        Thread.sleep(settings.fsyncInterval());
                        sync(lastSequence);
                      } catch (InterruptedException e) {
                        return;
                      } catch (IOException e) {
                        System.err.println("vigil: spool fsync failed: " + e.getMessage());
                      }
                    }
                  });
    } else {
      syncer = null;
    }
  }

  /** Opens (creating when absent) the spool in {@code dir}, recovering a torn tail. */
  public static Spool open(Path dir, Settings settings) throws IOException {
    return new Spool(dir, settings);
  }

  public Settings settings() {
    return settings;
  }

  /** What opening found; {@code truncatedBytes == 0} when the spool was whole. */
  public Recovery recovery() {
    return recovery;
  }

  /** The sequence of the last appended record (0 before the first). */
  public long lastSequence() {
    return lastSequence;
  }

  /**
   * Appends records and returns the sequence of the last one; with {@link Fsync#ALWAYS} they are on
   * disk when this returns. Sequences are consecutive within one call.
   *
   * @throws IllegalArgumentException when a payload is larger than {@code maxRecordBytes}
   */
  public long append(List<byte[]> payloads) throws IOException {
    if (payloads.isEmpty()) {
      return lastSequence;
    }
    for (byte[] p : payloads) {
      if (p.length > settings.maxRecordBytes()) {
        throw new IllegalArgumentException(
            String.format(
                Locale.ROOT,
                "a spool record of %,d bytes is over spool.max-record-bytes (%,d)",
                p.length,
                settings.maxRecordBytes()));
      }
    }
    long last;
    synchronized (writeLock) {
      if (closed) {
        throw new ClosedChannelException();
      }
      int i = 0;
      long seq = lastSequence;
      while (i < payloads.size()) {
        if (activeSegment.size > 0
            && activeSegment.size + HEADER + payloads.get(i).length > settings.segmentBytes()) {
          roll(seq + 1);
        }
        long room = Math.max(settings.segmentBytes() - activeSegment.size, 1);
        int from = i;
        long bytes = 0;
        while (i < payloads.size()
            && (i == from || bytes + HEADER + payloads.get(i).length <= room)) {
          bytes += HEADER + payloads.get(i).length;
          i++;
        }
        ByteBuffer buf = ByteBuffer.allocate(Math.toIntExact(bytes)).order(ByteOrder.BIG_ENDIAN);
        CRC32C crc = new CRC32C();
        byte[] seqBytes = new byte[8];
        for (int k = from; k < i; k++) {
          byte[] p = payloads.get(k);
          seq++;
          crc.reset();
          crc.update(putLong(seqBytes, seq));
          crc.update(p);
          buf.putInt(p.length).putInt((int) crc.getValue()).putLong(seq).put(p);
        }
        buf.flip();
        while (buf.hasRemaining()) {
          active.write(buf);
        }
        activeSegment.size += bytes;
        lastSequence = seq;
      }
      last = seq;
    }
    if (settings.fsync() == Fsync.ALWAYS) {
      sync(last);
    } else {
      wake();
    }
    return last;
  }

  /** Forces records up to {@code sequence} to disk; concurrent callers share one force. */
  private void sync(long sequence) throws IOException {
    if (syncedSequence >= sequence) {
      return;
    }
    synchronized (syncLock) {
      if (syncedSequence >= sequence) {
        return;
      }
      long target;
      FileChannel ch;
      synchronized (writeLock) {
        target = lastSequence;
        ch = active;
      }
      try {
        ch.force(false);
      } catch (ClosedChannelException e) {
        // rolled (forced before closing) or closed (forced in close)
      }
      syncedSequence = target;
    }
    wake();
  }

  private void wake() {
    synchronized (signal) {
      signal.notifyAll();
    }
  }

  /** The last sequence readers may see: on disk with fsync always, written otherwise. */
  long readable() {
    return settings.fsync() == Fsync.ALWAYS ? syncedSequence : lastSequence;
  }

  private void roll(long nextFirst) throws IOException {
    active.force(false);
    active.close();
    startSegment(nextFirst);
  }

  private void startSegment(long first) throws IOException {
    Path p = dir.resolve(String.format(Locale.ROOT, "%020d%s", first, SUFFIX));
    FileChannel ch = FileChannel.open(p, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    ch.truncate(0);
    Segment s = new Segment(first, p, 0);
    synchronized (segments) {
      segments.put(first, s);
    }
    active = ch;
    activeSegment = s;
    syncDirectory();
  }

  private void syncDirectory() {
    try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
      d.force(true);
    } catch (IOException e) {
      // some file systems cannot sync a directory; the data files are synced anyway
    }
  }

  /**
   * Scans a segment: {last whole sequence, end of the last whole record, 1 when the scan stopped at
   * a checksum mismatch}.
   */
  private long[] scanTail(Segment s) throws IOException {
    long last = s.first - 1;
    long pos = 0;
    long reason = 0;
    try (FileChannel ch = FileChannel.open(s.path, StandardOpenOption.READ)) {
      RecordInput in = new RecordInput(ch, settings.maxRecordBytes());
      while (true) {
        RecordInput.Result r = in.next(pos, last + 1);
        if (r.entry() == null) {
          reason = r.corrupt() ? 1 : 0;
          break;
        }
        last = r.entry().sequence();
        pos = r.nextOffset();
      }
    }
    return new long[] {last, pos, reason};
  }

  /** The checkpoint of a consumer: the last sequence whose outputs are committed (0 if none). */
  public long checkpoint(String consumer) {
    return checkpoints.getOrDefault(consumer, 0L);
  }

  /**
   * Records that {@code consumer} has committed everything up to {@code sequence} (write temp +
   * fsync + rename), then deletes segments every consumer has passed.
   */
  public void commit(String consumer, long sequence) throws IOException {
    Path target = dir.resolve(CHECKPOINT_PREFIX + consumer);
    Path tmp = dir.resolve(CHECKPOINT_PREFIX + consumer + ".tmp");
    try (FileChannel ch =
        FileChannel.open(
            tmp,
            StandardOpenOption.CREATE,
            StandardOpenOption.WRITE,
            StandardOpenOption.TRUNCATE_EXISTING)) {
      ch.write(ByteBuffer.wrap((sequence + "\n").getBytes(StandardCharsets.US_ASCII)));
      ch.force(true);
    }
    try {
      Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
    }
    syncDirectory();
    checkpoints.put(consumer, sequence);
    deletePassed();
  }

  /** Deletes closed segments whose records are all at or below every consumer's checkpoint. */
  private void deletePassed() throws IOException {
    long min = Long.MAX_VALUE;
    for (long c : checkpoints.values()) {
      min = Math.min(min, c);
    }
    if (min == Long.MAX_VALUE) {
      return;
    }
    List<Segment> doomed = new ArrayList<>();
    synchronized (segments) {
      Long key = segments.firstKey();
      while (key != null) {
        Long next = segments.higherKey(key);
        if (next == null || next - 1 > min) {
          break;
        }
        doomed.add(segments.remove(key));
        key = next;
      }
    }
    for (Segment s : doomed) {
      Files.deleteIfExists(s.path);
    }
  }

  /** A reader of the records after {@code afterSequence}. */
  public Reader reader(long afterSequence) throws IOException {
    Reader r = new Reader(afterSequence);
    readers.add(r);
    return r;
  }

  /** Bytes of all segment files. */
  public long sizeBytes() {
    long total = 0;
    synchronized (segments) {
      for (Segment s : segments.values()) {
        total += s.size;
      }
    }
    return total;
  }

  /** Number of segment files. */
  public int segmentCount() {
    synchronized (segments) {
      return segments.size();
    }
  }

  /**
   * Bytes appended and not yet read by the slowest open reader (all bytes when none is open): the
   * measure of backpressure.
   */
  public long backlogBytes() {
    long worst = -1;
    for (Reader r : readers) {
      worst = Math.max(worst, r.remainingBytes());
    }
    return worst < 0 ? sizeBytes() : worst;
  }

  /** Records appended and not yet read by the slowest open reader. */
  public long backlogRecords() {
    long worst = -1;
    for (Reader r : readers) {
      worst = Math.max(worst, lastSequence - r.position());
    }
    if (worst >= 0) {
      return worst;
    }
    long min = Long.MAX_VALUE;
    for (long c : checkpoints.values()) {
      min = Math.min(min, c);
    }
    return lastSequence - (min == Long.MAX_VALUE ? 0 : min);
  }

  @Override
  public void close() throws IOException {
    synchronized (writeLock) {
      if (closed) {
        return;
      }
      closed = true;
      if (settings.fsync() != Fsync.NEVER) {
        active.force(false);
        syncedSequence = lastSequence;
      }
      active.close();
    }
    if (syncer != null) {
      syncer.interrupt();
    }
    for (Reader r : List.copyOf(readers)) {
      r.close();
    }
    wake();
  }

  private static long parseSequence(String digits, Path p) throws IOException {
    try {
      return Long.parseLong(digits);
    } catch (NumberFormatException e) {
      throw new IOException(
          "unexpected file "
              + p
              + " in the spool directory; segment files are named by their first sequence"
              + " (00000000000000000001.seg). Move it away.");
    }
  }

  private static long readCheckpoint(Path p) throws IOException {
    String text = Files.readString(p, StandardCharsets.US_ASCII).strip();
    try {
      return Long.parseLong(text);
    } catch (NumberFormatException e) {
      throw new IOException(
          "the spool checkpoint "
              + p
              + " holds '"
              + text
              + "', not a sequence number; it is written atomically, so something else changed"
              + " it. Delete it to reprocess the whole spool.");
    }
  }

  /** Writes {@code v} big-endian into {@code b[0..8)} and returns {@code b}. */
  static byte[] putLong(byte[] b, long v) {
    for (int i = 7; i >= 0; i--) {
      b[i] = (byte) v;
      v >>>= 8;
    }
    return b;
  }

  /**
   * Reads records in sequence order, one consumer at a time. Sees only records that are readable
   * (on disk with fsync always). A record whose checksum fails in a closed segment is reported by
   * {@link CorruptRecordException}; the reader then continues with the next segment.
   */
  public final class Reader implements AutoCloseable {
    private Segment segment;
    private FileChannel channel;
    private RecordInput input;
    private long offset;
    private volatile long position;
    private boolean closedReader;

    private Reader(long afterSequence) throws IOException {
      this.position = afterSequence;
      Segment start;
      synchronized (segments) {
        Map.Entry<Long, Segment> e = segments.floorEntry(afterSequence + 1);
        start = e == null ? segments.firstEntry().getValue() : e.getValue();
      }
      open(start);
      // skip the records at or before afterSequence in the first segment
      while (input != null) {
        RecordInput.Result r = input.next(offset, -1);
        if (r.entry() == null || r.entry().sequence() > afterSequence) {
          break;
        }
        offset = r.nextOffset();
      }
    }

    private void open(Segment s) throws IOException {
      if (channel != null) {
        channel.close();
      }
      segment = s;
      offset = 0;
      try {
        channel = FileChannel.open(s.path, StandardOpenOption.READ);
      } catch (NoSuchFileException e) {
        channel = null;
      }
      input = channel == null ? null : new RecordInput(channel, settings.maxRecordBytes());
    }

    /** The sequence of the last record returned (or the starting point). */
    public long position() {
      return position;
    }

    long remainingBytes() {
      long total = 0;
      synchronized (segments) {
        for (Segment s : segments.tailMap(segment.first, true).values()) {
          total += s.size;
        }
      }
      return Math.max(0, total - offset);
    }

    /**
     * Returns up to {@code maxRecords} records (and about {@code maxBytes} of payload) after the
     * last returned one, waiting up to {@code wait} for the first; empty when none came.
     *
     * @throws CorruptRecordException when a closed segment holds a damaged record; the records
     *     after it in that segment are skipped and the next call goes on with the next segment
     */
    public List<Entry> poll(int maxRecords, long maxBytes, Duration wait)
        throws IOException, InterruptedException {
      long deadline = System.nanoTime() + wait.toNanos();
      synchronized (signal) {
        while (readable() <= position && !closed && !closedReader) {
          long left = deadline - System.nanoTime();
          if (left <= 0) {
            return List.of();
          }
          signal.wait(Math.max(1, left / 1_000_000));
        }
      }
      List<Entry> out = new ArrayList<>();
      long bytes = 0;
      long limit = readable();
      while (out.size() < maxRecords && bytes < maxBytes && position < limit) {
        RecordInput.Result r = input == null ? RecordInput.END : input.next(offset, -1);
        if (r.entry() == null) {
          Segment next;
          synchronized (segments) {
            Map.Entry<Long, Segment> e = segments.higherEntry(segment.first);
            next = e == null ? null : e.getValue();
          }
          if (next == null) {
            break; // the writer has not finished the record yet
          }
          long endOfData = segment.size;
          if (r.corrupt() || (input != null && offset < endOfData)) {
            String where =
                String.format(Locale.ROOT, "%s at offset %,d", segment.path.getFileName(), offset);
            open(next);
            if (!out.isEmpty()) {
              return out;
            }
            throw new CorruptRecordException(
                "damaged spool record in " + where + "; the rest of that segment is skipped");
          }
          open(next);
          continue;
        }
        out.add(r.entry());
        bytes += r.entry().payload().length;
        offset = r.nextOffset();
        position = r.entry().sequence();
      }
      return out;
    }

    @Override
    public void close() throws IOException {
      closedReader = true;
      readers.remove(this);
      if (channel != null) {
        channel.close();
      }
    }
  }

  /** A record that failed its checksum, with where it was. */
  public static final class CorruptRecordException extends IOException {
    CorruptRecordException(String message) {
      super(message);
    }
  }

  /** Positional record decoding over a channel with a read-ahead buffer. */
  static final class RecordInput {
    static final Result END = new Result(null, 0, false);

    record Result(Entry entry, long nextOffset, boolean corrupt) {}

    private final FileChannel ch;
    private final int maxRecord;
    private ByteBuffer buf = ByteBuffer.allocate(1 << 20);
    private long bufStart = -1;
    private final CRC32C crc = new CRC32C();
    private final byte[] seqBytes = new byte[8];

    RecordInput(FileChannel ch, int maxRecord) {
      this.ch = ch;
      this.maxRecord = maxRecord;
      buf.limit(0);
    }

    /**
     * The record at {@code offset}, or an entry-less result at the end or at a damaged record.
     * {@code expected} (when >= 0) is the sequence the record must carry.
     */
    Result next(long offset, long expected) throws IOException {
      if (!ensure(offset, HEADER)) {
        return END;
      }
      int at = (int) (offset - bufStart);
      int length = buf.getInt(at);
      int crc = buf.getInt(at + 4);
      long seq = buf.getLong(at + 8);
      if (length < 0 || length > maxRecord) {
        return new Result(null, 0, true);
      }
      if (!ensure(offset, HEADER + length)) {
        return END;
      }
      at = (int) (offset - bufStart);
      byte[] payload = new byte[length];
      buf.get(at + HEADER, payload);
      this.crc.reset();
      this.crc.update(putLong(seqBytes, seq));
      this.crc.update(payload);
      if ((int) this.crc.getValue() != crc || (expected >= 0 && seq != expected)) {
        return new Result(null, 0, true);
      }
      return new Result(new Entry(seq, payload), offset + HEADER + length, false);
    }

    /** Makes bytes [offset, offset+n) available in the buffer; false when the file is shorter. */
    private boolean ensure(long offset, int n) throws IOException {
      if (bufStart >= 0 && offset >= bufStart && offset + n <= bufStart + buf.limit()) {
        return true;
      }
      if (buf.capacity() < n) {
        buf = ByteBuffer.allocate(n);
      }
      buf.clear();
      bufStart = offset;
      while (buf.hasRemaining()) {
        int r = ch.read(buf, offset + buf.position());
        if (r <= 0) {
          break;
        }
      }
      buf.flip();
      return buf.limit() >= n;
    }
  }

  /** Reads every checkpoint (consumer -> sequence), for status displays. */
  public Map<String, Long> checkpoints() {
    return new HashMap<>(checkpoints);
  }
}
