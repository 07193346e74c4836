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
 * Hunts with every SigmaHQ rule over each OTRF/Mordor attack recording and compares what fires with
 * the reviewed list in {@code src/test/resources/otrf-expected.tsv} (file, rule id, rule title,
 * count). Any change in detections, better or worse, fails the test with a diff, so that it is
 * reviewed against docs/DETECTIONS.md and the list updated on purpose:
 *
 * <pre>
 * ./mvnw -pl vigil-cli test -Dtest=HuntOtrfDetectionsTest -Dvigil.otrf.update=true
 * </pre>
 */
class HuntOtrfDetectionsTest {
  static final Path EXPECTED = Path.of("src/test/resources/otrf-expected.tsv");
  static final String HEADER = "file\trule_id\trule_title\tcount";

  @TempDir Path dir;

  @Test
  void hunt_otrfRecordingsWithAllSigmaHqRules_detectionsAsReviewed() throws IOException {
    Path sigma = SharedData.require("sigma");
    Path otrf = SharedData.require("datasets/windows/otrf-mordor");
    List<String> zips;
    try (Stream<Path> files = Files.list(otrf)) {
      zips =
          files
              .filter(p -> p.getFileName().toString().endsWith(".zip"))
              .map(Path::toString)
              .sorted()
              .toList();
    }
    Path out = dir.resolve("detections.jsonl");
    List<String> args =
        new ArrayList<>(
            List.of(
                "hunt", "--rules", sigma.toString(), "--format", "jsonl", "-o", out.toString()));
    args.addAll(zips);

    HuntRun run = HuntRun.of(args.toArray(String[]::new));

    assertThat(run.exit()).as(run.err()).isZero();
    List<String> actual = tally(out);
    if (Boolean.getBoolean("vigil.otrf.update")) {
      List<String> lines = new ArrayList<>();
      lines.add(HEADER);
      lines.addAll(actual);
      Files.write(EXPECTED, lines, StandardCharsets.UTF_8);
    }
    List<String> expected =
        Files.readAllLines(EXPECTED, StandardCharsets.UTF_8).stream()
            .filter(l -> !l.isBlank() && !l.equals(HEADER))
            .toList();
    List<String> diff = new ArrayList<>();
    expected.stream().filter(l -> !actual.contains(l)).forEach(l -> diff.add("- " + l));
    actual.stream().filter(l -> !expected.contains(l)).forEach(l -> diff.add("+ " + l));
    assertThat(diff)
        .as(
            "detections differ from %s (- expected only, + now only). Review them against"
                + " docs/DETECTIONS.md, then rerun with -Dvigil.otrf.update=true to accept:%n%s",
            EXPECTED, String.join("\n", diff))
        .isEmpty();
  }

  /** Lines {@code file<TAB>rule id<TAB>title<TAB>count}, sorted by file then rule id. */
  static List<String> tally(Path jsonl) throws IOException {
    ObjectMapper json = new ObjectMapper();
    Map<String, Long> counts = new TreeMap<>();
    try (BufferedReader in = Files.newBufferedReader(jsonl, StandardCharsets.UTF_8)) {
      String line;
      while ((line = in.readLine()) != null) {
        JsonNode d = json.readTree(line);
        String origin = d.at("/source/file").asText();
        String file = Path.of(origin.substring(0, origin.indexOf('!'))).getFileName().toString();
        String key =
            file
                + "\t"
                + d.at("/rule/id").asText()
                + "\t"
                + d.at("/rule/title").asText().replace('\t', ' ');
        counts.merge(key, 1L, Long::sum);
      }
    }
    List<String> lines = new ArrayList<>();
    counts.forEach((k, v) -> lines.add(k + "\t" + v));
    return lines;
  }
}
