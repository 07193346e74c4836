package io.vigil.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/** A real server on free loopback ports in a temporary data directory, with an HTTP client. */
final class TestServer implements AutoCloseable {
  static final String TOKEN = "vgl_test-admin-token-0123456789abcdef";
  static final ObjectMapper JSON = new ObjectMapper();

  final VigilServer server;
  final HttpClient client = HttpClient.newHttpClient();
  final String output;

  TestServer(Path data, UnaryOperator<ServerConfig> customize) throws Exception {
    ServerConfig cfg = config(data);
    cfg = customize.apply(cfg);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    server =
        VigilServer.start(
            cfg, List.of(rules()), TOKEN, new PrintStream(out, true, StandardCharsets.UTF_8));
    output = out.toString(StandardCharsets.UTF_8);
  }

  static ServerConfig config(Path data) {
    ServerConfig d = ServerConfig.defaults();
    return d.withDataDir(data)
        .withRules(List.of(), false)
        .withHttp(new ServerConfig.Http("127.0.0.1", 0, 1 << 20, 4))
        .withSyslog(new ServerConfig.Syslog("127.0.0.1", 0, true, true, 8192, null, null))
        .withPipeline(new ServerConfig.Pipeline(2, 1024, Duration.ofMillis(100)));
  }

  static Path rules() throws URISyntaxException {
    return Path.of(TestServer.class.getResource("rules").toURI());
  }

  URI uri(String pathAndQuery) {
    return URI.create("http://127.0.0.1:" + server.httpPort() + pathAndQuery);
  }

  HttpResponse<String> get(String pathAndQuery) throws IOException, InterruptedException {
    return client.send(
        HttpRequest.newBuilder(uri(pathAndQuery))
            .header("Authorization", "Bearer " + TOKEN)
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  JsonNode getJson(String pathAndQuery) throws IOException, InterruptedException {
    HttpResponse<String> r = get(pathAndQuery);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return JSON.readTree(r.body());
  }

  HttpResponse<String> post(byte[] body, Map<String, String> headers)
      throws IOException, InterruptedException {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(uri("/api/v1/events"))
            .header("Authorization", "Bearer " + TOKEN)
            .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    headers.forEach(b::header);
    return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  HttpResponse<String> post(String body) throws IOException, InterruptedException {
    return post(body.getBytes(StandardCharsets.UTF_8), Map.of());
  }

  static String q(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  /** Waits until the detection stage has committed everything appended so far. */
  void drain() throws InterruptedException {
    long target = server.lastSequence();
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (server.committedSequence() < target) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError(
            "the pipeline did not catch up: committed "
                + server.committedSequence()
                + " of "
                + target);
      }
      Thread.sleep(20);
    }
  }

  /** Polls a search until it finds at least {@code n} events (inputs are asynchronous). */
  JsonNode awaitSearch(String query, int n) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (true) {
      JsonNode r = getJson("/api/v1/events?limit=1000&q=" + q(query));
      if (r.path("total").asLong() >= n || System.nanoTime() > deadline) {
        return r;
      }
      Thread.sleep(50);
    }
  }

  @Override
  public void close() throws IOException {
    server.close();
  }
}
