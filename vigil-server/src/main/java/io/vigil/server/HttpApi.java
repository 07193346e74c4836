package io.vigil.server;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.vigil.server.spool.Spool;
import io.vigil.store.EventStore;
import io.vigil.store.QueryException;
import io.vigil.store.StoredEvent;
import io.vigil.store.db.Alert;
import io.vigil.store.db.AlertPage;
import io.vigil.store.db.AlertQuery;
import io.vigil.store.db.Database;
import io.vigil.store.db.DeadLetter;
import io.vigil.store.db.Principal;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.GZIPInputStream;

/**
 * The HTTP API on the JDK's built-in server: bulk ingestion into the spool, search, histogram, top
 * values, alerts, dead letters, {@code /healthz} and Prometheus {@code /metrics}. Every call but
 * {@code /healthz} needs {@code Authorization: Bearer TOKEN}.
 */
final class HttpApi implements AutoCloseable {
  static final Set<String> LEVELS = Set.of("informational", "low", "medium", "high", "critical");

  private static final ObjectMapper MAPPER = new ObjectMapper();

  private final ServerConfig.Http settings;
  private final long maxBacklogBytes;
  private final Spool spool;
  private final EventStore store;
  private final Database db;
  private final Metrics metrics;
  private final Pipeline pipeline;
  private final HttpServer server;
  private final ExecutorService executor;
  private final Semaphore ingestSlots;
  private final long started = System.nanoTime();

