package io.vigil.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.event.EventParseException;
import io.vigil.event.FieldSchema;
import io.vigil.event.JsonEventParser;
import io.vigil.testing.SharedData;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Every file of {@code ../shared/datasets/manifest.tsv} reads with no problem and exactly the
 * manifest's event count (column 8, {@code event_count}), through the same reader hunt uses,
 * formats told by content.
 *
 * <p>Where the manifest's count is not a count of events, the expected count is stated here with
 * the reason (checked by hand, not copied from the reader's output):
 *
 * <ul>
 *   <li>{@code sample-with-zero-data-size-event.evtx} 449 and {@code
 *       sample_with_a_bad_chunk_magic.evtx} 301: the manifest has evtx_dump's counts (335, 270),
 *       which stop a chunk at its first damaged record; this reader resynchronises and recovers the
 *       intact records after it (record by record in {@code EvtxSampleFilesTest}).
 *   <li>{@code proc_creation_win_sc_stop_service/….jsoncls}: one pretty-printed JSON object (one
 *       event, the same as the {@code .json} beside it, byte for byte) of 66 lines; the manifest's
 *       66 counts lines.
 * </ul>
 *
 * <p>The EVTX parser fixtures (label scope "parser test fixture") are damaged on purpose (bad CRCs,
 * a zero-size record, bad chunk magic, zeroed chunks): their problems are expected and only their
 * counts are checked. Every other file must read with no problem at all.
 */
class ManifestTest {
  private static final int FILE = 0;
  private static final int FORMAT = 1;
  private static final int EVENT_COUNT = 7;
  private static final int LABEL_SCOPE = 10;

  private static final Map<String, Long> COUNTED_OTHERWISE =
      Map.of(
          "windows/evtx-parser-fixtures/sample-with-zero-data-size-event.evtx",
          449L,
          "windows/evtx-parser-fixtures/sample_with_a_bad_chunk_magic.evtx",
          301L,
          "windows/sigma-regression/proc_creation_win_sc_stop_service/"
              + "81bcb81b-5b1f-474b-b373-52c871aaa7b1.jsoncls",
          1L);

  @Test
  void read_everyManifestFile_noErrorsAndTheManifestEventCount() throws IOException {
    Path datasets = SharedData.require("datasets/manifest.tsv").getParent();
    List<String> rows =
        Files.readAllLines(datasets.resolve("manifest.tsv"), StandardCharsets.UTF_8);
    assertThat(rows.get(0).split("\t")[EVENT_COUNT]).isEqualTo("event_count");
    LogReader reader = new LogReader(new JsonEventParser(FieldSchema.of(List.of())));
    List<String> failures = new ArrayList<>();
    int files = 0;
    long events = 0;
    for (String row : rows.subList(1, rows.size())) {
      if (row.isBlank()) {
        continue;
      }
      String[] cols = row.split("\t", -1);
      Path file = datasets.resolve(cols[FILE]);
      long expected =
          COUNTED_OTHERWISE.getOrDefault(cols[FILE], Long.parseLong(cols[EVENT_COUNT].strip()));
      boolean damagedOnPurpose = cols[LABEL_SCOPE].contains("parser test fixture");
      Count count = read(reader, file);
      files++;
      events += count.events;
      if (count.events != expected || (!count.problems.isEmpty() && !damagedOnPurpose)) {
        failures.add(
            String.format(
                Locale.ROOT,
                "%s (%s): %,d events, manifest says %,d; %d problems%s",
                cols[FILE],
                cols[FORMAT],
                count.events,
                expected,
                count.problems.size(),
                count.problems.isEmpty() ? "" : ", first: " + count.problems.get(0)));
      }
    }
    assertThat(failures)
        .as(
            "%d of %d manifest files read wrong (%,d events read in all)",
            failures.size(), files, events)
        .isEmpty();
    assertThat(files).isEqualTo(rows.size() - 1);
  }

  private static Count read(LogReader reader, Path file) {
    Count count = new Count();
    reader.read(
        List.of(file),
        new LogSink() {
          @Override
          public void record(LogRecord record) {
            try {
              record.parse();
              count.events++;
            } catch (EventParseException e) {
              count.problems.add(record.origin() + "#" + record.index() + ": " + e.getMessage());
            }
          }

          @Override
          public void problem(ReadProblem problem) {
            count.problems.add(problem.toString());
          }
        });
    return count;
  }

  private static final class Count {
    long events;
    final List<String> problems = new ArrayList<>();
  }
}
