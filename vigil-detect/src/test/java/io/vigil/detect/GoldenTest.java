package io.vigil.detect;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.event.Event;
import io.vigil.event.JsonEventParser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Golden cases under {@code src/test/resources/golden/<case>/}: {@code rule.yml}, {@code
 * events.jsonl} (one JSON event per line) and {@code expected.txt} (the 1-based indexes of the
 * events that fire, one per line, or {@code none}; or {@code error: <text>} when loading must fail
 * with a message containing the text; or {@code warning: <text>} when the rule must load inactive
 * with such a warning). An optional {@code placeholders.yml} feeds {@code |expand}.
 */
class GoldenTest {
  private static final Path ROOT = Path.of("src/test/resources/golden");
  private static final Set<String> REQUIRED = Set.of("rule.yml", "events.jsonl", "expected.txt");
  private static final Set<String> OPTIONAL = Set.of("placeholders.yml");

  static Stream<Path> cases() throws IOException {
    try (Stream<Path> s = Files.list(ROOT)) {
      return s.filter(Files::isDirectory).sorted().toList().stream();
    }
  }

  @Test
  void cases_everyFolder_isCompleteAndHasNoStrayFiles() throws IOException {
    List<String> problems = new ArrayList<>();
    try (Stream<Path> s = Files.list(ROOT)) {
      for (Path p : s.sorted().toList()) {
        if (!Files.isDirectory(p)) {
          problems.add(p + ": a stray file; golden cases are folders");
          continue;
        }
        Set<String> names;
        try (Stream<Path> f = Files.list(p)) {
          names = f.map(x -> x.getFileName().toString()).collect(Collectors.toSet());
        }
        for (String r : REQUIRED) {
          if (!names.contains(r)) {
            problems.add(p + ": missing " + r);
          }
        }
        for (String n : names) {
          if (!REQUIRED.contains(n) && !OPTIONAL.contains(n)) {
            problems.add(
                p
                    + ": orphaned file "
                    + n
                    + " (expected only "
                    + REQUIRED
                    + " and "
                    + OPTIONAL
                    + ")");
          }
        }
      }
    }
    assertThat(problems).isEmpty();
    assertThat(cases()).hasSizeGreaterThanOrEqualTo(60);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void match_goldenCase_firesOnExpectedEvents(Path dir) throws IOException {
    String expected = Files.readString(dir.resolve("expected.txt"), StandardCharsets.UTF_8).strip();
    Map<String, List<String>> placeholders =
        Files.exists(dir.resolve("placeholders.yml"))
            ? LoadOptions.readPlaceholders(dir.resolve("placeholders.yml"))
            : Map.of();
    LoadResult result =
        RuleSet.load(
            List.of(dir.resolve("rule.yml")),
            LoadOptions.defaults().withPlaceholders(placeholders));
    if (expected.startsWith("error:")) {
      String text = expected.substring("error:".length()).strip();
      assertThat(result.errors()).hasSize(1);
      assertThat(result.errors().get(0).message()).contains(text);
      assertThat(result.errors().get(0).line()).isPositive();
      return;
    }
    if (expected.startsWith("warning:")) {
      String text = expected.substring("warning:".length()).strip();
      assertThat(result.errors()).isEmpty();
      assertThat(result.warnings()).anySatisfy(w -> assertThat(w.message()).contains(text));
      assertThat(result.ruleSet().rules()).as("a rule held back by the warning").isEmpty();
      return;
    }
    assertThat(result.errors()).isEmpty();
    assertThat(result.ruleSet().rules()).hasSize(1);
    RuleSet rules = result.ruleSet();
    JsonEventParser parser = new JsonEventParser(rules.schema());
    List<String> lines = Files.readAllLines(dir.resolve("events.jsonl"), StandardCharsets.UTF_8);
    List<String> fired = new ArrayList<>();
    StringBuilder explanations = new StringBuilder();
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).isBlank()) {
        continue;
      }
      Event e = parser.parse(lines.get(i), dir.toString(), i + 1);
      boolean fires = !rules.match(e).isEmpty();
      if (fires) {
        fired.add(Integer.toString(i + 1));
      }
      Explanation x = rules.explain(rules.rules().get(0), e);
      assertThat(x.fires()).as("explain agrees with match on event %d", i + 1).isEqualTo(fires);
      explanations.append("event ").append(i + 1).append(": ").append(x.render());
    }
    String actual = fired.isEmpty() ? "none" : String.join("\n", fired);
    assertThat(actual).as(explanations::toString).isEqualTo(expected);
  }
}
