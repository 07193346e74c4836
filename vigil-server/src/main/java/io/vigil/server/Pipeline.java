package io.vigil.server;

import io.vigil.detect.Detection;
import io.vigil.detect.RuleSet;
import io.vigil.event.Event;
import io.vigil.event.EventParseException;
import io.vigil.event.FieldSchema;
import io.vigil.event.JsonEventParser;
import io.vigil.server.spool.Spool;
import io.vigil.store.EventStore;
import io.vigil.store.StoredEvent;
import io.vigil.store.db.Alert;
import io.vigil.store.db.Database;
import io.vigil.store.db.DeadLetter;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The detection and storage stage: reads spool batches after its checkpoint, parses and matches
 * them on worker threads, inserts alerts (id {@code ruleId:eventId}), adds the events to the event
 * store (id = spool sequence), commits the store and only then moves its checkpoint. A crash
 * anywhere replays from the checkpoint; the ids make the replay idempotent, so every spooled event
 * is stored exactly once.
 *
 * <p>Dead letters have no id in the database, so they are written at the commit point: the stage
 * first records, in a small file, the sequence up to which it is writing them; after a crash that
 * left this mark past the checkpoint, the replay skips every dead letter of those sequences that is
 * already among the newest stored ones (same receive time, source, reason and text). At most {@link
 * #MAX_PENDING_DEAD_LETTERS} are written per commit, so they are all among the newest {@code
 * DeadLetterRepository.recent} returns.
 */
final class Pipeline implements AutoCloseable {
  static final String CONSUMER = "pipeline";

  /** Dead letters held before the stage commits early (see the class comment). */
  static final int MAX_PENDING_DEAD_LETTERS = 500;

  /** Most dead letters read back to recognise those written before a crash. */
  private static final int DEAD_LETTER_LOOKBACK = 1_000;

  private final Spool spool;
  private final RuleSet rules;
  private final JsonEventParser parser;
  private final EventFields fields;
  private final EventStore store;
  private final Database db;
  private final Metrics metrics;
  private final ServerConfig.Pipeline settings;
  private final ExecutorService workers;
  private final Thread thread;
  private final Path deadLetterMark;
  private final List<DeadLetter> pendingDead = new ArrayList<>();

  /** Dead letters stored before a crash, recognised during the replay up to {@link #replayUpTo}. */
  private Set<String> storedBeforeCrash = Set.of();

  private long replayUpTo;

  /** Test hook: fail once after writing dead letters and before moving the checkpoint. */
  volatile boolean failAfterDeadLetters;

  private volatile boolean running = true;
  private volatile boolean paused;
  private volatile boolean idle;
  private volatile String lastError;

  private volatile long committed;

