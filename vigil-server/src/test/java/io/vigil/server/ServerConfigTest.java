package io.vigil.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vigil.server.spool.Spool;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServerConfigTest {
  @TempDir Path dir;

  @Test
  void load_everySection_overridesTheDefaults() throws Exception {
    Path file = dir.resolve("vigil.yml");
    Files.writeString(
        file,
        """
        data: store
        http: {bind: 127.0.0.1, port: 9090, max-body-bytes: 8m, max-concurrent-ingest: 2}
        syslog:
          port: 1514
          udp: false
          max-message-bytes: 16k
          tls: {keystore: server.p12, password: secret}
        rules: [rules-a, /abs/rules-b]
        starter-rules: false
        inputs: {watch: [in], poll-interval: 500ms, max-line-bytes: 2m}
        spool: {segment-bytes: 1m, fsync: interval, fsync-interval: 50ms, max-backlog-bytes: 100m}
        database: {url: "jdbc:postgresql://db/vigil", user: vigil, password: pw}
        store: {max-age: 7d, max-bytes: 1g}
        pipeline: {threads: 3, batch-records: 100, commit-interval: 2s}
        """);
    ServerConfig c = ServerConfig.load(file);
    assertThat(c.dataDir()).isEqualTo(dir.resolve("store"));
    assertThat(c.http()).isEqualTo(new ServerConfig.Http("127.0.0.1", 9090, 8 << 20, 2));
    assertThat(c.syslog().port()).isEqualTo(1514);
    assertThat(c.syslog().udp()).isFalse();
    assertThat(c.syslog().tcp()).isTrue();
    assertThat(c.syslog().maxMessageBytes()).isEqualTo(16 << 10);
    assertThat(c.syslog().tlsKeystore()).isEqualTo(dir.resolve("server.p12"));
    assertThat(c.rules()).containsExactly(dir.resolve("rules-a"), Path.of("/abs/rules-b"));
    assertThat(c.starterRules()).isFalse();
    assertThat(c.inputs().watch()).containsExactly(dir.resolve("in"));
    assertThat(c.inputs().pollInterval()).isEqualTo(Duration.ofMillis(500));
    assertThat(c.spool().fsync()).isEqualTo(Spool.Fsync.INTERVAL);
    assertThat(c.spool().segmentBytes()).isEqualTo(1 << 20);
    assertThat(c.maxBacklogBytes()).isEqualTo(100L << 20);
    assertThat(c.jdbcUrl()).isEqualTo("jdbc:postgresql://db/vigil");
    assertThat(c.store().maxAge()).isEqualTo(Duration.ofDays(7));
    assertThat(c.pipeline()).isEqualTo(new ServerConfig.Pipeline(3, 100, Duration.ofSeconds(2)));
  }

  @Test
  void load_unknownKey_namesItAndTheAllowedKeys() throws Exception {
    Path file = dir.resolve("vigil.yml");
    Files.writeString(file, "http:\n  prot: 80\n");
    assertThatThrownBy(() -> ServerConfig.load(file))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("vigil.yml")
        .hasMessageContaining("unknown setting 'http.prot'")
        .hasMessageContaining("bind, max-body-bytes, max-concurrent-ingest, port");
    Files.writeString(file, "colour: blue\n");
    assertThatThrownBy(() -> ServerConfig.load(file))
        .hasMessageContaining("unknown setting 'colour'")
        .hasMessageContaining("allowed at the top");
  }

  @Test
  void load_badValues_sayWhatIsExpected() throws Exception {
    Path file = dir.resolve("vigil.yml");
    Files.writeString(file, "http: {port: 70000}\n");
    assertThatThrownBy(() -> ServerConfig.load(file))
        .hasMessageContaining("http.port must be a whole number from 0 to 65535");
    Files.writeString(file, "spool: {fsync: sometimes}\n");
    assertThatThrownBy(() -> ServerConfig.load(file)).hasMessageContaining("spool.fsync");
    Files.writeString(file, "spool: {segment-bytes: lots}\n");
    assertThatThrownBy(() -> ServerConfig.load(file))
        .hasMessageContaining("spool.segment-bytes must be a size such as");
    Files.writeString(file, "syslog: {tls: {keystore: a.p12}}\n");
    assertThatThrownBy(() -> ServerConfig.load(file))
        .hasMessageContaining("needs both keystore")
        .hasMessageContaining("password");
  }

  @Test
  void defaults_areTheDocumentedOnes() {
    ServerConfig d = ServerConfig.defaults();
    assertThat(d.dataDir()).isEqualTo(Path.of("vigil-data"));
    assertThat(d.http().port()).isEqualTo(8080);
    assertThat(d.syslog().port()).isEqualTo(5514);
    assertThat(d.http().maxBodyBytes()).isEqualTo(32L << 20);
    assertThat(d.spool().fsync()).isEqualTo(Spool.Fsync.ALWAYS);
    assertThat(d.jdbcUrl()).startsWith("jdbc:sqlite:").endsWith("vigil.db");
    assertThat(d.pipeline().commitInterval()).isEqualTo(Duration.ofSeconds(5));
  }
}
