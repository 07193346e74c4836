package io.vigil.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vigil.detect.Detection;
import io.vigil.detect.RuleSet;
import io.vigil.event.Event;
import io.vigil.event.EventParseException;
import io.vigil.event.JsonEventParser;
import io.vigil.server.spool.Spool;
import io.vigil.store.EventStore;
import io.vigil.store.StoredEvent;
import io.vigil.store.db.Alert;
import io.vigil.store.db.Database;
import io.vigil.store.db.DeadLetter;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The detection and storage stage: reads spool batches after its checkpoint, parses and matches
 * them on worker threads, inserts alerts (id {@code ruleId:eventId}), adds the events to the event
 * store (id = spool sequence), commits the store and only then moves its checkpoint. A crash
 * anywhere replays from the checkpoint; the ids make the replay idempotent, so every spooled event
 * is stored exactly once.
 */
final class Pipeline implements AutoCloseable {
  static final String CONSUMER = "pipeline";

  private static final ObjectMapper MAPPER = new ObjectMapper();

  private final Spool spool;
  private final RuleSet rules;
  private final JsonEventParser parser;
  private final EventStore store;
  private final Database db;
  private final Metrics metrics;
  private final ServerConfig.Pipeline settings;
  private final ExecutorService workers;
  private final Thread thread;
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
      ServerConfig.Pipeline settings) {
    this.spool = spool;
    this.rules = rules;
    this.parser = new JsonEventParser(rules.schema());
    this.store = store;
    this.db = db;
    this.metrics = metrics;
    this.settings = settings;
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

  private record Done(
      List<StoredEvent> events, List<Alert> alerts, List<DeadLetter> dead, int detections) {}

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

  private void runFromCheckpoint() throws Exception {
    long pending = committed;
    long lastCommit = System.nanoTime();
    long commitNanos = settings.commitInterval().toNanos();
    try (Spool.Reader reader = spool.reader(committed)) {
      while (running) {
        if (paused) {
          idle = true;
          Thread.sleep(20);
          continue;
        }
        idle = false;
        List<Spool.Entry> batch;
        try {
          batch = reader.poll(settings.batchRecords(), 16L << 20, Duration.ofMillis(100));
        } catch (Spool.CorruptRecordException e) {
          metrics.spoolCorruptions.increment();
          System.err.println("vigil: " + e.getMessage());
          continue;
        }
        if (!batch.isEmpty()) {
          process(batch);
          pending = batch.getLast().sequence();
        }
        if (pending > committed
            && (batch.isEmpty() || System.nanoTime() - lastCommit >= commitNanos)) {
          store.commit();
          spool.commit(CONSUMER, pending);
          committed = pending;
          lastCommit = System.nanoTime();
        }
      }
      if (pending > committed) {
        store.commit();
        spool.commit(CONSUMER, pending);
        committed = pending;
      }
    }
  }

  private void process(List<Spool.Entry> batch) throws Exception {
    int threads = settings.threads();
    int chunk = Math.max(64, (batch.size() + threads - 1) / threads);
    List<Future<Done>> parts = new ArrayList<>();
    for (int from = 0; from < batch.size(); from += chunk) {
      List<Spool.Entry> part = batch.subList(from, Math.min(batch.size(), from + chunk));
      parts.add(workers.submit(() -> detect(part)));
    }
    List<StoredEvent> events = new ArrayList<>(batch.size());
    List<Alert> alerts = new ArrayList<>();
    for (Future<Done> f : parts) {
      Done d;
      try {
        d = f.get();
      } catch (ExecutionException e) {
        throw e.getCause() instanceof Exception ex ? ex : new IllegalStateException(e.getCause());
      }
      events.addAll(d.events()); // already added to the store by the worker
      alerts.addAll(d.alerts());
      for (DeadLetter dl : d.dead()) {
        db.deadLetters().add(dl);
      }
      metrics.parseErrors.add(d.dead().size());
      metrics.detections.add(d.detections());
    }
    if (!alerts.isEmpty()) {
      metrics.alertsNew.add(db.alerts().insert(alerts));
    }
    metrics.eventsStored.add(events.size());
  }

  /** Runs on a worker: decode, parse, match. */
  private Done detect(List<Spool.Entry> part) {
    List<StoredEvent> events = new ArrayList<>(part.size());
    List<Alert> alerts = new ArrayList<>();
    List<DeadLetter> dead = new ArrayList<>();
    int detections = 0;
    for (Spool.Entry entry : part) {
      Payload.Decoded p = Payload.decode(entry.payload());
      Instant received = Instant.ofEpochMilli(p.receivedMillis());
      String json;
      Event event;
      try {
        if (p.kind() == Payload.SYSLOG) {
          String peer = p.source().substring(p.source().lastIndexOf(' ') + 1); // "syslog-udp A:P"
          json = EventFields.syslogJson(p.text(), received, peer);
          event = parser.parse(json, p.source(), entry.sequence());
        } else {
          json = p.text();
          event =
              parser.parse(
                  p.bytes(),
                  p.textOffset(),
                  p.bytes().length - p.textOffset(),
                  p.source(),
                  entry.sequence());
        }
      } catch (EventParseException e) {
        dead.add(new DeadLetter(received, p.source(), e.getMessage(), p.text()));
        continue;
      }
      Instant time = EventFields.time(json, received);
      List<Detection> found;
      try {
        found = rules.match(event);
      } catch (RuntimeException e) {
        found = List.of();
        dead.add(
            new DeadLetter(
                received,
                p.source(),
                "the detection engine failed on this event (" + e + "); it is stored unmatched",
                p.text()));
      }
      if (!found.isEmpty()) {
        detections += found.size();
        JsonNode tree = null;
        try {
          tree = MAPPER.readTree(json);
        } catch (IOException e) {
          // parsed above; cannot happen
        }
        String host = tree == null ? null : EventFields.host(tree);
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
    // indexing is the costliest step: each worker adds its own part (the store is thread-safe)
    try {
      store.add(events);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    return new Done(events, alerts, dead, detections);
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
