package io.vigil.bench;

import io.vigil.detect.LoadOptions;
import io.vigil.detect.LoadResult;
import io.vigil.detect.RuleSet;
import io.vigil.event.Event;
import io.vigil.event.JsonEventParser;
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
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Parse and match cost per event with all SigmaHQ rules over the OTRF Windows attack events, by
 * stage: parse, route (log-source bucket), candidate lookup (route + field automata + keyword
 * scan), full match (route + candidates + evaluation), and the naive evaluation of every rule. Each
 * invocation walks all {@value #EVENTS} events, so the score is events per second.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 5)
@Measurement(iterations = 5, time = 5)
@Fork(
    value = 1,
    jvmArgsAppend = {"-Xmx4g", "-XX:+UseParallelGC"})
public class MatchBenchmark {
  static final int EVENTS = 20_000;

  private RuleSet rules;
  private JsonEventParser parser;
  private List<String> lines;
  private Event[] events;

  @Setup(Level.Trial)
  public void setUp() {
    LoadResult loaded =
        RuleSet.load(List.of(BenchData.shared().resolve("sigma")), LoadOptions.defaults());
    rules = loaded.ruleSet();
    parser = new JsonEventParser(rules.schema());
    List<String> all = BenchData.otrfLines();
    lines = all.subList(0, Math.min(EVENTS, all.size()));
    events = new Event[lines.size()];
    for (int i = 0; i < events.length; i++) {
      events[i] = parser.parse(lines.get(i), "otrf", i + 1);
    }
  }

  /** JSON text to an event holding only the fields the rules read. */
  @Benchmark
  @OperationsPerInvocation(EVENTS)
  public long parse() {
    long fields = 0;
    for (int i = 0; i < lines.size(); i++) {
      Event e = parser.parse(lines.get(i), "otrf", i + 1);
      fields += e.get(0) == null ? 0 : 1;
    }
    return fields;
  }

  /** Routing only: the log-source bucket of each parsed event. */
  @Benchmark
  @OperationsPerInvocation(EVENTS)
  public long route() {
    long rulesInBuckets = 0;
    for (Event e : events) {
      rulesInBuckets += rules.routeSize(e);
    }
    return rulesInBuckets;
  }

  /** Routing and candidate lookup (field automata, keyword scan), no rule evaluated. */
  @Benchmark
  @OperationsPerInvocation(EVENTS)
  public long candidates() {
    long candidates = 0;
    for (Event e : events) {
      candidates += rules.candidateCount(e);
    }
    return candidates;
  }

  /** All compiled rules against already-parsed events: route, candidates, full evaluation. */
  @Benchmark
  @OperationsPerInvocation(EVENTS)
  public long match() {
    long detections = 0;
    for (Event e : events) {
      detections += rules.match(e).size();
    }
    return detections;
  }

  /** Every rule's gate and full condition on every event, no index (the reference semantics). */
  @Benchmark
  @OperationsPerInvocation(EVENTS)
  public long matchNaive() {
    long detections = 0;
    for (Event e : events) {
      detections += rules.matchNaive(e).size();
    }
    return detections;
  }

  /** Parse plus match: what `vigil hunt` pays per event on one core, without the file reading. */
  @Benchmark
  @OperationsPerInvocation(EVENTS)
  public long parseAndMatch() {
    long detections = 0;
    for (int i = 0; i < lines.size(); i++) {
      detections += rules.match(parser.parse(lines.get(i), "otrf", i + 1)).size();
    }
    return detections;
  }
}
