package io.vigil.detect;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vigil.event.Event;
import io.vigil.event.JsonEventParser;
import io.vigil.testing.SharedData;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/** The whole SigmaHQ rule set: it loads without errors, and its regression samples fire. */
class SigmaHqTest {
  private static LoadResult result;
  private static long loadMillis;

  @BeforeAll
  static void loadAll() throws IOException {
    Path sigma = SharedData.require("sigma");
    List<Path> folders;
    try (Stream<Path> s = Files.list(sigma)) {
      folders = s.filter(p -> p.getFileName().toString().startsWith("rules")).sorted().toList();
    }
    Map<String, List<String>> placeholders =
        LoadOptions.readPlaceholders(Path.of("src/test/resources/sigmahq-placeholders.yml"));
    long t0 = System.nanoTime();
    result = RuleSet.load(folders, LoadOptions.defaults().withPlaceholders(placeholders));
    loadMillis = (System.nanoTime() - t0) / 1_000_000;
    System.out.println(
        "SigmaHQ: "
            + result.ruleSet().rules().size()
            + " rules of "
            + result.total()
            + " loaded in "
            + loadMillis
            + " ms; schema "
            + result.ruleSet().schema().size()
            + " paths; warnings:");
    result.warnings().forEach(w -> System.out.println("  " + w));
  }

  @Test
  void load_allSigmaHqRules_noErrors() {
    assertThat(result.errors())
        .as(
            () ->
                result.errors().stream()
                    .map(RuleProblem::toString)
                    .collect(Collectors.joining("\n")))
        .isEmpty();
    assertThat(result.ruleSet().rules()).hasSize(3780);
  }

  @TestFactory
  Stream<DynamicTest> match_regressionSamples_fireTheirRule() throws IOException {
    Path root = SharedData.require("datasets/windows/sigma-regression");
    List<Path> dirs;
    try (Stream<Path> s = Files.list(root)) {
      dirs = s.filter(Files::isDirectory).sorted().toList();
    }
    JsonEventParser parser = new JsonEventParser(result.ruleSet().schema());
    ObjectMapper mapper = new ObjectMapper();
    List<DynamicTest> tests = new ArrayList<>();
    for (Path dir : dirs) {
      tests.add(
          DynamicTest.dynamicTest(
              dir.getFileName().toString(),
              () -> {
                Map<?, ?> info =
                    (Map<?, ?>)
                        new Load(LoadSettings.builder().build())
                            .loadFromString(Files.readString(dir.resolve("info.yml")));
                String ruleId =
                    (String) ((Map<?, ?>) ((List<?>) info.get("rule_metadata")).get(0)).get("id");
                List<?> tests0 = (List<?>) info.get("regression_tests_info");
                org.junit.jupiter.api.Assumptions.assumeTrue(
                    tests0 != null,
                    "skipped: "
                        + dir.getFileName()
                        + " declares no regression test (its info.yml"
                        + " comments it out: a .raw sample, which has no JSON form)");
                Map<?, ?> test = (Map<?, ?>) tests0.get(0);
                int expected = test.get("match_count") instanceof Number n ? n.intValue() : 1;
                Path json = dir.resolve(ruleId + ".json");
                org.junit.jupiter.api.Assumptions.assumeTrue(
                    Files.exists(json),
                    "skipped: "
                        + dir.getFileName()
                        + " has no JSON sample (type "
                        + test.get("type")
                        + "; the .raw format has no parser here)");
                int fired = 0;
                int events = 0;
                List<String> seen = new ArrayList<>();
                try (MappingIterator<JsonNode> it =
                    mapper.readerFor(JsonNode.class).readValues(json.toFile())) {
                  while (it.hasNext()) {
                    Event e = parser.parse(it.next().toString(), json.toString(), ++events);
                    boolean hit = false;
                    for (Detection d : result.ruleSet().match(e)) {
                      seen.add(d.rule().id());
                      hit |= d.rule().id().equals(ruleId);
                    }
                    if (hit) {
                      fired++;
                    }
                  }
                }
                Rule rule =
                    result.ruleSet().rules().stream()
                        .filter(r -> r.id().equals(ruleId))
                        .findFirst()
                        .orElseThrow();
                final int f = fired;
                final int n = events;
                assertThat(fired)
                    .as(
                        () ->
                            "rule "
                                + ruleId
                                + " fired on "
                                + f
                                + " of "
                                + n
                                + " events, expected "
                                + expected
                                + "; other detections: "
                                + seen
                                + "\n"
                                + explainFirst(json, parser, rule))
                    .isGreaterThanOrEqualTo(expected);
              }));
    }
    return tests.stream();
  }

  private static String explainFirst(Path json, JsonEventParser parser, Rule rule) {
    try (MappingIterator<JsonNode> it =
        new ObjectMapper().readerFor(JsonNode.class).readValues(json.toFile())) {
      return result.ruleSet().explain(rule, parser.parse(it.next().toString(), "x", 1)).render();
    } catch (IOException e) {
      return e.toString();
    }
  }
}
