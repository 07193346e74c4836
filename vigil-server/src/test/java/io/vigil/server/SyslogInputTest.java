package io.vigil.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
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
}
