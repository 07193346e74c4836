package io.vigil.store;

import java.io.IOException;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.Map;
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
 */
final class Day {
  /**
   * RAM buffer of a day's writer before it flushes a segment: 256 MB, or less on a small heap (at
   * most a sixteenth of the heap, as {@link EventStore#MAX_OPEN_WRITERS} writers may be open), but
   * at least 16 MB. Bigger buffers mean fewer, larger flushed segments and fewer merges.
   */
  static final double WRITER_BUFFER_MB =
      Math.max(16, Math.min(256, Runtime.getRuntime().maxMemory() / 16.0 / (1 << 20)));

  /** Segments per tier of the merge policy (Lucene's default 10): fewer merges during bulk adds. */
  static final double SEGMENTS_PER_TIER = 16;

  /** Commit user data key naming the layout of a day's documents. */
  static final String FORMAT_KEY = "vigil.store.format";

  /**
   * Layout of the documents (2: one full-text field without norms, one point per number). Days
   * written with another layout are refused on open, naming the directory.
   */
  static final String FORMAT = "2";

  final LocalDate date;
  final Path path;
  private final FSDirectory directory;
  private IndexWriter writer;
  private DirectoryReader reader;
  long lastAdd;

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
    String format =
        day.reader == null ? FORMAT : day.reader.getIndexCommit().getUserData().get(FORMAT_KEY);
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
    return day;
  }

  synchronized boolean hasWriter() {
    return writer != null;
  }

  /** The day's writer, opened on first use. */
  synchronized IndexWriter writer() throws IOException {
    if (writer == null) {
      IndexWriterConfig config = new IndexWriterConfig(StoreQueryParser.ANALYZER);
      config.setRAMBufferSizeMB(WRITER_BUFFER_MB);
      config.setOpenMode(IndexWriterConfig.OpenMode.CREATE_OR_APPEND);
      config.setCommitOnClose(true);
      // Separate files: building a compound file copies every flushed or merged segment once more.
      config.setUseCompoundFile(false);
      TieredMergePolicy merges = new TieredMergePolicy();
      merges.setNoCFSRatio(0);
      merges.setSegmentsPerTier(SEGMENTS_PER_TIER);
      config.setMergePolicy(merges);
      try {
        writer = new IndexWriter(directory, config);
        writer.setLiveCommitData(Map.of(FORMAT_KEY, FORMAT).entrySet());
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

  /** Commits the writer (if any) and makes the commit visible to new searches. */
  synchronized void commit() throws IOException {
    if (writer == null) {
      return;
    }
    writer.commit();
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
    commit();
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

  /** Closes the writer without committing more, and the reader. */
  synchronized void close(boolean commitFirst) throws IOException {
    try {
      if (writer != null) {
        if (commitFirst) {
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