  HttpApi(
      ServerConfig config,
      Spool spool,
      EventStore store,
      Database db,
      Metrics metrics,
      Pipeline pipeline)
      throws IOException {
    this.settings = config.http();
    this.maxBacklogBytes = config.maxBacklogBytes();
    this.spool = spool;
    this.store = store;
    this.db = db;
    this.metrics = metrics;
    this.pipeline = pipeline;
    this.ingestSlots = new Semaphore(settings.maxConcurrentIngest());
    this.server = HttpServer.create(new InetSocketAddress(settings.bind(), settings.port()), 256);
    AtomicInteger n = new AtomicInteger();
    this.executor =
        Executors.newFixedThreadPool(
            Math.max(4, settings.maxConcurrentIngest() * 2),
            r -> {
              Thread t = new Thread(r, "vigil-http-" + n.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
    server.setExecutor(executor);
    server.createContext("/", this::handle);
  }

  void start() {
    server.start();
  }

  int port() {
    return server.getAddress().getPort();
  }

  /** An answer: status, JSON (or text) body, extra headers. */
  private record Reply(int status, String body, String contentType, Map<String, String> headers) {
    static Reply json(int status, String body) {
      return new Reply(status, body, "application/json", Map.of());
    }
  }

  /** A request problem the client can fix; becomes a JSON error with this status. */
  private static final class BadRequest extends RuntimeException {
    final int status;

    BadRequest(int status, String message) {
      super(message, null, false, false);
      this.status = status;
    }
  }

  private void handle(HttpExchange ex) throws IOException {
    Reply reply;
    try {
      reply = route(ex);
    } catch (BadRequest e) {
      reply = error(e.status, e.getMessage());
    } catch (QueryException e) {
      reply = error(400, "parameter q: " + e.getMessage());
    } catch (RuntimeException | IOException e) {
      reply = error(500, "internal error: " + e);
    }
    try (InputStream in = ex.getRequestBody()) {
      // drain what was not read (up to 64 MiB) so the client reads the answer, not a reset
      in.skip(64L << 20);
    } catch (IOException e) {
      // the client went away
    }
    metrics.http(reply.status());
    byte[] body = reply.body().getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().set("Content-Type", reply.contentType() + "; charset=utf-8");
    reply.headers().forEach((k, v) -> ex.getResponseHeaders().set(k, v));
    ex.sendResponseHeaders(reply.status(), body.length == 0 ? -1 : body.length);
    try (OutputStream out = ex.getResponseBody()) {
      out.write(body);
    }
  }

  private Reply route(HttpExchange ex) throws IOException, QueryException {
    String path = ex.getRequestURI().getPath();
    String method = ex.getRequestMethod();
    if (path.equals("/healthz")) {
      return health();
    }
    if (!path.startsWith("/api/") && !path.equals("/metrics")) {
      throw new BadRequest(404, "no such path " + path + "; the API is under /api/v1/");
    }
    Optional<Principal> who = authenticate(ex);
    if (who.isEmpty()) {
      return new Reply(
          401,
          "{\"error\":\"missing or unknown bearer token: send 'Authorization: Bearer TOKEN'"
              + " (the admin token is printed at first start; 'vigil token create --role ROLE'"
              + " makes more)\"}",
          "application/json",
          Map.of("WWW-Authenticate", "Bearer realm=\"vigil\""));
    }
    Map<String, String> q = query(ex);
    return switch (method + " " + path) {
      case "POST /api/v1/events" -> ingest(ex);
      case "GET /api/v1/events" -> search(q);
      case "GET /api/v1/events/histogram" -> histogram(q);
      case "GET /api/v1/events/top" -> top(q);
      case "GET /api/v1/alerts" -> alerts(q);
      case "GET /api/v1/deadletters" -> deadLetters(q);
      case "GET /metrics" -> new Reply(200, metricsText(), "text/plain; version=0.0.4", Map.of());
      default ->
          throw new BadRequest(
              404,
              "no endpoint "
                  + method
                  + " "
                  + path
                  + "; there are POST /api/v1/events, GET /api/v1/events, /api/v1/events/histogram,"
                  + " /api/v1/events/top, /api/v1/alerts, /api/v1/deadletters, /metrics, /healthz");
    };
  }

  private Optional<Principal> authenticate(HttpExchange ex) {
    String auth = ex.getRequestHeaders().getFirst("Authorization");
    if (auth == null || !auth.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return Optional.empty();
    }
    String token = auth.substring(7).strip();
    return token.isEmpty() ? Optional.empty() : db.tokens().verify(token);
  }

  // ------------------------------------------------------------------ ingestion

  private Reply ingest(HttpExchange ex) throws IOException {
    if (spool.backlogBytes() > maxBacklogBytes) {
      return new Reply(
          429,
          "{\"error\":\"the detection stage is behind (spool backlog over spool.max-backlog-bytes);"
              + " retry after the Retry-After seconds\"}",
          "application/json",
          Map.of("Retry-After", "1"));
    }
    boolean slot;
    try {
      slot = ingestSlots.tryAcquire(2, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      slot = false;
    }
    if (!slot) {
      return new Reply(
          429,
          "{\"error\":\"too many ingest requests at once (http.max-concurrent-ingest); retry after"
              + " the Retry-After seconds\"}",
          "application/json",
          Map.of("Retry-After", "1"));
    }
    try {
      String source = "http " + ex.getRemoteAddress().getAddress().getHostAddress();
      Body body = readBody(ex);
      String type = ex.getRequestHeaders().getFirst("Content-Type");
      boolean ndjson =
          type != null
              && (type.contains("ndjson")
                  || type.contains("jsonlines")
                  || type.contains("x-jsonl"));
      long now = System.currentTimeMillis();
      BulkBody.Result r = BulkBody.split(body.bytes(), body.length(), ndjson, source, now);
      List<byte[]> payloads = r.payloads();
      List<BulkBody.Rejected> rejected = new java.util.ArrayList<>(r.rejected());
      int max = spool.settings().maxRecordBytes();
      if (payloads.stream().anyMatch(p -> p.length > max)) {
        List<byte[]> kept = new java.util.ArrayList<>();
        for (byte[] p : payloads) {
          if (p.length > max) {
            rejected.add(
                new BulkBody.Rejected(
                    "event",
                    "over spool.max-record-bytes (" + max + " bytes)",
                    Payload.decode(p)
                        .text()
                        .substring(0, Math.min(4096, Payload.decode(p).text().length()))));
          } else {
            kept.add(p);
          }
        }
        payloads = kept;
      }
      for (BulkBody.Rejected bad : rejected) {
        db.deadLetters()
            .add(
                new DeadLetter(
                    Instant.ofEpochMilli(now),
                    source,
                    bad.where() + ": " + bad.reason(),
                    bad.raw()));
      }
      long last = spool.append(payloads);
      metrics.in("http", payloads.size());
      metrics.rejected("http", rejected.size());
      ObjectNode out = MAPPER.createObjectNode();
      out.put("accepted", payloads.size());
      out.put("rejected", rejected.size());
      if (!payloads.isEmpty()) {
        out.put("firstSequence", last - payloads.size() + 1);
        out.put("lastSequence", last);
      }
      ArrayNode errors = out.putArray("errors");
      for (BulkBody.Rejected bad : rejected.subList(0, Math.min(20, rejected.size()))) {
        errors.addObject().put("at", bad.where()).put("reason", bad.reason());
      }
      return Reply.json(202, out.toString());
    } finally {
      ingestSlots.release();
    }
  }

  /** A request body: the first {@code length} bytes of {@code bytes}. */
  private record Body(byte[] bytes, int length) {}

  /** The request body, gunzipped when so encoded, at most http.max-body-bytes decompressed. */
  private Body readBody(HttpExchange ex) throws IOException {
    long limit = settings.maxBodyBytes();
    String length = ex.getRequestHeaders().getFirst("Content-Length");
    long declared = -1;
    if (length != null) {
      try {
        declared = Long.parseLong(length.strip());
      } catch (NumberFormatException e) {
        throw new BadRequest(400, "Content-Length is not a number");
      }
      if (declared > limit) {
        throw tooLarge(limit);
      }
    }
    InputStream in = ex.getRequestBody();
    String encoding = ex.getRequestHeaders().getFirst("Content-Encoding");
    if (encoding != null && !encoding.isBlank() && !encoding.equalsIgnoreCase("identity")) {
      if (!encoding.equalsIgnoreCase("gzip")) {
        throw new BadRequest(
            415, "Content-Encoding " + encoding + " is not supported; send gzip or plain bodies");
      }
      in = new GZIPInputStream(in, 1 << 16);
      declared = -1; // the decompressed size is unknown
    }
    // a plain body of a declared length is read into an array of that size (no growing copies);
    // one more byte tells a body longer than declared
    byte[] buf = new byte[(int) Math.min(limit + 1, declared >= 0 ? declared + 1 : 1 << 20)];
    int n = 0;
    try {
      while (true) {
        if (n == buf.length) {
          if (n > limit) {
            throw tooLarge(limit);
          }
          buf = Arrays.copyOf(buf, (int) Math.min(limit + 1, (long) buf.length * 2));
        }
        int r = in.read(buf, n, buf.length - n);
        if (r < 0) {
          break;
        }
        n += r;
        if (n > limit) {
          throw tooLarge(limit);
        }
      }
    } catch (java.util.zip.ZipException | java.io.EOFException e) {
      throw new BadRequest(400, "the gzip body is damaged: " + e.getMessage());
    }
    return new Body(buf, n);
  }

  private static BadRequest tooLarge(long limit) {
    return new BadRequest(
        413,
        String.format(
            Locale.ROOT,
            "the body is over http.max-body-bytes (%,d bytes after decompression); send smaller"
                + " batches or raise the setting",
            limit));
  }

  // ------------------------------------------------------------------ queries

  private Reply search(Map<String, String> q) throws IOException, QueryException {
    String query = q.getOrDefault("q", "");
    Instant from = instant(q, "from");
    Instant to = instant(q, "to");
    int limit = intParam(q, "limit", 100, 0, 10_000);
    // as Elasticsearch: matches are counted up to 10,000 unless the caller asks for every one
    // (a broad query over millions of events then costs what one page costs)
    boolean exact = boolParam(q, "exactTotal", false);
    EventStore.SearchResult r =
        store.search(
            query, from, to, limit, exact ? Long.MAX_VALUE : EventStore.DEFAULT_TRACK_TOTAL_HITS);
    StringBuilder sb = new StringBuilder(256 + r.events().size() * 256);
    sb.append("{\"total\":")
        .append(r.total())
        .append(",\"totalExact\":")
        .append(r.totalExact())
        .append(",\"events\":[");
    boolean first = true;
    for (StoredEvent e : r.events()) {
      if (!first) {
        sb.append(',');
      }
      first = false;
      appendEvent(sb, e);
    }
    return Reply.json(200, sb.append("]}").toString());
  }

  /** The stored JSON object with {@code _id} and {@code _time} added in front. */
  static void appendEvent(StringBuilder sb, StoredEvent e) {
    String json = e.json().strip();
    sb.append("{\"_id\":").append(e.id()).append(",\"_time\":\"").append(e.time()).append('"');
    String inner = json.substring(1, json.length() - 1).strip();
    if (!inner.isEmpty()) {
      sb.append(',').append(inner);
    }
    sb.append('}');
  }

  private Reply histogram(Map<String, String> q) throws IOException, QueryException {
    int buckets = intParam(q, "buckets", 50, 1, 1000);
    List<EventStore.Bucket> r =
        store.histogram(q.getOrDefault("q", ""), instant(q, "from"), instant(q, "to"), buckets);
    ObjectNode out = MAPPER.createObjectNode();
    ArrayNode arr = out.putArray("buckets");
    for (EventStore.Bucket b : r) {
      arr.addObject()
          .put("start", b.start().toString())
          .put("end", b.end().toString())
          .put("count", b.count());
    }
    return Reply.json(200, out.toString());
  }

  private Reply top(Map<String, String> q) throws IOException, QueryException {
    String field = q.get("field");
    if (field == null || field.isBlank()) {
      throw new BadRequest(400, "parameter field is required: the event field to count values of");
    }
    int limit = intParam(q, "limit", 10, 1, 1000);
    List<EventStore.TermCount> r =
        store.top(field, q.getOrDefault("q", ""), instant(q, "from"), instant(q, "to"), limit);
    ObjectNode out = MAPPER.createObjectNode();
    out.put("field", field);
    ArrayNode arr = out.putArray("values");
    for (EventStore.TermCount t : r) {
      arr.addObject().put("value", t.value()).put("count", t.count());
    }
    return Reply.json(200, out.toString());
  }

  private Reply alerts(Map<String, String> q) throws IOException {
    String level = q.get("level");
    if (level != null && !LEVELS.contains(level.toLowerCase(Locale.ROOT))) {
      throw new BadRequest(
          400,
          "parameter level is '"
              + level
              + "'; give informational, low, medium, high or critical (the minimum level)");
    }
    AlertPage page =
        db.alerts()
            .query(
                new AlertQuery(
                    q.get("rule"),
                    level == null ? null : level.toLowerCase(Locale.ROOT),
                    q.get("host"),
                    instant(q, "from"),
                    instant(q, "to"),
                    intParam(q, "limit", 100, 1, 1000),
                    intParam(q, "offset", 0, 0, Integer.MAX_VALUE)));
    StringBuilder sb = new StringBuilder(1024);
    sb.append("{\"total\":").append(page.total()).append(",\"alerts\":[");
    boolean first = true;
    for (Alert a : page.alerts()) {
      if (!first) {
        sb.append(',');
      }
      first = false;
      ObjectNode o = MAPPER.createObjectNode();
      o.put("id", a.id())
          .put("time", a.time().toString())
          .put("ruleId", a.ruleId())
          .put("ruleTitle", a.ruleTitle())
          .put("level", a.level())
          .put("host", a.host())
          .put("eventId", a.eventId());
      ArrayNode tags = o.putArray("tags");
      a.tags().forEach(tags::add);
      String head = o.toString();
      sb.append(head, 0, head.length() - 1).append(",\"event\":").append(a.eventJson()).append('}');
    }
    return Reply.json(200, sb.append("]}").toString());
  }

  private Reply deadLetters(Map<String, String> q) {
    int limit = intParam(q, "limit", 100, 1, 1000);
    ObjectNode out = MAPPER.createObjectNode();
    out.put("total", db.deadLetters().count());
    ArrayNode arr = out.putArray("deadLetters");
    for (DeadLetter d : db.deadLetters().recent(limit)) {
      arr.addObject()
          .put("time", d.time().toString())
          .put("source", d.source())
          .put("reason", d.reason())
          .put("raw", d.raw());
    }
    return Reply.json(200, out.toString());
  }

  private Reply health() {
    ObjectNode out = MAPPER.createObjectNode();
    String error = pipeline.lastError();
    out.put("status", error == null ? "ok" : "degraded");
    if (error != null) {
      out.put("detectionError", error);
    }
    out.put("uptimeSeconds", (System.nanoTime() - started) / 1_000_000_000L);
    ObjectNode sp = out.putObject("spool");
    sp.put("lastSequence", spool.lastSequence());
    sp.put("committed", pipeline.committed());
    sp.put("lagRecords", spool.backlogRecords());
    sp.put("lagBytes", spool.backlogBytes());
    sp.put("uncommittedRecords", spool.lastSequence() - pipeline.committed());
    return Reply.json(200, out.toString());
  }

  private String metricsText() throws IOException {
    return metrics.prometheus(
        new Metrics.Gauges(
            spool.backlogRecords(),
            spool.backlogBytes(),
            spool.sizeBytes(),
            store.sizeBytes(),
            store.count()));
  }

  // ------------------------------------------------------------------ parameters

  private static Map<String, String> query(HttpExchange ex) {
    Map<String, String> out = new HashMap<>();
    String raw = ex.getRequestURI().getRawQuery();
    if (raw == null || raw.isEmpty()) {
      return out;
    }
    for (String pair : raw.split("&")) {
      int eq = pair.indexOf('=');
      String k = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
      String v = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
      out.put(k, v);
    }
    return out;
  }

  private static boolean boolParam(Map<String, String> q, String name, boolean def) {
    String v = q.get(name);
    if (v == null || v.isEmpty()) {
      return def;
    }
    return switch (v.strip().toLowerCase(java.util.Locale.ROOT)) {
      case "true", "1", "yes" -> true;
      case "false", "0", "no" -> false;
      default ->
          throw new BadRequest(400, "parameter " + name + " is '" + v + "'; give true or false");
    };
  }

  private static int intParam(Map<String, String> q, String name, int def, int min, int max) {
    String v = q.get(name);
    if (v == null || v.isEmpty()) {
      return def;
    }
    try {
      long n = Long.parseLong(v.strip());
      if (n >= min && n <= max) {
        return (int) n;
      }
    } catch (NumberFormatException e) {
      // below
    }
    throw new BadRequest(
        400,
        "parameter " + name + " is '" + v + "'; give a whole number from " + min + " to " + max);
  }

  private static Instant instant(Map<String, String> q, String name) {
    String v = q.get(name);
    if (v == null || v.isEmpty()) {
      return null;
    }
    try {
      if (v.chars().allMatch(Character::isDigit)) {
        return Instant.ofEpochMilli(Long.parseLong(v));
      }
      return Instant.parse(v);
    } catch (DateTimeParseException | NumberFormatException e) {
      throw new BadRequest(
          400,
          "parameter "
              + name
              + " is '"
              + v
              + "'; give an ISO-8601 instant such as 2026-11-28T10:00:00Z or epoch milliseconds");
    }
  }

  private static Reply error(int status, String message) {
    StringBuilder sb = new StringBuilder("{\"error\":\"");
    JsonStringEncoder.getInstance().quoteAsString(message, sb);
    return Reply.json(status, sb.append("\"}").toString());
  }

  @Override
  public void close() {
    server.stop(0);
    // no shutdownNow: an interrupt would close the spool's file channel mid-append
    executor.shutdown();
    try {
      executor.awaitTermination(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
