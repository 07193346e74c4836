package io.vigil.server;

import io.vigil.server.spool.Spool;
import io.vigil.store.db.Database;
import io.vigil.store.db.DeadLetter;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.KeyStore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/**
 * syslog listeners: UDP datagrams (one message each) and TCP connections, framed by octet counting
 * ({@code LEN SP MSG}, RFC 6587 3.4.1) or by newlines, told apart by the first byte of each
 * connection. TCP uses TLS when a PKCS12 keystore is configured. Messages are spooled raw; the
 * detection stage normalizes them. When the spool backlog is over its limit, TCP connections stop
 * being read (the sender's window fills) and UDP datagrams are dropped and counted.
 */
final class SyslogInput implements AutoCloseable {
  private static final int UDP_QUEUE = 65_536;

  private final ServerConfig.Syslog settings;
  private final long maxBacklogBytes;
  private final Spool spool;
  private final Database db;
  private final Metrics metrics;
  private final DatagramSocket udp;
  private final ServerSocket tcp;
  private final BlockingQueue<byte[]> udpQueue = new ArrayBlockingQueue<>(UDP_QUEUE);
  private final Set<Socket> connections = ConcurrentHashMap.newKeySet();
  private final List<Thread> threads = new ArrayList<>();
  private final AtomicInteger connectionCount = new AtomicInteger();
  private volatile boolean running = true;

  SyslogInput(
      ServerConfig.Syslog settings, long maxBacklogBytes, Spool spool, Database db, Metrics metrics)
      throws IOException {
    this.settings = settings;
    this.maxBacklogBytes = maxBacklogBytes;
    this.spool = spool;
    this.db = db;
    this.metrics = metrics;
    InetSocketAddress addr = new InetSocketAddress(settings.bind(), settings.port());
    ServerSocket server = null;
    if (settings.tcp()) {
      server = settings.tlsKeystore() != null ? tlsSocket() : new ServerSocket();
      server.setReuseAddress(true);
      server.bind(addr, 256);
    }
    this.tcp = server;
    if (settings.udp()) {
      // UDP on the port TCP got (so port 0 gives one free port for both)
      int port = tcp != null ? tcp.getLocalPort() : settings.port();
      DatagramSocket d = new DatagramSocket(null);
      d.setReuseAddress(true);
      d.setReceiveBufferSize(4 << 20);
      d.bind(new InetSocketAddress(settings.bind(), port));
      this.udp = d;
    } else {
      this.udp = null;
    }
  }

  private ServerSocket tlsSocket() throws IOException {
    try {
      KeyStore ks = KeyStore.getInstance("PKCS12");
      char[] password = settings.tlsPassword().toCharArray();
      try (InputStream in = java.nio.file.Files.newInputStream(settings.tlsKeystore())) {
        ks.load(in, password);
      }
      KeyManagerFactory kmf =
          KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      kmf.init(ks, password);
      SSLContext ctx = SSLContext.getInstance("TLS");
      ctx.init(kmf.getKeyManagers(), null, null);
      return ctx.getServerSocketFactory().createServerSocket();
    } catch (IOException | java.security.GeneralSecurityException e) {
      throw new IOException(
          "cannot use the syslog TLS keystore "
              + settings.tlsKeystore()
              + " ("
              + e.getMessage()
              + "); give a PKCS12 file and its password in syslog.tls",
          e);
    }
  }

  /** The bound port (TCP's, or UDP's when TCP is off). */
  int port() {
    return tcp != null ? tcp.getLocalPort() : udp != null ? udp.getLocalPort() : -1;
  }

  boolean tls() {
    return settings.tlsKeystore() != null;
  }

  void start() {
    if (udp != null) {
      threads.add(Thread.ofPlatform().name("vigil-syslog-udp").daemon().start(this::receiveUdp));
      threads.add(
          Thread.ofPlatform().name("vigil-syslog-udp-spool").daemon().start(this::spoolUdp));
    }
    if (tcp != null) {
      threads.add(Thread.ofPlatform().name("vigil-syslog-tcp-accept").daemon().start(this::accept));
    }
  }

  private boolean backlogged() {
    return spool.backlogBytes() > maxBacklogBytes;
  }

  private void receiveUdp() {
    byte[] buf = new byte[Math.min(65_535, settings.maxMessageBytes() + 1)];
    DatagramPacket packet = new DatagramPacket(buf, buf.length);
    while (running) {
      try {
        packet.setLength(buf.length);
        udp.receive(packet);
      } catch (IOException e) {
        if (running) {
          System.err.println("vigil: syslog UDP receive failed: " + e.getMessage());
        }
        continue;
      }
      if (packet.getLength() > settings.maxMessageBytes()) {
        metrics.droppedOversize.increment();
        continue;
      }
      int len = trimEnd(buf, packet.getLength());
      if (len == 0) {
        continue;
      }
      if (backlogged()) {
        metrics.droppedUdp.increment();
        continue;
      }
      String peer = "syslog-udp " + packet.getAddress().getHostAddress() + ":" + packet.getPort();
      byte[] payload =
          Payload.encode(
              Payload.SYSLOG,
              System.currentTimeMillis(),
              peer.getBytes(StandardCharsets.UTF_8),
              buf,
              0,
              len);
      if (!udpQueue.offer(payload)) {
        metrics.droppedUdp.increment();
      }
    }
  }

