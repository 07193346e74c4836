package io.vigil.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DirectoryWatcherTest {
  @TempDir Path dir;

  private TestServer start(Path watched) throws Exception {
    return new TestServer(
        dir.resolve("data"),
        c ->
            c.withInputs(
                new ServerConfig.Inputs(List.of(watched), Duration.ofMillis(50), 1 << 16)));
  }

  private static void append(Path file, String... lines) throws Exception {
    StringBuilder sb = new StringBuilder();
    for (String l : lines) {
      sb.append(l).append('\n');
    }
    Files.writeString(
        file,
        sb,
        StandardCharsets.UTF_8,
        StandardOpenOption.CREATE,
        StandardOpenOption.APPEND,
        StandardOpenOption.WRITE);
  }

  private static String ev(String tag, int n) {
    return "{\"tag\":\"" + tag + "\",\"n\":" + n + "}";
  }

  private static long count(TestServer t, String tag, int expected) throws Exception {
    return t.awaitSearch("tag:" + tag, expected).path("total").asLong();
  }

  @Test
  void watch_appendRotateTruncateAndRestart_readsEveryLineOnce() throws Exception {
    Path in = Files.createDirectories(dir.resolve("in"));
    Path log = in.resolve("app.log");
    append(log, ev("a", 1), ev("a", 2));
    try (TestServer t = start(in)) {
      assertThat(count(t, "a", 2)).isEqualTo(2);

      // appended lines; a half-written line waits for its newline
      append(log, ev("a", 3));
      Files.writeString(log, "{\"tag\":\"a\",", StandardOpenOption.APPEND);
      assertThat(count(t, "a", 3)).isEqualTo(3);
      Files.writeString(log, "\"n\":4}\n", StandardOpenOption.APPEND);
      assertThat(count(t, "a", 4)).isEqualTo(4);

      // rotation: rename, then a new file under the old name; both are read, nothing twice
      append(log, ev("b", 1));
      Files.move(log, in.resolve("app.log.1"));
      append(log, ev("b", 2), ev("b", 3));
      assertThat(count(t, "b", 3)).isEqualTo(3);

      // truncation: the file starts again from the beginning
      Files.writeString(log, ev("c", 1) + "\n", StandardOpenOption.TRUNCATE_EXISTING);
      assertThat(count(t, "c", 1)).isEqualTo(1);

      // a syslog file is told by its content and normalized
      append(in.resolve("messages"), "Mar 14 08:00:00 host-b app[12]: watched plainline");
      assertThat(t.awaitSearch("plainline", 1).path("total").asLong()).isEqualTo(1);
      t.drain();
    }
    // stopped: lines written meanwhile are read at the next start, earlier ones not again
    append(log, ev("d", 1));
    try (TestServer t = start(in)) {
      assertThat(count(t, "d", 1)).isEqualTo(1);
      t.drain();
      Thread.sleep(300); // more polls: nothing may be read twice
      t.drain();
      assertThat(count(t, "a", 4)).isEqualTo(4);
      assertThat(count(t, "b", 3)).isEqualTo(3);
      assertThat(count(t, "c", 1)).isEqualTo(1);
    }
  }
}
