package io.vigil.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SyslogTlsTest {
  @TempDir Path dir;

  @Test
  void tcp_withAKeystore_speaksTls() throws Exception {
    Path keystore = dir.resolve("server.p12");
    Process keytool =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair",
                "-alias",
                "vigil",
                "-keyalg",
                "EC",
                "-dname",
                "CN=localhost",
                "-validity",
                "2",
                "-storetype",
                "PKCS12",
                "-keystore",
                keystore.toString(),
                "-storepass",
                "changeit")
            .redirectErrorStream(true)
            .start();
    assertThat(keytool.waitFor()).as(new String(keytool.getInputStream().readAllBytes())).isZero();
    try (TestServer t =
        new TestServer(
            dir.resolve("data"),
            c ->
                c.withSyslog(
                    new ServerConfig.Syslog(
                        "127.0.0.1", 0, false, true, 8192, keystore, "changeit")))) {
      assertThat(t.output).contains("TCP+TLS");
      SSLContext ctx = SSLContext.getInstance("TLS");
      ctx.init(null, new TrustManager[] {new TrustAll()}, null);
      try (SSLSocket s =
              (SSLSocket)
                  ctx.getSocketFactory()
                      .createSocket(InetAddress.getLoopbackAddress(), t.server.syslogPort());
          OutputStream out = s.getOutputStream()) {
        out.write(
            "<13>Mar 14 08:00:00 host-t app: over tlsline\n".getBytes(StandardCharsets.UTF_8));
      }
      assertThat(t.awaitSearch("tlsline", 1).path("total").asLong()).isEqualTo(1);
    }
  }

  @Test
  void udp_whileTheBacklogIsOverTheLimit_dropsAndCounts() throws Exception {
    try (TestServer t = new TestServer(dir.resolve("data2"), c -> c.withSpool(c.spool(), 10))) {
      t.server.pipeline().pause(true);
      assertThat(t.post("{\"fill\":\"the backlog\"}").statusCode()).isEqualTo(202);
      try (DatagramSocket s = new DatagramSocket()) {
        for (int i = 0; i < 5; i++) {
          byte[] b = ("<13>Mar 14 08:00:00 h app: dropped " + i).getBytes(StandardCharsets.UTF_8);
          s.send(
              new DatagramPacket(
                  b, b.length, InetAddress.getLoopbackAddress(), t.server.syslogPort()));
        }
      }
      long deadline = System.nanoTime() + 10_000_000_000L;
      String metrics = "";
      while (System.nanoTime() < deadline
          && !(metrics = t.get("/metrics").body()).contains("vigil_syslog_udp_dropped_total 5")) {
        Thread.sleep(50);
      }
      assertThat(metrics).contains("vigil_syslog_udp_dropped_total 5");
      t.server.pipeline().pause(false);
    }
  }

  /** Trusts the test's self-signed certificate. */
  private static final class TrustAll implements X509TrustManager {
    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) {}

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) {}

    @Override
    public X509Certificate[] getAcceptedIssuers() {
      return new X509Certificate[0];
    }
  }
}