  /** Appends queued datagrams in batches (one fsync per batch). */
  private void spoolUdp() {
    List<byte[]> batch = new ArrayList<>();
    while (running || !udpQueue.isEmpty()) {
      try {
        byte[] first = udpQueue.poll(200, TimeUnit.MILLISECONDS);
        if (first == null) {
          continue;
        }
        batch.add(first);
        udpQueue.drainTo(batch, 4095);
        spool.append(batch);
        metrics.in("syslog_udp", batch.size());
      } catch (InterruptedException e) {
        return;
      } catch (IOException e) {
        metrics.droppedUdp.add(batch.size());
        System.err.println("vigil: cannot spool syslog UDP messages: " + e.getMessage());
      }
      batch.clear();
    }
  }

  private void accept() {
    while (running) {
      Socket s;
      try {
        s = tcp.accept();
      } catch (IOException e) {
        if (running) {
          System.err.println("vigil: syslog TCP accept failed: " + e.getMessage());
        }
        continue;
      }
      connections.add(s);
      Thread.ofVirtual()
          .name("vigil-syslog-tcp-" + connectionCount.incrementAndGet())
          .start(() -> serve(s));
    }
  }

  /** Reads one TCP connection until it closes. */
  private void serve(Socket s) {
    String peer =
        "syslog-tcp"
            + (tls() ? "+tls " : " ")
            + s.getInetAddress().getHostAddress()
            + ":"
            + s.getPort();
    byte[] src = peer.getBytes(StandardCharsets.UTF_8);
    int max = settings.maxMessageBytes();
    try (s;
        InputStream in = new BufferedInputStream(s.getInputStream(), 1 << 16)) {
      int first = in.read();
      if (first < 0) {
        return;
      }
      boolean octetCounting = first >= '1' && first <= '9';
      List<byte[]> batch = new ArrayList<>();
      ByteArrayOutputStream msg = new ByteArrayOutputStream(256);
      int c = first;
      while (running) {
        byte[] m;
        if (octetCounting) {
          m = readCounted(in, c, max, peer);
        } else {
          m = readLine(in, c, max, msg);
        }
        if (m == null) {
          break; // end of stream
        }
        if (m.length > 0) {
          batch.add(
              Payload.encode(Payload.SYSLOG, System.currentTimeMillis(), src, m, 0, m.length));
        }
        if (batch.size() >= 4096 || in.available() == 0) {
          flush(batch);
        }
        c = in.read();
        if (c < 0) {
          break;
        }
      }
      flush(batch);
    } catch (IOException e) {
      // connection reset or closed at shutdown: what was complete is spooled
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      connections.remove(s);
    }
  }

  /** Spools a batch; waits (not reading the socket) while the backlog is over the limit. */
  private void flush(List<byte[]> batch) throws IOException, InterruptedException {
    if (batch.isEmpty()) {
      return;
    }
    while (backlogged() && running) {
      Thread.sleep(50);
    }
    spool.append(batch);
    metrics.in("syslog_tcp", batch.size());
    batch.clear();
  }

  /** One octet-counted message whose length's first digit is {@code c}; null at end of stream. */
  private byte[] readCounted(InputStream in, int c, int max, String peer) throws IOException {
    long len = 0;
    int digits = 0;
    while (c >= '0' && c <= '9') {
      len = len * 10 + (c - '0');
      if (++digits > 10) {
        throw new IOException("octet count too long");
      }
      c = in.read();
    }
    if (c < 0) {
      return null;
    }
    if (c != ' ') {
      // not octet counting after all: the frame is lost; record it and close
      db.deadLetters()
          .add(
              new DeadLetter(
                  Instant.now(),
                  peer,
                  "octet-counted frame expected (LEN SP MSG) but the length was followed by '"
                      + (char) c
                      + "'; the connection was closed",
                  ""));
      throw new IOException("bad framing");
    }
    if (len > max) {
      metrics.droppedOversize.increment();
      in.skipNBytes(len);
      return new byte[0];
    }
    byte[] m = in.readNBytes((int) len);
    if (m.length < len) {
      return null;
    }
    return java.util.Arrays.copyOf(m, trimEnd(m, m.length));
  }

  /** One newline-framed message starting with byte {@code c}; null at end of stream. */
  private byte[] readLine(InputStream in, int c, int max, ByteArrayOutputStream msg)
      throws IOException {
    msg.reset();
    boolean over = false;
    while (c >= 0 && c != '\n') {
      if (msg.size() < max) {
        msg.write(c);
      } else {
        over = true;
      }
      c = in.read();
    }
    if (c < 0 && msg.size() == 0) {
      return null;
    }
    if (over) {
      metrics.droppedOversize.increment();
      return new byte[0];
    }
    byte[] m = msg.toByteArray();
    return java.util.Arrays.copyOf(m, trimEnd(m, m.length));
  }

  private static int trimEnd(byte[] b, int len) {
    while (len > 0 && (b[len - 1] == '\n' || b[len - 1] == '\r' || b[len - 1] == 0)) {
      len--;
    }
    return len;
  }

  @Override
  public void close() throws IOException {
    running = false;
    if (udp != null) {
      udp.close();
    }
    if (tcp != null) {
      tcp.close();
    }
    for (Socket s : connections) {
      try {
        s.close();
      } catch (IOException e) {
        // closing anyway
      }
    }
    for (Thread t : threads) {
      try {
        t.join(2000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
