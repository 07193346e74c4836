package io.vigil.cli;

import io.vigil.detect.Detection;
import io.vigil.detect.RuleSet;
import io.vigil.event.Event;
import io.vigil.event.EventParseException;
import io.vigil.ingest.LineBlock;
import io.vigil.ingest.LogRecord;
import io.vigil.ingest.LogSink;
import io.vigil.ingest.ReadProblem;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.LongConsumer;

/**
 * Hunt's threads: one reader thread reads records into batches; N worker threads parse and match a
 * batch each; the calling thread takes the batches' results <em>in the order they were read</em>
 * and hands their detections on. So output is in input order whatever the thread count, and memory
 * is bounded: at most {@code threads * BATCHES_PER_THREAD + 1} batches (each of at most {@value
 * #BATCH_SIZE} records or about {@value #BATCH_CHARS} characters) are in flight, and the reader
 * waits when the writer falls behind. JSON lines arrive as {@link LineBlock}s of bytes, which the
 * workers parse without decoding them into strings first.
 */
final class HuntPipeline {
  /** Records per batch: large enough that handing batches between threads costs little. */
  static final int BATCH_SIZE = 256;

  /**
   * Characters of record text per batch at most (one record may pass it): with records near the
   * line limit (8 MiB), batches of 256 would hold gigabytes; this keeps the text in flight to about
   * {@code threads * BATCHES_PER_THREAD} MiB plus one record per batch.
   */
  static final int BATCH_CHARS = 1 << 20;

  /** Batches in flight per worker thread. */
  static final int BATCHES_PER_THREAD = 4;

  private HuntPipeline() {}

  /** What one batch yielded. */
  record BatchResult(List<Detection> detections, int events, int parseErrors) {}

  /** A batch being matched, and what it was made of. */
  private record Pending(Future<BatchResult> result, List<Object> items) {
    /**
     * After the batch's detections were written: its read buffers may be filled again. The events
     * of its detections are detached from them first (whoever got them may keep them), so that no
     * event ever reads bytes the reader has since overwritten.
     */
    void release(BatchResult result) {
      for (Detection d : result.detections()) {
        d.event().detach();
      }
      for (Object item : items) {
        if (item instanceof LineBlock block) {
          block.release();
        }
      }
    }
  }

  /** Where records come from: a reading call that feeds a sink (e.g. LogReader::read). */
  interface Source {
    void read(LogSink sink);
  }

