package io.vigil.detect;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.event.Event;
import io.vigil.event.JsonEventParser;
import io.vigil.testing.SharedData;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.junit.jupiter.api.Test;

/**
 * The prefilters (field presence, field-value atoms, keyword automaton) only skip work: with all
 * SigmaHQ rules, the detections on real Windows recordings are the same with and without them.
 */
class PrefilterTest {
  @Test
  void match_withAndWithoutPrefiltersAndFromFourThreads_sameDetections() throws IOException {
    Path sigma = SharedData.require("sigma");
    Path otrf = SharedData.require("datasets/windows/otrf-mordor");
    Path benign = SharedData.require("datasets/windows/benign-json");
    List<Path> folders;
    try (Stream<Path> s = Files.list(sigma)) {
      folders = s.filter(p -> p.getFileName().toString().startsWith("rules")).sorted().toList();
    }
    Map<String, List<String>> placeholders =
        LoadOptions.readPlaceholders(Path.of("src/test/resources/sigmahq-placeholders.yml"));
    RuleSet rules =
        RuleSet.load(folders, LoadOptions.defaults().withPlaceholders(placeholders)).ruleSet();
    List<String> lines = new ArrayList<>();
    try (Stream<Path> s = Files.list(otrf)) {
      for (Path zip : s.filter(p -> p.toString().endsWith(".zip")).sorted().toList()) {
        try (InputStream in = Files.newInputStream(zip);
            ZipInputStream z = new ZipInputStream(in)) {
          for (ZipEntry e = z.getNextEntry(); e != null; e = z.getNextEntry()) {
            new String(z.readAllBytes(), StandardCharsets.UTF_8)
                .lines()
                .filter(l -> l.startsWith("{"))
                .forEach(lines::add);
          }
        }
      }
    }
    try (Stream<Path> s = Files.list(benign)) {
      for (Path p : s.filter(f -> f.toString().endsWith(".jsonl")).sorted().toList()) {
        lines.addAll(Files.readAllLines(p));
      }
    }
    JsonEventParser parser = new JsonEventParser(rules.schema());
    List<Event> events = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      events.add(parser.parse(lines.get(i), "t", i + 1));
    }
    checkThreads(rules, parser, lines, events);
    long detections = 0;
    List<String> differences = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      Event e = events.get(i);
      List<String> fast = rules.match(e).stream().map(d -> d.rule().id()).toList();
      List<String> slow = rules.matchUnfiltered(e).stream().map(d -> d.rule().id()).toList();
      detections += slow.size();
      if (!fast.equals(slow) && differences.size() < 20) {
        differences.add("event " + (i + 1) + ": with prefilters " + fast + ", without " + slow);
      }
    }
    System.out.println(lines.size() + " events, " + detections + " detections compared");
    assertThat(differences).isEmpty();
    assertThat(detections).isGreaterThan(100);
  }

  /**
   * The rule set is shared by four threads (each parses its own events: an event is read by one
   * thread at a time); each sees what one thread alone sees.
   */
  private static void checkThreads(
      RuleSet rules, JsonEventParser parser, List<String> lines, List<Event> events) {
    List<List<String>> expected = new ArrayList<>();
    for (Event e : events) {
      expected.add(rules.match(e).stream().map(d -> d.rule().id()).toList());
    }
    List<String> problems = java.util.Collections.synchronizedList(new ArrayList<>());
    List<Thread> threads = new ArrayList<>();
    for (int t = 0; t < 4; t++) {
      int offset = t * 997;
      threads.add(
          Thread.ofPlatform()
              .name("prefilter-test-" + t)
              .start(
                  () -> {
                    for (int k = 0; k < events.size(); k++) {
                      int i = (k + offset) % events.size();
                      Event e = parser.parse(lines.get(i), "t", i + 1);
                      List<String> got = rules.match(e).stream().map(d -> d.rule().id()).toList();
                      if (!got.equals(expected.get(i)) && problems.size() < 10) {
                        problems.add("event " + (i + 1) + ": " + got + " != " + expected.get(i));
                      }
                    }
                  }));
    }
    for (Thread t : threads) {
      try {
        t.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
    assertThat(problems).as("concurrent matching").isEmpty();
  }
}
