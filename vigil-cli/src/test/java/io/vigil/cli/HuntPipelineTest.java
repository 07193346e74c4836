package io.vigil.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.detect.Detection;
import io.vigil.detect.LoadOptions;
import io.vigil.detect.RuleSet;
import io.vigil.event.Event;
import io.vigil.event.JsonEventParser;
import io.vigil.ingest.LogReader;
import io.vigil.ingest.LogRecord;
import io.vigil.ingest.ReadLimits;
import io.vigil.ingest.ReadProblem;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * JSON lines through the hunt's threads as blocks of bytes: over many blocks (read buffers filled
 * again once written out), detections come in input order with the right line numbers and raw text,
 * and malformed and overlong lines are reported with their line numbers, for any thread count.
 */
class HuntPipelineTest {
  @TempDir Path dir;

  @Test
  void run_manyBlocksOfJsonLines_detectionsInOrderWithTheirLinesAndProblemsExact()
      throws IOException {
    Path rule = dir.resolve("evil.yml");
    Files.writeString(
        rule,
        """
        title: Evil image
        id: 11111111-2222-4333-8444-555555555555
        logsource: {product: windows}
        detection:
          selection: {Image|endswith: '\\\\evil.exe'}
          condition: selection
        level: high
        """);
    RuleSet rules = RuleSet.load(List.of(rule), LoadOptions.defaults()).ruleSet();
    List<String> lines = new ArrayList<>();
    List<Long> firing = new ArrayList<>();
    List<String> expectedProblems = new ArrayList<>();
    String padding = "x".repeat(1_500);
    for (int n = 1; n <= 6_000; n++) {
      String line;
      if (n % 997 == 0) {
        line = "{\"EventID\":1,\"Image\":\"C:\\\\"; // cut short
        expectedProblems.add(n + " malformed JSON");
      } else if (n % 1_499 == 0) {
        line = "{\"Message\":\"" + "y".repeat(5_000) + "\"}";
        // 5,014 characters and the \r of its \r\n, counted as the text reader always did
        expectedProblems.add(n + " line is 5,015 characters");
      } else if (n % 101 == 0) {
        line = "   ";
      } else {
        boolean evil = n % 37 == 0;
        line =
            "{\"EventID\":1,\"Channel\":\"Microsoft-Windows-Sysmon/Operational\",\"Image\":\"C:\\\\"
                + (evil ? "evil" : "good")
                + ".exe\",\"Message\":\"line "
                + n
                + "\\r\\n\\t"
                + padding
                + "\"}";
        if (evil) {
          firing.add((long) n);
        }
      }
      lines.add(line);
    }
    Path file = dir.resolve("big.jsonl");
    Files.writeString(file, String.join("\r\n", lines) + "\n", StandardCharsets.UTF_8);
    assertThat(Files.size(file)).isGreaterThan(8L << 20); // dozens of read buffers

    LogReader reader =
        new LogReader(
            LogRecord.RecordParser.of(new JsonEventParser(rules.schema())),
            ReadLimits.DEFAULT.with(ReadLimits.MAX_LINE_CHARS, "4096"));
    for (int threads : new int[] {1, 3}) {
      List<Detection> detections = new ArrayList<>();
      List<ReadProblem> problems = Collections.synchronizedList(new ArrayList<>());
      long[] counts = new long[2];
      HuntPipeline.run(
          sink -> reader.read(List.of(file), sink),
          rules,
          threads,
          0,
          problems::add,
          batch -> {
            counts[0] += batch.events();
            counts[1] += batch.parseErrors();
            for (Detection d : batch.detections()) {
              detections.add(d);
              // written out while its buffer is still held: the raw text is the line's
              assertThat(d.event().raw()).isEqualTo(lines.get((int) d.event().index() - 1));
            }
          },
          bytes -> {});
      assertThat(detections).extracting(d -> d.event().index()).containsExactlyElementsOf(firing);
      // kept after the run, when the reader has filled every buffer again many times: each event
      // still holds its own line's bytes and values (detached before its buffer went back)
      for (Detection d : detections) {
        Event e = d.event();
        String line = lines.get((int) e.index() - 1);
        assertThat(new String(e.rawBytes(), e.rawOffset(), e.rawLength(), StandardCharsets.UTF_8))
            .isEqualTo(line);
        assertThat(e.get("Image")).isEqualTo("C:\\evil.exe");
      }
      assertThat(problems)
          .extracting(p -> p.index() + " " + p.message().replaceFirst("^.*#\\d+: ", ""))
          .hasSize(expectedProblems.size())
          .allSatisfy(
              p -> assertThat(expectedProblems).anySatisfy(e -> assertThat(p).startsWith(e)));
      long blank = lines.stream().filter(String::isBlank).count();
      assertThat(counts[0] + counts[1] + blank + 4).isEqualTo(lines.size()); // 4 overlong lines
      assertThat(counts[1]).isEqualTo(6);
    }
  }
}