  /**
   * Runs the hunt. {@code out} and {@code results} are called on the calling thread, in input
   * order. {@code problems} is called from the reader and from workers.
   */
  static void run(
      Source source,
      RuleSet rules,
      int threads,
      int minRank,
      Consumer<ReadProblem> problems,
      Consumer<BatchResult> results,
      LongConsumer bytesRead) {
    ExecutorService workers = Executors.newFixedThreadPool(threads, named("vigil-hunt-worker-"));
    BlockingQueue<Pending> inOrder = new ArrayBlockingQueue<>(threads * BATCHES_PER_THREAD);
    Pending end = new Pending(CompletableFuture.completedFuture(null), List.of());
    Throwable[] readerFailure = {null};
    ReaderSink sink = new ReaderSink(workers, inOrder, rules, minRank, problems, bytesRead);
    Thread reader =
        Thread.ofPlatform()
            .name("vigil-hunt-reader")
            .start(
                () -> {
                  try {
                    source.read(sink);
                    sink.flush();
                  } catch (CancellationException e) {
                    // the writer stopped; nothing more to do
                  } catch (Throwable t) {
                    readerFailure[0] = t;
                  } finally {
                    try {
                      inOrder.put(end);
                    } catch (InterruptedException e) {
                      Thread.currentThread().interrupt();
                    }
                  }
                });
    boolean done = false;
    try {
      while (true) {
        Pending next = inOrder.take();
        if (next == end) {
          break;
        }
        BatchResult result = next.result().get();
        results.accept(result);
        next.release(result);
      }
      done = true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CancellationException("interrupted");
    } catch (ExecutionException e) {
      throw e.getCause() instanceof RuntimeException r
          ? r
          : new IllegalStateException(e.getCause());
    } finally {
      if (!done) {
        sink.cancelled = true;
        reader.interrupt();
        inOrder.clear();
      }
      workers.shutdownNow();
      try {
        reader.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    if (readerFailure[0] instanceof RuntimeException r) {
      throw r;
    } else if (readerFailure[0] instanceof Error err) {
      throw err;
    }
  }

  private static ThreadFactory named(String prefix) {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, prefix + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }

  /** Runs on the reader thread: gathers records into batches and queues their matching. */
  private static final class ReaderSink implements LogSink {
    private final ExecutorService workers;
    private final BlockingQueue<Pending> inOrder;
    private final RuleSet rules;
    private final int minRank;
    private final Consumer<ReadProblem> problems;
    private final LongConsumer bytesRead;
    // LogRecords and LineBlocks, in input order
    private List<Object> batch = new ArrayList<>();
    private long batchRecords;
    private long batchChars;
    volatile boolean cancelled;

    ReaderSink(
        ExecutorService workers,
        BlockingQueue<Pending> inOrder,
        RuleSet rules,
        int minRank,
        Consumer<ReadProblem> problems,
        LongConsumer bytesRead) {
      this.workers = workers;
      this.inOrder = inOrder;
      this.rules = rules;
      this.minRank = minRank;
      this.problems = problems;
      this.bytesRead = bytesRead;
    }

    @Override
    public void record(LogRecord record) {
      if (cancelled) {
        throw new CancellationException("hunt stopped");
      }
      batch.add(record);
      batchRecords++;
      batchChars += record.text().length();
      if (batchRecords >= BATCH_SIZE || batchChars >= BATCH_CHARS) {
        flush();
      }
    }

    @Override
    public void lines(LineBlock block) {
      if (cancelled) {
        throw new CancellationException("hunt stopped");
      }
      batch.add(block);
      batchRecords += block.size();
      for (int i = 0; i < block.size(); i++) {
        batchChars += block.length(i);
      }
      if (batchRecords >= BATCH_SIZE || batchChars >= BATCH_CHARS) {
        flush();
      }
    }

    @Override
    public void problem(ReadProblem problem) {
      problems.accept(problem);
    }

    @Override
    public void bytesRead(long bytes) {
      bytesRead.accept(bytes);
    }

    void flush() {
      if (batch.isEmpty()) {
        return;
      }
      List<Object> full = batch;
      batch = new ArrayList<>();
      batchRecords = 0;
      batchChars = 0;
      Future<BatchResult> result = workers.submit(() -> match(full));
      try {
        inOrder.put(new Pending(result, full));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new CancellationException("hunt stopped");
      }
    }

    /** Runs on a worker: parses and matches one batch. */
    private BatchResult match(List<Object> items) {
      Batch batch = new Batch();
      for (Object item : items) {
        if (item instanceof LineBlock block) {
          for (int i = 0; i < block.size(); i++) {
            Event event;
            try {
              event = block.parse(i);
            } catch (EventParseException e) {
              batch.parseError(block.origin(), block.index(i), e);
              continue;
            }
            batch.match(event, block.origin(), block.index(i));
          }
        } else {
          LogRecord record = (LogRecord) item;
          Event event;
          try {
            event = record.parse();
          } catch (EventParseException e) {
            batch.parseError(record.origin(), record.index(), e);
            continue;
          }
          batch.match(event, record.origin(), record.index());
        }
      }
      return new BatchResult(batch.detections, batch.events, batch.parseErrors);
    }

    /** What one batch found so far, on its worker. */
    private final class Batch {
      final List<Detection> detections = new ArrayList<>();
      int events;
      int parseErrors;

      void parseError(String origin, long index, EventParseException e) {
        parseErrors++;
        problems.accept(new ReadProblem(origin, index, ReadProblem.Kind.RECORD, e.getMessage()));
      }

      void match(Event event, String origin, long index) {
        events++;
        List<Detection> found;
        try {
          found = rules.match(event);
        } catch (RuntimeException e) {
          // An engine fault on one event must not end the hunt; report it like a bad record.
          problems.accept(
              new ReadProblem(
                  origin,
                  index,
                  ReadProblem.Kind.RECORD,
                  "the detection engine failed on this event ("
                      + e
                      + "); please report it with the event"));
          return;
        }
        for (Detection d : found) {
          if (HuntLevels.rank(d.rule().level()) >= minRank) {
            detections.add(d);
          }
        }
      }
    }
  }
}
