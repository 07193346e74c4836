package io.vigil.ingest.evtx;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.event.Event;
import io.vigil.testing.SharedData;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Every EVTX file of the parser fixtures and of the two attack-sample collections reads without an
 * exception and gives the event count of datasets/manifest.tsv, which is what evtx_dump gives.
 *
 * <p>Two deliberately damaged fixtures give more, because this reader resynchronises on the next
 * record signature after a damaged record, where evtx_dump stops reading the chunk:
 *
 * <ul>
 *   <li>{@code sample-with-zero-data-size-event.evtx}: record 3 of chunk 0 declares a size of 0.
 *       evtx_dump stops the chunk there (335 events); this reader reports the record as skipped,
 *       finds record 4 232 bytes on, and reads records 4–117 of that chunk too: 335 + 114 = 449.
 *   <li>{@code sample_with_a_bad_chunk_magic.evtx}: chunks 6 and 10 have no signature (skipped and
 *       reported, as evtx_dump does); in chunks 0, 7 and 9 a record runs into a zeroed region (its
 *       trailing size copy is 0). Both readers deliver those three records (reported here as
 *       damaged, their values cut short) and evtx_dump then stops each chunk; in chunk 7 this
 *       reader finds a further 31 intact records (47675–47705) 16 752 bytes after the zeroed
 *       region: 270 + 31 = 301.
 * </ul>
 */
class EvtxSampleFilesTest {
  private static final Map<String, Integer> RECOVERED_BEYOND_MANIFEST =
      Map.of(
          "sample-with-zero-data-size-event.evtx", 449, "sample_with_a_bad_chunk_magic.evtx", 301);

  @TestFactory
  Stream<DynamicTest> read_sampleFile_givesManifestEventCount() throws IOException {
    Path datasets = SharedData.require("datasets");
    Map<String, Integer> manifest = manifestCounts(datasets.resolve("manifest.tsv"));
    Path windows = datasets.resolve("windows");
    List<Path> files =
        Stream.of("evtx-parser-fixtures", "evtx-mdecrevoisier", "evtx-sbousseaden")
            .flatMap(d -> EvtxSamples.evtxFiles(windows.resolve(d)).stream())
            .toList();
    assertThat(files).hasSize(28);
    return files.stream()
        .map(
            file ->
                DynamicTest.dynamicTest(
                    file.getFileName().toString(),
                    () -> {
                      String key = datasets.relativize(file).toString().replace('\\', '/');
                      assertThat(manifest).containsKey(key);
                      int expected =
                          RECOVERED_BEYOND_MANIFEST.getOrDefault(
                              file.getFileName().toString(), manifest.get(key));
                      EvtxSamples.Result result = EvtxSamples.read(file);
                      assertThat(result.events()).hasSize(expected);
                      assertThat(result.summary().events()).isEqualTo(expected);
                      assertSane(result);
                    }));
  }

