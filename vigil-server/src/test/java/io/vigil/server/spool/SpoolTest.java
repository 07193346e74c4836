package io.vigil.server.spool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SpoolTest {
  @TempDir Path dir;

  private static byte[] b(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static List<String> texts(List<Spool.Entry> entries) {
    return entries.stream().map(e -> new String(e.payload(), StandardCharsets.UTF_8)).toList();
  }

  private static List<Spool.Entry> readAll(Spool spool, long after) throws Exception {
    List<Spool.Entry> all = new ArrayList<>();
    try (Spool.Reader r = spool.reader(after)) {
      while (true) {
        List<Spool.Entry> batch = r.poll(1000, 1 << 20, Duration.ofMillis(20));
        if (batch.isEmpty()) {
          return all;
        }
        all.addAll(batch);
      }
    }
  }

  @Test
  void append_thenRead_returnsRecordsInSequenceOrder() throws Exception {
    try (Spool spool = Spool.open(dir, Spool.Settings.defaults())) {
      assertThat(spool.append(List.of(b("a"), b("b")))).isEqualTo(2);
      assertThat(spool.append(List.of(b("c")))).isEqualTo(3);
      List<Spool.Entry> all = readAll(spool, 0);
      assertThat(texts(all)).containsExactly("a", "b", "c");
      assertThat(all).extracting(Spool.Entry::sequence).containsExactly(1L, 2L, 3L);
      assertThat(texts(readAll(spool, 2))).containsExactly("c");
    }
  }

  @Test
  void reopen_afterClose_keepsRecordsAndContinuesSequence() throws Exception {
    try (Spool spool = Spool.open(dir, Spool.Settings.defaults())) {
      spool.append(List.of(b("one"), b("two")));
    }
    try (Spool spool = Spool.open(dir, Spool.Settings.defaults())) {
      assertThat(spool.recovery().truncatedBytes()).isZero();
      assertThat(spool.lastSequence()).isEqualTo(2);
      assertThat(spool.append(List.of(b("three")))).isEqualTo(3);
      assertThat(texts(readAll(spool, 0))).containsExactly("one", "two", "three");
    }
  }

  @Test
  void open_tornTail_cutsTheHalfRecordAndContinues() throws Exception {
    try (Spool spool = Spool.open(dir, Spool.Settings.defaults())) {
      spool.append(List.of(b("whole-1"), b("whole-2")));
    }
    Path segment = onlySegment();
    long whole = Files.size(segment);
    // a record header promising 100 bytes, followed by only 5: a write cut by a crash
    ByteBuffer torn = ByteBuffer.allocate(16 + 5).putInt(100).putInt(0).putLong(3);
    torn.put(b("abcde")).flip();
    try (FileChannel ch = FileChannel.open(segment, StandardOpenOption.APPEND)) {
      ch.write(torn);
    }
    try (Spool spool = Spool.open(dir, Spool.Settings.defaults())) {
      assertThat(spool.recovery().truncatedBytes()).isEqualTo(21);
      assertThat(spool.recovery().detail()).contains("record cut short");
      assertThat(Files.size(segment)).isEqualTo(whole);
      assertThat(spool.lastSequence()).isEqualTo(2);
      assertThat(spool.append(List.of(b("after")))).isEqualTo(3);
      assertThat(texts(readAll(spool, 0))).containsExactly("whole-1", "whole-2", "after");
    }
  }

  @Test
  void open_checksumMismatchInLastRecord_cutsItAsTorn() throws Exception {
    try (Spool spool = Spool.open(dir, Spool.Settings.defaults())) {
      spool.append(List.of(b("good"), b("flipped")));
    }
    Path segment = onlySegment();
    flipLastByte(segment);
    try (Spool spool = Spool.open(dir, Spool.Settings.defaults())) {
      assertThat(spool.recovery().detail()).contains("checksum mismatch");
      assertThat(spool.recovery().truncatedBytes()).isEqualTo(16 + "flipped".length());
      assertThat(texts(readAll(spool, 0))).containsExactly("good");
    }
  }

  @Test
  void reader_checksumMismatchInClosedSegment_reportsItAndGoesOnWithTheNextSegment()
      throws Exception {
    Spool.Settings small = Spool.Settings.defaults().withSegmentBytes(1024);
    byte[] big = new byte[600];
    try (Spool spool = Spool.open(dir, small)) {
      spool.append(List.of(big, big)); // one per segment
      spool.append(List.of(b("third")));
    }
    List<Path> segs = segments();
    assertThat(segs).hasSize(2);
    flipLastByte(segs.get(0));
    try (Spool spool = Spool.open(dir, small);
        Spool.Reader r = spool.reader(0)) {
      assertThatThrownBy(() -> r.poll(10, 1 << 20, Duration.ZERO))
          .isInstanceOf(Spool.CorruptRecordException.class)
          .hasMessageContaining(segs.get(0).getFileName().toString())
          .hasMessageContaining("offset 0");
      List<Spool.Entry> rest = r.poll(10, 1 << 20, Duration.ZERO);
      assertThat(rest).extracting(Spool.Entry::sequence).containsExactly(2L, 3L);
    }
  }

  @Test
  void append_pastSegmentSize_rollsAndCommitDeletesPassedSegments() throws Exception {
    Spool.Settings small = Spool.Settings.defaults().withSegmentBytes(1024);
    try (Spool spool = Spool.open(dir, small)) {
      List<byte[]> batch = new ArrayList<>();
      for (int i = 0; i < 100; i++) {
        batch.add(b("event-" + i + "-" + "x".repeat(40)));
      }
      spool.append(batch);
      int before = spool.segmentCount();
      assertThat(before).isGreaterThan(3);
      assertThat(readAll(spool, 0)).hasSize(100);
      spool.commit("pipeline", 50);
      assertThat(spool.segmentCount()).isLessThan(before);
      // everything after the checkpoint is still there
      assertThat(readAll(spool, 50)).extracting(Spool.Entry::sequence).startsWith(51L);
      assertThat(readAll(spool, 50)).hasSize(50);
      spool.commit("pipeline", 100);
      assertThat(spool.segmentCount()).isEqualTo(1);
    }
    try (Spool spool = Spool.open(dir, small)) {
      assertThat(spool.checkpoint("pipeline")).isEqualTo(100);
      assertThat(spool.append(List.of(b("next")))).isEqualTo(101);
    }
  }

  @Test
  void open_checkpointBeyondTheLog_continuesAfterTheCheckpoint() throws Exception {
    try (Spool spool = Spool.open(dir, Spool.Settings.defaults().withFsync(Spool.Fsync.NEVER))) {
      spool.append(List.of(b("a"), b("b")));
      spool.commit("pipeline", 2);
    }
    // the records vanish (fsync never, machine crash) but the checkpoint survived
    for (Path p : segments()) {
      Files.write(p, new byte[0]);
    }
    try (Spool spool = Spool.open(dir, Spool.Settings.defaults())) {
      assertThat(spool.append(List.of(b("c")))).isEqualTo(3);
      assertThat(readAll(spool, 2)).extracting(Spool.Entry::sequence).containsExactly(3L);
    }
  }

  @Test
  void append_underEveryFsyncPolicy_recordsSurviveReopen() throws Exception {
    for (Spool.Fsync policy : Spool.Fsync.values()) {
      Path d = dir.resolve(policy.name());
      Spool.Settings s = Spool.Settings.defaults().withFsync(policy);
      try (Spool spool = Spool.open(d, s)) {
        spool.append(List.of(b("x-" + policy), b("y-" + policy)));
        assertThat(texts(readAll(spool, 0))).containsExactly("x-" + policy, "y-" + policy);
      }
      try (Spool spool = Spool.open(d, s)) {
        assertThat(spool.lastSequence()).as(policy.name()).isEqualTo(2);
      }
    }
    assertThat(Spool.Fsync.parse("Interval")).isEqualTo(Spool.Fsync.INTERVAL);
    assertThatThrownBy(() -> Spool.Fsync.parse("sometimes"))
        .hasMessageContaining("spool.fsync")
        .hasMessageContaining("always, interval or never");
  }

  @Test
  void append_concurrentWriters_shareGroupCommitsAndLoseNothing() throws Exception {
    try (Spool spool = Spool.open(dir, Spool.Settings.defaults())) {
      ExecutorService pool = Executors.newFixedThreadPool(4);
      List<Future<?>> futures = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        int thread = t;
        futures.add(
            pool.submit(
                () -> {
                  for (int i = 0; i < 50; i++) {
                    spool.append(List.of(b(thread + ":" + i)));
                  }
                  return null;
                }));
      }
      for (Future<?> f : futures) {
        f.get();
      }
      pool.shutdown();
      List<Spool.Entry> all = readAll(spool, 0);
      assertThat(all).hasSize(200);
      assertThat(texts(all)).doesNotHaveDuplicates();
      assertThat(spool.backlogRecords()).isEqualTo(200);
    }
  }

  @Test
  void append_recordOverTheLimit_isRefusedNamingTheSetting() throws Exception {
    Spool.Settings s = new Spool.Settings(1 << 20, Spool.Fsync.ALWAYS, Duration.ofMillis(10), 64);
    try (Spool spool = Spool.open(dir, s)) {
      assertThatThrownBy(() -> spool.append(List.of(new byte[65])))
          .hasMessageContaining("spool.max-record-bytes");
    }
  }

  private Path onlySegment() throws IOException {
    List<Path> segs = segments();
    assertThat(segs).hasSize(1);
    return segs.get(0);
  }

  private List<Path> segments() throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.filter(p -> p.toString().endsWith(".seg")).sorted().toList();
    }
  }

  private static void flipLastByte(Path p) throws IOException {
    byte[] all = Files.readAllBytes(p);
    all[all.length - 1] ^= 0x55;
    Files.write(p, all);
  }
}
