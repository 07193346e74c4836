package io.vigil.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.detect.Detection;
import io.vigil.detect.LoadOptions;
import io.vigil.detect.LoadResult;
import io.vigil.detect.RuleSet;
import io.vigil.event.Event;
import io.vigil.event.EventParseException;
import io.vigil.event.JsonEventParser;
import io.vigil.ingest.LogReader;
import io.vigil.ingest.LogRecord;
import io.vigil.ingest.LogSink;
import io.vigil.ingest.ReadProblem;
import io.vigil.testing.SharedData;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The indexed engine ({@link RuleSet#match}: routing, candidate index, keyword scan of the raw
 * text) gives exactly the detections of the naive evaluator ({@link RuleSet#matchNaive}: every
 * rule's gate and full condition on every event), with all SigmaHQ rules, on every input of the
 * shared datasets that the ingest readers can read (Windows JSON, EVTX and OTRF zips, the benign
 * set, the SigmaHQ regression samples, Zeek, CloudTrail, Suricata, and the text logs the readers
 * normalize). Each file contributes at most 1,500 events by default ({@link #PER_FILE}), so that
 * the naive side stays affordable.
 */
class MatchEquivalenceTest {
  /** Events per input file at most; {@code -Dvigil.equivalence.per-file=0} compares them all. */
  static final int PER_FILE = Integer.getInteger("vigil.equivalence.per-file", 1_500);

  private static RuleSet rules;

  @BeforeAll
  static void load() throws IOException {
    Path sigma = SharedData.require("sigma");
    List<Path> folders;
    try (Stream<Path> s = Files.list(sigma)) {
      folders = s.filter(p -> p.getFileName().toString().startsWith("rules")).sorted().toList();
    }
    LoadOptions options = LoadOptions.defaults();
    Path placeholders = Path.of("../vigil-detect/src/test/resources/sigmahq-placeholders.yml");
    if (Files.exists(placeholders)) {
      options = options.withPlaceholders(LoadOptions.readPlaceholders(placeholders));
    }
    LoadResult loaded = RuleSet.load(folders, options);
    assertThat(loaded.errors()).isEmpty();
    rules = loaded.ruleSet();
  }

  @Test
  void match_everySharedDataset_sameDetectionsAsNaiveEvaluation() {
    Path datasets = SharedData.require("datasets");
    JsonEventParser parser = new JsonEventParser(rules.schema());
    LogReader reader = new LogReader(parser);
    Map<String, int[]> perFile = new TreeMap<>();
    List<String> differences = new ArrayList<>();
    Map<String, Integer> byRule = new HashMap<>();
    long[] totals = new long[2];
    reader.read(
        List.of(datasets),
        new LogSink() {
          @Override
          public void record(LogRecord record) {
            int[] counts = perFile.computeIfAbsent(record.origin(), k -> new int[2]);
            if (PER_FILE > 0 && counts[0] >= PER_FILE) {
              return;
            }
            Event e;
            try {
              e = record.parse();
            } catch (EventParseException ex) {
              return;
            }
            counts[0]++;
            List<String> fast = ids(rules.match(e));
            List<String> naive = ids(rules.matchNaive(e));
            counts[1] += naive.size();
            totals[0]++;
            totals[1] += naive.size();
            naive.forEach(id -> byRule.merge(id, 1, Integer::sum));
            if (!fast.equals(naive) && differences.size() < 20) {
              differences.add(
                  record.origin()
                      + "#"
                      + record.index()
                      + ": indexed "
                      + fast
                      + ", naive "
                      + naive);
            }
          }

          @Override
          public void problem(ReadProblem problem) {}
        });
    System.out.printf(
        "%,d events from %d inputs, %,d detections of %d rules compared%n",
        totals[0], perFile.size(), totals[1], byRule.size());
    perFile.forEach(
        (k, v) -> System.out.println("  " + v[0] + " events, " + v[1] + " detections: " + k));
    assertThat(differences).isEmpty();
    assertThat(perFile.keySet())
        .as("inputs of every kind were read")
        .anyMatch(o -> o.endsWith(".evtx"))
        .anyMatch(o -> o.contains("otrf-mordor"))
        .anyMatch(o -> o.contains("zeek"))
        .anyMatch(o -> o.contains("cloud"))
        .anyMatch(o -> o.contains("sigma-regression"));
    assertThat(totals[1]).isGreaterThan(500);
  }

  private static List<String> ids(List<Detection> detections) {
    List<String> out = new ArrayList<>(detections.size());
    for (Detection d : detections) {
      out.add(d.rule().id());
    }
    return out;
  }
}
