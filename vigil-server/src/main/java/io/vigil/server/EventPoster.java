package io.vigil.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vigil.event.FieldSchema;
import io.vigil.event.JsonEventParser;
import io.vigil.ingest.LogReader;
import io.vigil.ingest.LogRecord;
import io.vigil.ingest.LogSink;
import io.vigil.ingest.ReadLimits;
import io.vigil.ingest.ReadProblem;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;

/**
 * {@code vigil import}: reads log files with the ingest readers (every format they know) and posts
 * their events to a running server's {@code POST /api/v1/events} in JSON-lines batches, waiting and
 * retrying when the server answers 429. The server owns its data directory while it runs, so
 * importing through its API is the one way that is safe while it runs; start the server first.
 */
public final class EventPoster {
  /** Bytes of JSON lines per request at most (well under the server's default body limit). */
  public static final int BATCH_BYTES = 4 << 20;

  private static final ObjectMapper MAPPER = new ObjectMapper();

  private final URI events;
  private final String token;
  private final HttpClient client;

  /** What an import did. */
  public record Result(long accepted, long rejected, long readProblems, int requests) {}

  /**
   * @param server the server's base URL, e.g. {@code http://127.0.0.1:8080}
   * @param token a bearer token
   */
  public EventPoster(URI server, String token) {
    String base = server.toString().replaceAll("/+$", "");
    this.events = URI.create(base + "/api/v1/events");
    this.token = token;
    this.client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
  }

  /**
   * Reads the inputs and posts their events.
   *
   * @param problems told about every unreadable record or input, and every rejected event
   * @throws IOException when the server cannot be reached or refuses the token
   */
  public Result post(List<Path> inputs, Consumer<String> problems) throws IOException {
    LogReader reader =
        new LogReader(new JsonEventParser(FieldSchema.of(List.of("_")))::parse, ReadLimits.DEFAULT);
    long[] counts = new long[4];
    ByteArrayOutputStream batch = new ByteArrayOutputStream(BATCH_BYTES + (1 << 16));
    try {
      reader.read(
          inputs,
          new LogSink() {
            @Override
            public void record(LogRecord record) {
              byte[] line = record.text().strip().getBytes(StandardCharsets.UTF_8);
              batch.write(line, 0, line.length);
              batch.write('\n');
              if (batch.size() >= BATCH_BYTES) {
                send(batch, counts, problems);
              }
            }

            @Override
            public void problem(ReadProblem problem) {
              counts[2]++;
              problems.accept(problem.toString());
            }
          });
      send(batch, counts, problems);
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
    return new Result(counts[0], counts[1], counts[2], (int) counts[3]);
  }

  private void send(ByteArrayOutputStream batch, long[] counts, Consumer<String> problems) {
    if (batch.size() == 0) {
      return;
    }
    HttpRequest request =
        HttpRequest.newBuilder(events)
            .header("Authorization", "Bearer " + token)
            .header("Content-Type", "application/x-ndjson")
            .timeout(Duration.ofMinutes(5))
            .POST(HttpRequest.BodyPublishers.ofByteArray(batch.toByteArray()))
            .build();
    try {
      for (int attempt = 0; ; attempt++) {
        HttpResponse<String> r;
        try {
          r = client.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
          throw new IOException(
              "cannot reach the server at "
                  + events
                  + " ("
                  + e.getMessage()
                  + "); start it with 'vigil serve' or give --url",
              e);
        }
        counts[3]++;
        if (r.statusCode() == 429 && attempt < 600) {
          long wait = r.headers().firstValueAsLong("Retry-After").orElse(1);
          Thread.sleep(Math.max(1, wait) * 1000);
          continue;
        }
        if (r.statusCode() == 401) {
          throw new IOException(
              "the server refused the token (401); give --token (or VIGIL_TOKEN) with a token"
                  + " from 'vigil token create'");
        }
        if (r.statusCode() != 202) {
          throw new IOException(
              "the server answered " + r.statusCode() + ": " + r.body() + " (batch not imported)");
        }
        JsonNode answer = MAPPER.readTree(r.body());
        counts[0] += answer.path("accepted").asLong();
        counts[1] += answer.path("rejected").asLong();
        for (JsonNode e : answer.path("errors")) {
          problems.accept(e.path("at").asText() + ": " + e.path("reason").asText());
        }
        break;
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new UncheckedIOException(new IOException("interrupted"));
    }
    batch.reset();
  }

  /** For messages: the events URL. */
  public URI url() {
    return events;
  }
}