  @TestFactory
  Stream<DynamicTest> read_damagedFixture_reportsWhatWasSkipped() {
    Path fixtures = SharedData.require("datasets/windows/evtx-parser-fixtures");
    return Stream.of(
        DynamicTest.dynamicTest(
            "zero data size",
            () -> {
              EvtxSamples.Result r =
                  EvtxSamples.read(fixtures.resolve("sample-with-zero-data-size-event.evtx"));
              assertThat(kinds(r, EvtxProblem.Kind.RECORD_SKIPPED))
                  .singleElement()
                  .satisfies(
                      p -> {
                        assertThat(p.chunk()).isZero();
                        assertThat(p.record()).isEqualTo(3);
                        assertThat(p.message())
                            .contains("declares 0 bytes")
                            .contains("skipped 232 bytes to the next record");
                      });
              assertThat(r.events().stream().map(Event::index))
                  .doesNotContain(3L)
                  .contains(2L, 4L, 117L);
            }),
        DynamicTest.dynamicTest(
            "bad chunk magic",
            () -> {
              EvtxSamples.Result r =
                  EvtxSamples.read(fixtures.resolve("sample_with_a_bad_chunk_magic.evtx"));
              assertThat(kinds(r, EvtxProblem.Kind.CHUNK_SKIPPED))
                  .extracting(EvtxProblem::chunk)
                  .containsExactly(6, 10);
              assertThat(kinds(r, EvtxProblem.Kind.RECORD_DAMAGED))
                  .extracting(EvtxProblem::record)
                  .containsExactly(46741L, 47640L, 45933L);
              assertThat(r.summary().chunksSkipped()).isEqualTo(2);
            }),
        DynamicTest.dynamicTest(
            "no CRC32",
            () -> {
              EvtxSamples.Result r =
                  EvtxSamples.read(fixtures.resolve("Application_no_crc32.evtx"));
              assertThat(r.problems())
                  .extracting(EvtxProblem::kind)
                  .containsOnly(EvtxProblem.Kind.CHECKSUM_MISMATCH)
                  .hasSize(3);
              assertThat(r.events()).hasSize(17);
            }),
        DynamicTest.dynamicTest(
            "bad string cache",
            () -> {
              // The chunk's string hash table is damaged; names are read by offset, so every
              // record still reads, identical to the intact security.evtx.
              EvtxSamples.Result bad =
                  EvtxSamples.read(fixtures.resolve("security_bad_string_cache.evtx"));
              EvtxSamples.Result good = EvtxSamples.read(fixtures.resolve("security.evtx"));
              assertThat(bad.events().stream().map(Event::raw).toList())
                  .isEqualTo(good.events().stream().map(Event::raw).toList());
              assertThat(bad.problems())
                  .extracting(EvtxProblem::kind)
                  .containsExactly(EvtxProblem.Kind.CHECKSUM_MISMATCH);
            }),
        DynamicTest.dynamicTest(
            "irregular bool values",
            () -> {
              EvtxSamples.Result r =
                  EvtxSamples.read(fixtures.resolve("sample-with-irregular-bool-values.evtx"));
              assertThat(r.problems()).isEmpty();
              assertThat(r.events()).hasSize(3028);
            }),
        DynamicTest.dynamicTest(
            "sysmon with stale chunks",
            () -> {
              // The header counts 1 chunk; chunks 1-8 are valid and read, 9-16 are garbage.
              EvtxSamples.Result r = EvtxSamples.read(fixtures.resolve("sysmon.evtx"));
              assertThat(r.summary().chunks()).isEqualTo(9);
              assertThat(kinds(r, EvtxProblem.Kind.CHUNK_SKIPPED))
                  .extracting(EvtxProblem::chunk)
                  .containsExactly(9, 10, 11, 12, 13, 14, 15, 16);
            }));
  }

  private static List<EvtxProblem> kinds(EvtxSamples.Result r, EvtxProblem.Kind kind) {
    return r.problems().stream().filter(p -> p.kind() == kind).toList();
  }

  /** No internal errors, unique record ids, every raw text a JSON object with an Event. */
  static void assertSane(EvtxSamples.Result result) throws IOException {
    assertThat(result.problems())
        .noneMatch(p -> p.message().contains("internal error"))
        .allMatch(p -> !p.file().isEmpty() && p.message().length() > 20);
    Set<Long> ids = new HashSet<>();
    for (Event event : result.events()) {
      assertThat(ids.add(event.index())).as("record %d seen twice", event.index()).isTrue();
      assertThat(EvtxJson.MAPPER.readTree(event.raw()).has("Event")).isTrue();
    }
  }

  static Map<String, Integer> manifestCounts(Path manifest) throws IOException {
    List<String> lines = Files.readAllLines(manifest);
    List<String> header = List.of(lines.get(0).split("\t", -1));
    int file = header.indexOf("file");
    int count = header.indexOf("event_count");
    Map<String, Integer> out = new HashMap<>();
    for (String line : lines.subList(1, lines.size())) {
      String[] cells = line.split("\t", -1);
      if (cells.length > count && cells[file].endsWith(".evtx")) {
        out.put(cells[file], Integer.parseInt(cells[count].trim()));
      }
    }
    return out;
  }
}