  Pipeline(
      Spool spool,
      RuleSet rules,
      EventStore store,
      Database db,
      Metrics metrics,
      ServerConfig.Pipeline settings,
      Path deadLetterMark) {
    this.spool = spool;
    this.rules = rules;
    FieldSchema schema = EventFields.withServerFields(rules.schema());
    this.parser = new JsonEventParser(schema);
    this.fields = new EventFields(schema);
    this.store = store;
    this.db = db;
    this.metrics = metrics;
    this.settings = settings;
    this.deadLetterMark = deadLetterMark;
    AtomicInteger n = new AtomicInteger();
    this.workers =
        Executors.newFixedThreadPool(
            settings.threads(),
            r -> {
              Thread t = new Thread(r, "vigil-detect-" + n.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
    this.committed = spool.checkpoint(CONSUMER);
    this.thread = Thread.ofPlatform().name("vigil-pipeline").daemon().unstarted(this::loop);
  }

  void start() {
    thread.start();
  }

  /** Stops (or resumes) reading the spool; the backlog grows meanwhile (for tests of load). */
  void pause(boolean pause) throws InterruptedException {
    this.paused = pause;
    while (pause && !idle && thread.isAlive()) {
      Thread.sleep(5); // until the batch in hand is done
    }
  }

  /** The last spool sequence whose outputs are committed. */
  long committed() {
    return committed;
  }

  /** What a worker did with a chunk: events stored (added, not committed), alerts, dead letters. */
  private record Done(int stored, List<Alert> alerts, List<Keyed> dead, int detections) {}

  /** A dead letter and the spool sequence it came from. */
  private record Keyed(long sequence, DeadLetter letter) {}

  /**
   * Runs the stage; after a failure it waits (1 s, doubling to 30 s) and starts again from the
   * checkpoint, so a passing fault (a full disk, a locked database) costs a replay, not the stage.
   */
  private void loop() {
    long backoff = 1000;
    while (running) {
      try {
        runFromCheckpoint();
        return;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (Exception | Error e) {
        if (!running) {
          return;
        }
        lastError = e.toString();
        metrics.detectionFailures.increment();
        System.err.println(
            "vigil: the detection stage failed and restarts from its checkpoint in "
                + backoff
                + " ms: "
                + e);
        e.printStackTrace();
        try {
          Thread.sleep(backoff);
        } catch (InterruptedException ie) {
          return;
        }
        backoff = Math.min(30_000, backoff * 2);
      }
    }
  }

  /** The last failure of the stage, or null when it never failed. */
  String lastError() {
    return lastError;
  }

  /**
   * One run from the checkpoint: a feeder thread reads the spool and hands chunks to the workers
   * (at most {@link #MAX_CHUNKS_IN_FLIGHT} per worker thread at a time), and this thread harvests
   * the chunks in spool order and commits. Workers never wait for each other or for a commit: the
   * store takes adds while it commits, and a commit covers the chunks harvested before it started
   * (events added later that a commit happens to include are skipped by a replay: the store's
   * commit records the ids it holds).
   */
  private void runFromCheckpoint() throws Exception {
    pendingDead.clear();
    recallDeadLettersPastTheCheckpoint();
    Feeder feeder = new Feeder(spool.reader(committed), settings.threads() * MAX_CHUNKS_IN_FLIGHT);
    long harvested = committed;
    long lastCommit = System.nanoTime();
    long commitNanos = settings.commitInterval().toNanos();
    Thread feederThread =
        Thread.ofPlatform().name("vigil-pipeline-reader").daemon().start(feeder::run);
    try {
      while (running) {
        Chunk chunk = feeder.inFlight.poll(20, TimeUnit.MILLISECONDS);
        if (chunk != null) {
          harvest(chunk);
          feeder.permits.release();
          harvested = chunk.last();
        } else if (feeder.failure != null) {
          throw feeder.failure;
        }
        idle = feeder.paused && feeder.inFlight.isEmpty();
        if (harvested > committed
            && ((feeder.caughtUp && feeder.inFlight.isEmpty())
                || System.nanoTime() - lastCommit >= commitNanos
                || pendingDead.size() >= MAX_PENDING_DEAD_LETTERS)) {
          commit(harvested);
          lastCommit = System.nanoTime();
        }
      }
      // closing: finish what was handed out, then commit it
      feeder.stop();
      feederThread.join();
      for (Chunk chunk; (chunk = feeder.inFlight.poll()) != null; ) {
        harvest(chunk);
        harvested = chunk.last();
      }
      if (harvested > committed) {
        commit(harvested);
      }
    } finally {
      feeder.stop();
      feederThread.join();
      // after a failure: let the workers finish what they hold before the replay starts
      for (Chunk chunk : feeder.inFlight) {
        try {
          chunk.done().join();
        } catch (RuntimeException ignored) {
          // the first failure is the one reported
        }
      }
      feeder.reader.close();
    }
  }

  /** Chunks handed to the workers per worker thread and not yet harvested. */
  static final int MAX_CHUNKS_IN_FLIGHT = 4;

  /** Most records in one chunk handed to a worker. */
  static final int MAX_CHUNK_RECORDS = 512;

  /** A part of the spool handed to a worker: its last sequence and the worker's result. */
  private record Chunk(long last, CompletableFuture<Done> done) {}

  /** Reads the spool on its own thread and hands chunks to the workers in spool order. */
  private final class Feeder {
    final Spool.Reader reader;
    final Semaphore permits;
    final LinkedBlockingQueue<Chunk> inFlight = new LinkedBlockingQueue<>();
    volatile boolean stopped;
    volatile boolean caughtUp;
    volatile boolean paused;
    volatile Exception failure;

    Feeder(Spool.Reader reader, int maxInFlight) {
      this.reader = reader;
      this.permits = new Semaphore(maxInFlight);
    }

    void stop() {
      stopped = true;
    }

    void run() {
      try {
        while (!stopped) {
          if (Pipeline.this.paused) {
            paused = true;
            Thread.sleep(20);
            continue;
          }
          paused = false;
          List<Spool.Entry> batch;
          try {
            batch = reader.poll(settings.batchRecords(), 16L << 20, Duration.ofMillis(100));
          } catch (Spool.CorruptRecordException e) {
            metrics.spoolCorruptions.increment();
            System.err.println("vigil: " + e.getMessage());
            continue;
          }
          caughtUp = batch.isEmpty();
          int chunkSize =
              Math.max(
                  64, Math.min(MAX_CHUNK_RECORDS, batch.size() / Math.max(1, settings.threads())));
          for (int from = 0; from < batch.size(); from += chunkSize) {
            List<Spool.Entry> part = batch.subList(from, Math.min(batch.size(), from + chunkSize));
            while (!permits.tryAcquire(100, TimeUnit.MILLISECONDS)) {
              if (stopped) {
                return;
              }
            }
            inFlight.add(
                new Chunk(
                    part.getLast().sequence(),
                    CompletableFuture.supplyAsync(() -> detect(part), workers)));
          }
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } catch (Exception | Error e) {
        failure = e instanceof Exception ex ? ex : new IllegalStateException(e);
      }
    }
  }

  /** The commit point: events durable, then dead letters written, then the checkpoint moved. */
  private void commit(long upTo) throws IOException {
    long t0 = System.nanoTime();
    try {
      commitOnce(upTo);
    } finally {
      metrics.commitNanos.add(System.nanoTime() - t0);
      metrics.commits.increment();
    }
  }

  private void commitOnce(long upTo) throws IOException {
    store.commit(upTo); // every event up to upTo was added: a replay skips them without a lookup
    if (!pendingDead.isEmpty()) {
      writeMark(upTo);
      for (DeadLetter dl : pendingDead) {
        db.deadLetters().add(dl);
      }
      pendingDead.clear();
      if (failAfterDeadLetters) {
        failAfterDeadLetters = false;
        throw new IOException("test: failure after writing dead letters");
      }
    }
    spool.commit(CONSUMER, upTo);
    committed = upTo;
  }

  private void writeMark(long upTo) throws IOException {
    Path tmp = deadLetterMark.resolveSibling(deadLetterMark.getFileName() + ".tmp");
    try (FileChannel ch =
        FileChannel.open(
            tmp,
            StandardOpenOption.CREATE,
            StandardOpenOption.WRITE,
            StandardOpenOption.TRUNCATE_EXISTING)) {
      ch.write(ByteBuffer.wrap((upTo + "\n").getBytes(StandardCharsets.US_ASCII)));
      ch.force(true);
    }
    Files.move(tmp, deadLetterMark, StandardCopyOption.ATOMIC_MOVE);
  }

  /**
   * When the mark is past the checkpoint, dead letters of the sequences in between may be stored
   * already: remember the newest ones so that the replay does not store them twice.
   */
  private void recallDeadLettersPastTheCheckpoint() throws IOException {
    storedBeforeCrash = Set.of();
    replayUpTo = 0;
    if (!Files.exists(deadLetterMark)) {
      return;
    }
    long mark;
    try {
      mark = Long.parseLong(Files.readString(deadLetterMark, StandardCharsets.US_ASCII).strip());
    } catch (NumberFormatException e) {
      System.err.println(
          "vigil: "
              + deadLetterMark
              + " is unreadable ("
              + e.getMessage()
              + "); dead letters replayed after a crash may be stored twice");
      return;
    }
    if (mark <= committed) {
      return;
    }
    Set<String> keys = new HashSet<>();
    for (DeadLetter dl : db.deadLetters().recent(DEAD_LETTER_LOOKBACK)) {
      keys.add(key(dl));
    }
    storedBeforeCrash = keys;
    replayUpTo = mark;
  }

  /** What identifies a dead letter across a replay (the stored text is cut at 64 KiB). */
  private static String key(DeadLetter dl) {
    String raw = dl.raw() == null ? "" : dl.raw();
    return dl.time().toEpochMilli()
        + "\u0000"
        + dl.source()
        + "\u0000"
        + dl.reason()
        + "\u0000"
        + raw.substring(0, Math.min(raw.length(), 4096));
  }

  /** Takes a chunk's results in spool order: alerts inserted, dead letters held for the commit. */
  private void harvest(Chunk chunk) throws Exception {
    Done d;
    try {
      d = chunk.done().join();
    } catch (CompletionException e) {
      throw e.getCause() instanceof Exception ex ? ex : new IllegalStateException(e.getCause());
    }
    for (Keyed k : d.dead()) {
      if (k.sequence() <= replayUpTo && storedBeforeCrash.contains(key(k.letter()))) {
        continue; // stored before the crash
      }
      pendingDead.add(k.letter());
    }
    metrics.parseErrors.add(d.dead().size());
    metrics.detections.add(d.detections());
    if (!d.alerts().isEmpty()) {
      metrics.alertsNew.add(db.alerts().insert(d.alerts()));
    }
    metrics.eventsStored.add(d.stored());
  }

  /** Runs on a worker: decode, parse, match. */
  private Done detect(List<Spool.Entry> part) {
    List<StoredEvent> events = new ArrayList<>(part.size());
    List<Alert> alerts = new ArrayList<>();
    List<Keyed> dead = new ArrayList<>();
    int detections = 0;
    long t0 = System.nanoTime();
    Payload.Decoder decoder = new Payload.Decoder();
    for (Spool.Entry entry : part) {
      Payload.Decoded p = decoder.decode(entry.payload());
      Instant received = Instant.ofEpochMilli(p.receivedMillis());
      String json;
      Event event;
      try {
        if (p.kind() == Payload.SYSLOG) {
          String peer = p.source().substring(p.source().lastIndexOf(' ') + 1); // "syslog-udp A:P"
          json = EventFields.syslogJson(p.text(), received, peer);
          event = parser.parse(json, p.source(), entry.sequence());
        } else {
          event =
              parser.parse(p.bytes(), p.textOffset(), p.textLength(), p.source(), entry.sequence());
          // decoded once, shared with the rules that read the raw text (keywords)
          json = event.raw();
        }
      } catch (EventParseException e) {
        dead.add(
            new Keyed(
                entry.sequence(), new DeadLetter(received, p.source(), e.getMessage(), p.text())));
        continue;
      }
      Instant time = fields.time(event, received);
      List<Detection> found;
      try {
        found = rules.match(event);
      } catch (RuntimeException e) {
        found = List.of();
        dead.add(
            new Keyed(
                entry.sequence(),
                new DeadLetter(
                    received,
                    p.source(),
                    "the detection engine failed on this event (" + e + "); it is stored unmatched",
                    json)));
      }
      if (!found.isEmpty()) {
        detections += found.size();
        String host = fields.host(event);
        for (Detection d : found) {
          alerts.add(
              new Alert(
                  d.rule().id() + ":" + entry.sequence(),
                  time,
                  d.rule().id(),
                  d.rule().title(),
                  d.rule().level(),
                  host,
                  entry.sequence(),
                  json,
                  d.rule().tags()));
        }
      }
      events.add(new StoredEvent(entry.sequence(), time, json));
    }
    long t1 = System.nanoTime();
    metrics.detectNanos.add(t1 - t0);
    // indexing is the costliest step: each worker adds its own part (the store is thread-safe)
    try {
      store.add(events);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    metrics.storeAddNanos.add(System.nanoTime() - t1);
    return new Done(events.size(), alerts, dead, detections);
  }

  @Override
  public void close() throws IOException {
    running = false;
    try {
      thread.join(10_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    workers.shutdownNow();
  }
}
