package io.vigil.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EventPosterTest {
  @TempDir Path dir;

  @Test
  void post_filesOfSeveralFormats_areImportedThroughTheApi() throws Exception {
    Path jsonl = dir.resolve("events.jsonl");
    Files.writeString(jsonl, "{\"imp\":\"one\"}\n{\"imp\":\"two\"}\n");
    Path array = dir.resolve("events.json");
    Files.writeString(array, "[{\"imp\":\"three\"}]");
    Path syslog = dir.resolve("messages");
    Files.writeString(syslog, "Mar 14 08:00:00 host-c cron[7]: imported syslogline\n");
    try (TestServer t = new TestServer(dir.resolve("data"), c -> c)) {
      URI base = URI.create("http://127.0.0.1:" + t.server.httpPort());
      List<String> problems = new ArrayList<>();
      EventPoster.Result r =
          new EventPoster(base, TestServer.TOKEN)
              .post(List.of(jsonl, array, syslog), problems::add);
      assertThat(problems).isEmpty();
      assertThat(r.accepted()).isEqualTo(4);
      assertThat(r.rejected()).isZero();
      assertThat(r.requests()).isEqualTo(1);
      assertThat(t.awaitSearch("imp:*", 3).path("total").asLong()).isEqualTo(3);
      assertThat(t.awaitSearch("syslogline", 1).path("total").asLong()).isEqualTo(1);

      assertThatThrownBy(
              () ->
                  new EventPoster(base, "vgl_wrong-token-0000000000").post(List.of(jsonl), p -> {}))
          .hasMessageContaining("refused the token (401)");
    }
    assertThatThrownBy(
            () ->
                new EventPoster(URI.create("http://127.0.0.1:1"), TestServer.TOKEN)
                    .post(List.of(jsonl), p -> {}))
        .hasMessageContaining("cannot reach the server")
        .hasMessageContaining("vigil serve");
  }
}
