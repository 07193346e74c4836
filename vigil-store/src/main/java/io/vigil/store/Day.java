package io.vigil.store;

import java.io.IOException;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexNotFoundException;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.TieredMergePolicy;
import org.apache.lucene.store.FSDirectory;
import org.apache.lucene.store.LockObtainFailedException;

/**
 * One UTC day of events: its Lucene directory, a writer opened on the first add, and the reader
 * searches use (reference counted, swapped on commit).
 *
 * <p>Adds are idempotent without an id term per event: each commit records in its commit data the
 * day's <em>mark</em> (every event of this day with an id up to it is stored: the caller's {@code
 * upTo} of {@link EventStore#commit(long)}) and the ranges of the ids above the mark that are
 * stored. An add of an id at or below the mark, or in those ranges, is skipped. After a crash the
 * last commit's mark and ranges describe exactly what that commit holds.
 */
final class Day {
  /**
   * RAM buffer of a day's writer before it flushes a segment: 256 MB, or less on a small heap (at
   * most a sixteenth of the heap, as {@link EventStore#MAX_OPEN_WRITERS} writers may be open), but
   * at least 16 MB. Bigger buffers mean fewer, larger flushed segments and fewer merges. The system
   * property {@code vigil.store.writerBufferMB} sets it (for measurements).
   */
  static final double WRITER_BUFFER_MB = writerBufferMb();

  private static double writerBufferMb() {
    String set = System.getProperty("vigil.store.writerBufferMB");
    if (set == null) {
      return Math.max(16, Math.min(256, Runtime.getRuntime().maxMemory() / 16.0 / (1 << 20)));
    }
    try {
      double mb = Double.parseDouble(set.strip());
      if (mb >= 1 && mb <= 2047) {
        return mb;
      }
    } catch (NumberFormatException e) {
      // below
    }
    throw new IllegalArgumentException(
        "system property vigil.store.writerBufferMB is '"
            + set
            + "'; give the writer buffer in MB, from 1 to 2047, or leave it unset");
  }

  /** Segments per tier of the merge policy (Lucene's default 10): fewer merges during bulk adds. */
  static final double SEGMENTS_PER_TIER = 16;

  /** Commit user data key naming the layout of a day's documents. */
  static final String FORMAT_KEY = "vigil.store.format";

  /** Commit user data key: the day's mark (see the class comment). */
  static final String MARK_KEY = "vigil.store.mark";

  /** Commit user data key: the ranges of stored ids above the mark. */
  static final String IDS_KEY = "vigil.store.ids";

  /**
   * Layout of the documents (6: the keywords of all paths in one field, {@link
   * EventDocuments#KEYWORDS}; 5: words with positions only for prose-like values, the words of
   * one-word and machine-written values documents-only in their own field; 4: ids stored only, with
   * commit marks, no doc values per value; format 3, a documents-only full text, lived for an hour
   * of development). Days written with another layout are refused on open, naming the directory.
   */
  static final String FORMAT = "6";

  final LocalDate date;
  final Path path;
  private final FSDirectory directory;
  private volatile IndexWriter writer;
  private DirectoryReader reader;
  volatile long lastAdd;

  /** Adds hold it shared; a commit holds it exclusively, so its commit data matches its adds. */
  private final ReentrantReadWriteLock addLock = new ReentrantReadWriteLock();

  /** Every id of this day up to it is stored (as of the last commit). */
  private long mark = Long.MIN_VALUE;

  /** Ids above the mark that are stored or being added (guarded by itself). */
  private IdRanges ids = new IdRanges();

  /** The last commit's mark and ranges, to start again from after a writer failed. */
  private long committedMark = Long.MIN_VALUE;

  private String committedIds = "";
  private volatile boolean dirty;

  private Day(LocalDate date, Path path, FSDirectory directory) {
    this.date = date;
    this.path = path;
    this.directory = directory;
  }

  /** Opens a day's directory; reads its last commit if there is one. */
  static Day open(LocalDate date, Path path) throws IOException {
    FSDirectory directory = FSDirectory.open(path);
    Day day = new Day(date, path, directory);
    try {
      day.reader = DirectoryReader.open(directory);
    } catch (IndexNotFoundException empty) {
      day.reader = null;
    } catch (IOException | RuntimeException e) {
      directory.close();
      throw new IOException(
          "event store day "
              + path
              + " cannot be read ("
              + e
              + "); move that directory out of the store to start without it",
          e);
    }
    Map<String, String> data =
        day.reader == null ? Map.of() : day.reader.getIndexCommit().getUserData();
    String format = day.reader == null ? FORMAT : data.get(FORMAT_KEY);
    if (!FORMAT.equals(format)) {
      day.reader.close();
      directory.close();
      throw new IOException(
          "event store day "
              + path
              + " was written by an older vigil (store format "
              + (format == null ? "1" : format)
              + ", this version reads "
              + FORMAT
              + "); move that directory out of the store (or delete it) to start without it");
    }
    try {
      String m = data.get(MARK_KEY);
      day.committedMark = m == null ? Long.MIN_VALUE : Long.parseLong(m);
      day.committedIds = data.getOrDefault(IDS_KEY, "");
      day.mark = day.committedMark;
      day.ids = IdRanges.decode(day.committedIds);
    } catch (RuntimeException e) {
      if (day.reader != null) {
        day.reader.close();
      }
      directory.close();
      throw new IOException(
          "event store day "
              + path
              + " has unreadable id marks in its commit data ("
              + e
              + "); move that directory out of the store to start without it",
          e);
    }
    return day;
  }

