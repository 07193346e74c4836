package io.vigil.bench;

import io.vigil.detect.LoadOptions;
import io.vigil.detect.RuleSet;
import io.vigil.event.Event;
import io.vigil.event.FieldSchema;
import io.vigil.event.JsonEventParser;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The read + parse floor per event: OTRF Windows JSON lines, held as UTF-8 bytes the way the JSON
 * lines reader hands them on, turned into events by {@link JsonEventParser}. Each invocation walks
 * all {@value #EVENTS} events, so the score is events per second on one thread.
 *
 * <p>{@code schema=sigma} asks for every field some SigmaHQ rule reads (about a thousand paths);
 * {@code schema=eventid} for one field, as a one-trivial-rule hunt does.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 5)
@Measurement(iterations = 5, time = 5)
@Fork(
    value = 1,
    jvmArgsAppend = {"-Xmx2g", "-XX:+UseParallelGC"})
public class ParseBenchmark {
  static final int EVENTS = 20_000;

  @Param({"sigma", "eventid"})
  public String schema;

  private JsonEventParser parser;
  private byte[] bytes;
  private int[] starts;
  private int[] ends;
  private String[] texts;

  @Setup(Level.Trial)
  public void setUp() {
    FieldSchema fields =
        schema.equals("sigma")
            ? RuleSet.load(List.of(BenchData.shared().resolve("sigma")), LoadOptions.defaults())
                .ruleSet()
                .schema()
            : FieldSchema.of(List.of("EventID"));
    parser = new JsonEventParser(fields);
    List<String> lines = BenchData.otrfLines();
    int n = Math.min(EVENTS, lines.size());
    ByteArrayOutputStream all = new ByteArrayOutputStream();
    starts = new int[n];
    ends = new int[n];
    texts = new String[n];
    for (int i = 0; i < n; i++) {
      texts[i] = lines.get(i);
      starts[i] = all.size();
      all.writeBytes(lines.get(i).getBytes(StandardCharsets.UTF_8));
      ends[i] = all.size();
      all.write('\n');
    }
    bytes = all.toByteArray();
  }

  /** UTF-8 bytes to an event (wanted strings decoded only when read, as a matcher would). */
  @Benchmark
  @OperationsPerInvocation(EVENTS)
  public long parseBytes() {
    long found = 0;
    for (int i = 0; i < starts.length; i++) {
      Event e = parser.parse(bytes, starts[i], ends[i] - starts[i], "otrf", i + 1);
      found += e.get(0) == null ? 0 : 1;
    }
    return found;
  }

  /** UTF-8 bytes to an event, then every slot read (so every wanted string is decoded). */
  @Benchmark
  @OperationsPerInvocation(EVENTS)
  public long parseBytesReadAll() {
    long found = 0;
    for (int i = 0; i < starts.length; i++) {
      Event e = parser.parse(bytes, starts[i], ends[i] - starts[i], "otrf", i + 1);
      for (int s = 0; s < e.schema().size(); s++) {
        found += e.get(s) == null ? 0 : 1;
      }
    }
    return found;
  }

  /** The text path: a decoded line (a String) to an event, through Jackson. */
  @Benchmark
  @OperationsPerInvocation(EVENTS)
  public long parseText() {
    long found = 0;
    for (int i = 0; i < texts.length; i++) {
      Event e = parser.parse(texts[i], "otrf", i + 1);
      found += e.get(0) == null ? 0 : 1;
    }
    return found;
  }
}
