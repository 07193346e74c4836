package io.vigil.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vigil.testing.SharedData;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code vigil hunt} with every SigmaHQ rule fires the same detections (rule id and count) from
 * each SigmaHQ regression sample's {@code .evtx} as from the {@code .json} exported beside it: the
 * native EVTX reader and the JSON path give the engine the same events.
 */
class HuntEvtxJsonTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;

  @Test
  void hunt_regressionSamples_evtxAndJsonFireTheSameDetections() throws IOException {
    Path sigma = SharedData.require("sigma");
    Path samples = SharedData.require("datasets/windows/sigma-regression");
    List<String> evtx = new ArrayList<>();
    List<String> json = new ArrayList<>();
    try (Stream<Path> files = Files.walk(samples)) {
      for (Path p : files.sorted().toList()) {
        String name = p.getFileName().toString();
        if (name.endsWith(".evtx")) {
          Path twin = p.resolveSibling(name.substring(0, name.length() - 5) + ".json");
          if (Files.exists(twin)) {
            evtx.add(p.toString());
            json.add(twin.toString());
          }
        }
      }
    }
    assertThat(evtx).hasSizeGreaterThanOrEqualTo(100);

    Map<String, Map<String, Integer>> fromEvtx = hunt(sigma, evtx, "evtx");
    Map<String, Map<String, Integer>> fromJson = hunt(sigma, json, "json");

    assertThat(fromEvtx).isEqualTo(fromJson);
    // Not two empty results: every sample fires at least its own rule (the file is named by it).
    for (String sample : fromEvtx.keySet()) {
      String ruleId = sample.substring(sample.lastIndexOf('/') + 1);
      assertThat(fromEvtx.get(sample)).as(sample).containsKey(ruleId);
    }
    assertThat(fromEvtx).hasSize(evtx.size());
  }

  /** Sample (path without extension) to rule id to count. */
  private Map<String, Map<String, Integer>> hunt(Path sigma, List<String> inputs, String kind)
      throws IOException {
    Path out = dir.resolve(kind + ".jsonl");
    List<String> args =
        new ArrayList<>(
            List.of(
                "hunt", "--rules", sigma.toString(), "--format", "jsonl", "-o", out.toString()));
    args.addAll(inputs);
    HuntRun run = HuntRun.of(args.toArray(String[]::new));
    assertThat(run.exit()).as(run.err()).isZero();
    assertThat(run.err()).contains(", 0 parse errors").doesNotContain("unreadable");
    Map<String, Map<String, Integer>> tally = new TreeMap<>();
    try (BufferedReader r = Files.newBufferedReader(out, StandardCharsets.UTF_8)) {
      String line;
      while ((line = r.readLine()) != null) {
        JsonNode d = JSON.readTree(line);
        String file = d.get("source").get("file").asText();
        String sample = file.substring(0, file.lastIndexOf('.'));
        tally
            .computeIfAbsent(sample, k -> new TreeMap<>())
            .merge(d.get("rule").get("id").asText(), 1, Integer::sum);
      }
    }
    return tally;
  }
}