  /**
   * Whether the day has a writer that is open. Not synchronized: adds ask it while the day commits
   * (the writer field is volatile).
   */
  boolean hasWriter() {
    IndexWriter w = writer;
    return w != null && w.isOpen();
  }

  /** The day's writer, opened on first use (again after a writer failed). */
  synchronized IndexWriter writer() throws IOException {
    if (writer != null && !writer.isOpen()) {
      // The writer failed (its uncommitted adds are gone): start again from the last commit.
      writer = null;
      synchronized (this.ids) {
        mark = committedMark;
        ids = IdRanges.decode(committedIds);
      }
    }
    if (writer == null) {
      IndexWriterConfig config = new IndexWriterConfig(StoreQueryParser.ANALYZER);
      config.setRAMBufferSizeMB(WRITER_BUFFER_MB);
      config.setOpenMode(IndexWriterConfig.OpenMode.CREATE_OR_APPEND);
      // Commits only through commit(): its commit data must describe the ids it holds.
      config.setCommitOnClose(false);
      // Separate files: building a compound file copies every flushed or merged segment once more.
      config.setUseCompoundFile(false);
      TieredMergePolicy merges = new TieredMergePolicy();
      merges.setNoCFSRatio(0);
      merges.setSegmentsPerTier(SEGMENTS_PER_TIER);
      config.setMergePolicy(merges);
      try {
        writer = new IndexWriter(directory, config);
      } catch (LockObtainFailedException e) {
        throw new IOException(
            "event store day "
                + path
                + " is locked (write.lock held by another process or store): stop the other"
                + " vigil serve using this store, or give this one another store directory",
            e);
      }
    }
    return writer;
  }

  /**
   * Adds the events whose ids this day does not hold yet (to the writer {@link #writer} opened);
   * returns how many were added.
   */
  int add(List<StoredEvent> events) throws IOException {
    addLock.readLock().lock();
    try {
      IndexWriter w = writer;
      if (w == null) {
        throw new IllegalStateException("event store day " + path + " has no writer");
      }
      List<StoredEvent> fresh = new ArrayList<>(events.size());
      IdRanges held = ids;
      synchronized (held) {
        for (StoredEvent e : events) {
          long id = e.id();
          if (id > mark && !held.contains(id)) {
            held.add(id);
            fresh.add(e);
          }
        }
      }
      int done = 0;
      try {
        for (StoredEvent e : fresh) {
          w.addDocument(EventDocuments.toDocument(e));
          done++;
          dirty = true;
        }
      } finally {
        if (done < fresh.size()) {
          synchronized (held) {
            for (int i = done; i < fresh.size(); i++) {
              held.remove(fresh.get(i).id());
            }
          }
        }
      }
      return done;
    } finally {
      addLock.readLock().unlock();
    }
  }

  /**
   * Commits the writer (if it added anything since the last commit) with the mark raised to {@code
   * upTo} (Long.MIN_VALUE: not raised), and makes the commit visible to new searches.
   */
  synchronized void commit(long upTo) throws IOException {
    if (writer == null) {
      return;
    }
    if (dirty) {
      // Write the buffered documents while adds go on, so that adds wait only for what arrives
      // meanwhile and the sync, not for a flush of the whole buffer.
      writer.flush();
    }
    addLock.writeLock().lock();
    try {
      if (dirty) {
        long newMark = Math.max(mark, upTo);
        IdRanges above;
        synchronized (ids) {
          above = ids.copy();
        }
        above.removeUpTo(newMark);
        String encoded = above.encode();
        writer.setLiveCommitData(
            Map.of(FORMAT_KEY, FORMAT, MARK_KEY, Long.toString(newMark), IDS_KEY, encoded)
                .entrySet());
        writer.commit();
        dirty = false;
        synchronized (ids) {
          mark = newMark;
          ids = above;
        }
        committedMark = newMark;
        committedIds = encoded;
      }
    } finally {
      addLock.writeLock().unlock();
    }
    DirectoryReader fresh =
        reader == null
            ? DirectoryReader.open(writer)
            : DirectoryReader.openIfChanged(reader, writer);
    if (fresh != null) {
      DirectoryReader old = reader;
      reader = fresh;
      if (old != null) {
        old.decRef();
      }
    }
  }

  /** Commits and closes the writer, keeping a reader of the last commit. */
  synchronized void closeWriter() throws IOException {
    if (writer == null) {
      return;
    }
    commit(Long.MIN_VALUE);
    writer.close();
    writer = null;
    DirectoryReader fresh;
    try {
      fresh = DirectoryReader.open(directory);
    } catch (IndexNotFoundException empty) {
      fresh = null;
    }
    DirectoryReader old = reader;
    reader = fresh;
    if (old != null) {
      old.decRef();
    }
  }

  /** The current reader with one more reference (release with decRef), or null when empty. */
  synchronized DirectoryReader acquire() {
    if (reader == null) {
      return null;
    }
    reader.incRef();
    return reader;
  }

  /** Closes the writer (committing first, or dropping what was not committed) and the reader. */
  synchronized void close(boolean commitFirst) throws IOException {
    try {
      if (writer != null) {
        if (commitFirst && writer.isOpen()) {
          commit(Long.MIN_VALUE);
          writer.close();
        } else {
          writer.rollback();
        }
        writer = null;
      }
    } finally {
      if (reader != null) {
        reader.decRef();
        reader = null;
      }
      directory.close();
    }
  }
}
