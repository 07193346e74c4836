package io.vigil.store;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.NoMergePolicy;
import org.apache.lucene.store.ByteBuffersDirectory;

/**
 * The indexing cost per event without the store around it: {@link EventDocuments#toDocument} and
 * {@code IndexWriter.addDocument} of N events into memory (one thread, no flush until the end, no
 * merges), then the flush, as thread CPU time per event, for ROUNDS rounds of fresh events (the
 * first rounds warm the JIT). Steadier than {@link EventStoreBench} (no flushes landing at
 * different events, no merges, no commits), so it tells changes of a few percent apart. Arguments:
 * {@code N ROUNDS}; {@code -Dbench.windowsOnly=true} replays the OTRF Windows events only.
 */
public final class AddCostBench {
  private AddCostBench() {}

  public static void main(String[] a) throws Exception {
    List<String> t =
        EventStoreBench.load(
            Path.of(System.getenv().getOrDefault("VIGIL_SHARED", "../shared")).resolve("datasets"));
    int n = Integer.parseInt(a[0]);
    int rounds = Integer.parseInt(a[1]);
    ThreadMXBean mx = ManagementFactory.getThreadMXBean();
    var os =
        (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    long id = 0;
    Instant t0 = Instant.parse("2026-11-01T00:00:00Z");
    for (int r = 0; r < rounds; r++) {
      List<StoredEvent> events = new ArrayList<>(n);
      for (int i = 0; i < n; i++, id++) {
        Instant time = t0.plusMillis(id * 50);
        String json = t.get((int) (id % t.size()));
        events.add(
            new StoredEvent(
                id,
                time,
                "{\"@timestamp\":\""
                    + time
                    + "\",\"RecordNumber\":"
                    + id
                    + ","
                    + json.substring(1)));
      }
      System.gc();
      IndexWriterConfig cfg = new IndexWriterConfig(StoreQueryParser.ANALYZER);
      cfg.setRAMBufferSizeMB(1900);
      cfg.setMergePolicy(NoMergePolicy.INSTANCE);
      cfg.setUseCompoundFile(false);
      try (ByteBuffersDirectory dir = new ByteBuffersDirectory();
          IndexWriter w = new IndexWriter(dir, cfg)) {
        long p0 = os.getProcessCpuTime();
        long c0 = mx.getCurrentThreadCpuTime();
        for (StoredEvent e : events) {
          w.addDocument(EventDocuments.toDocument(e));
        }
        long c1 = mx.getCurrentThreadCpuTime();
        long p1 = os.getProcessCpuTime();
        w.flush();
        long c2 = mx.getCurrentThreadCpuTime();
        long p2 = os.getProcessCpuTime();
        System.out.printf(
            "round %d: add %.2f us/event (process %.2f), flush %.2f us/event (process %.2f), add+flush %,.0f events per thread-CPU-second%n",
            r,
            (c1 - c0) / 1e3 / n,
            (p1 - p0) / 1e3 / n,
            (c2 - c1) / 1e3 / n,
            (p2 - p1) / 1e3 / n,
            n / ((c2 - c0) / 1e9));
      }
    }
  }
}
