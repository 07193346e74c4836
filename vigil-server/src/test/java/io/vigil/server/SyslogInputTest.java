package io.vigil.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SyslogInputTest {
  @TempDir Path dir;
  TestServer t;

  @BeforeEach
  void start() throws Exception {
    t = new TestServer(dir, c -> c);
  }

  @AfterEach
  void stop() throws Exception {
    t.close();
  }

  private static String rfc5424(String word) {
    return "<34>1 2026-03-14T08:00:00Z host-a sshd 42 ID47 - login " + word;
  }

  private static String rfc3164(String word) {
    return "<13>Mar 14 08:00:00 host-b su: FAILED SU " + word;
  }

  @Test
  void udp_eachDatagramIsOneMessage() throws Exception {
    try (DatagramSocket s = new DatagramSocket()) {
      for (String m : new String[] {rfc5424("udpone"), rfc3164("udptwo") + "\n"}) {
        byte[] b = m.getBytes(StandardCharsets.UTF_8);
        s.send(
            new DatagramPacket(
                b, b.length, InetAddress.getLoopbackAddress(), t.server.syslogPort()));
      }
    }
    JsonNode one = t.awaitSearch("udpone", 1);
    assertThat(one.path("total").asLong()).isEqualTo(1);
    assertThat(one.path("events").get(0).path("message").asText()).isEqualTo("login udpone");
    assertThat(t.awaitSearch("udptwo", 1).path("total").asLong()).isEqualTo(1);
  }

  @Test
  void tcp_octetCountingFraming_splitsOnTheCounts() throws Exception {
    StringBuilder stream = new StringBuilder();
    for (String word : new String[] {"octa", "octb", "octc"}) {
      // a message with a newline inside: octet counting keeps it whole
      String m = rfc5424(word + " first\nsecond");
      stream.append(m.getBytes(StandardCharsets.UTF_8).length).append(' ').append(m);
    }
    try (Socket s = new Socket(InetAddress.getLoopbackAddress(), t.server.syslogPort());
        OutputStream out = s.getOutputStream()) {
      out.write(stream.toString().getBytes(StandardCharsets.UTF_8));
    }
    for (String word : new String[] {"octa", "octb", "octc"}) {
      JsonNode r = t.awaitSearch(word, 1);
      assertThat(r.path("total").asLong()).as(word).isEqualTo(1);
      assertThat(r.path("events").get(0).path("message").asText()).contains("second");
    }
  }

  @Test
  void tcp_newlineFraming_oneMessagePerLine() throws Exception {
    try (Socket s = new Socket(InetAddress.getLoopbackAddress(), t.server.syslogPort());
        OutputStream out = s.getOutputStream()) {
      out.write(
          (rfc3164("nla") + "\n" + rfc3164("nlb") + "\r\n" + rfc5424("nlc"))
              .getBytes(StandardCharsets.UTF_8));
    }
    for (String word : new String[] {"nla", "nlb", "nlc"}) {
      assertThat(t.awaitSearch(word, 1).path("total").asLong()).as(word).isEqualTo(1);
    }
    t.drain();
    assertThat(t.get("/metrics").body()).contains("vigil_events_in_total{input=\"syslog_tcp\"} 3");
  }

  @Test
  void tcp_messageOverTheLimit_isDroppedAndCountedAndTheNextOneRead() throws Exception {
    String huge = rfc3164("x".repeat(9000)); // limit in TestServer: 8192
    try (Socket s = new Socket(InetAddress.getLoopbackAddress(), t.server.syslogPort());
        OutputStream out = s.getOutputStream()) {
      out.write((huge + "\n" + rfc3164("afterhuge") + "\n").getBytes(StandardCharsets.UTF_8));
    }
    assertThat(t.awaitSearch("afterhuge", 1).path("total").asLong()).isEqualTo(1);
    assertThat(t.get("/metrics").body()).contains("vigil_syslog_oversize_total 1");
  }

  @Test
  void tcp_whileTheBacklogIsOverTheLimit_stopsReadingAndResumesWithNothingLost() throws Exception {
    t.close();
    // a backlog limit of 1 MB (so that, once resumed, many TCP batches go in per commit)
    t = new TestServer(dir.resolve("data2"), c -> c.withSpool(c.spool(), 1 << 20));
    t.server.pipeline().pause(true);
    StringBuilder fill = new StringBuilder();
    for (int i = 0; i < 20; i++) {
      fill.append("{\"fill\":\"").append("f".repeat(30_000)).append("\"}\n");
    }
    for (int post = 0; post < 2; post++) { // 1.2 MB: over the limit
      assertThat(t.post(fill.toString()).statusCode()).isEqualTo(202);
    }
    long spooledBefore = t.server.lastSequence();
    int messages = 200_000; // ≈ 14 MB: far more than the socket buffers hold
    AtomicLong written = new AtomicLong();
    Thread writer;
    try (Socket s = new Socket(InetAddress.getLoopbackAddress(), t.server.syslogPort())) {
      OutputStream out = s.getOutputStream();
      writer =
          Thread.ofPlatform()
              .start(
                  () -> {
                    try {
                      for (int i = 0; i < messages; i++) {
                        byte[] b =
                            (rfc3164("held" + i) + " " + "p".repeat(10) + "\n")
                                .getBytes(StandardCharsets.UTF_8);
                        out.write(b);
                        written.addAndGet(b.length);
                      }
                      out.flush();
                    } catch (IOException e) {
                      throw new UncheckedIOException(e);
                    }
                  });
      // the writer blocks once the kernel's buffers are full: wait until it stops progressing
      long last = -1;
      while (written.get() != last) {
        last = written.get();
        Thread.sleep(500);
      }
      assertThat(writer.isAlive()).as("the writer is blocked").isTrue();
      assertThat(written.get()).isLessThan(messages * 50L); // most of the stream is unread
      // at most the one batch read before the backlog check is waiting, nothing was spooled
      assertThat(t.server.lastSequence()).isEqualTo(spooledBefore);

      t.server.pipeline().pause(false);
      writer.join(60_000);
      assertThat(writer.isAlive()).as("the writer finished after the pipeline resumed").isFalse();
    }
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (t.server.lastSequence() < spooledBefore + messages && System.nanoTime() < deadline) {
      Thread.sleep(50);
    }
    t.drain();
    assertThat(t.server.lastSequence()).isEqualTo(spooledBefore + messages);
    assertThat(t.get("/metrics").body())
        .contains("vigil_events_in_total{input=\"syslog_tcp\"} " + messages);
    // every message is stored: the filler events and all of them
    assertThat(t.getJson("/api/v1/events?limit=1").path("total").asLong())
        .isEqualTo(messages + spooledBefore);
  }

  @Test
  void deadLetter_storedBeforeAFailureOrARestart_isNotStoredAgainByTheReplay() throws Exception {
    t.server.pipeline().failAfterDeadLetters = true;
    try (DatagramSocket s = new DatagramSocket()) {
      for (String m : new String[] {"no priority: not syslog at all", rfc3164("besidedead")}) {
        byte[] b = m.getBytes(StandardCharsets.UTF_8);
        s.send(
            new DatagramPacket(
                b, b.length, InetAddress.getLoopbackAddress(), t.server.syslogPort()));
      }
    }
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (t.server.lastSequence() < 2 && System.nanoTime() < deadline) {
      Thread.sleep(20); // UDP is asynchronous
    }
    // the stage stores the dead letter, fails before its checkpoint, restarts and replays
    t.drain();
    assertThat(t.server.pipeline().lastError()).contains("after writing dead letters");
    JsonNode dead = t.getJson("/api/v1/deadletters");
    assertThat(dead.path("total").asLong()).isEqualTo(1);
    assertThat(dead.path("deadLetters").get(0).path("reason").asText()).contains("syslog");
    assertThat(t.awaitSearch("besidedead", 1).path("total").asLong()).isEqualTo(1);

    // a process that dies between writing dead letters and its checkpoint: the next one replays
    t.server.pipeline().failAfterDeadLetters = true;
    try (DatagramSocket s = new DatagramSocket()) {
      byte[] b = "second garbage datagram".getBytes(StandardCharsets.UTF_8);
      s.send(
          new DatagramPacket(b, b.length, InetAddress.getLoopbackAddress(), t.server.syslogPort()));
    }
    deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (t.getJson("/api/v1/deadletters").path("total").asLong() < 2
        && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    long checkpoint = t.server.committedSequence();
    t.close(); // during the stage's back-off: the checkpoint stays before the dead letter
    assertThat(checkpoint).isLessThan(t.server.lastSequence());
    t = new TestServer(dir, c -> c);
    t.drain();
    assertThat(t.getJson("/api/v1/deadletters").path("total").asLong()).isEqualTo(2);
  }
}
