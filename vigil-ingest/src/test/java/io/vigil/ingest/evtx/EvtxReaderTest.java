package io.vigil.ingest.evtx;

import static io.vigil.ingest.evtx.EvtxBuilder.intBytes;
import static io.vigil.ingest.evtx.EvtxBuilder.longBytes;
import static io.vigil.ingest.evtx.EvtxBuilder.utf16z;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vigil.event.Event;
import io.vigil.event.FieldSchema;
import io.vigil.testing.SharedData;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class EvtxReaderTest {
  private static final FieldSchema SCHEMA =
      FieldSchema.of(
          List.of(
              "Event.System.EventID.#text",
              "Event.System.Header",
              "Event.EventData.Multi",
              "Event.EventData.Cmd"));

  private record Read(List<Event> events, List<EvtxProblem> problems, EvtxSummary summary) {}

  private static Read read(byte[] file, EvtxLimits limits) throws IOException {
    List<Event> events = new ArrayList<>();
    List<EvtxProblem> problems = new ArrayList<>();
    EvtxSummary summary =
        EvtxReader.read(
            new ByteArrayInputStream(file),
            "test.evtx",
            SCHEMA,
            limits,
            events::add,
            problems::add);
    return new Read(events, problems, summary);
  }

  private static Read read(byte[] file) throws IOException {
    return read(file, EvtxLimits.DEFAULT);
  }

  private static long filetime(Instant t) {
    return (t.getEpochSecond() + 11_644_473_600L) * 10_000_000L + t.getNano() / 100;
  }

  /** The template of {@link #read_templateInstance_rendersEvtxDumpShape}, written inline. */
  private static int writeEventTemplate(EvtxBuilder b) {
    int sizeField = b.instanceWithInlineDefinition();
    int definition = sizeField - 20;
    b.fragmentHeader();
    b.open("Event", true).attribute("xmlns").text("http://e").closeStart();
    b.open("System", false).closeStart();
    b.open("Provider", true).attribute("Name").substitution(2, 0x01, true).closeEmpty();
    b.open("EventID", true).attribute("Qualifiers").substitution(1, 0x06, true).closeStart();
    b.substitution(0, 0x06, false).end();
    b.open("Keywords", false).closeStart().substitution(5, 0x15, false).end();
    b.open("TimeCreated", true).attribute("SystemTime").substitution(6, 0x11, false).closeEmpty();
    b.open("Security", true).attribute("UserID").substitution(7, 0x13, true).closeEmpty();
    b.open("Header", false).closeStart().text("a").end();
    b.open("Header", false).closeStart().text("b").end();
    b.open("Msg", false).closeStart().text("a").u8(0x09).inlineName("amp").text("b");
    b.u8(0x08).u16('A').end();
    b.open("C", false).closeStart().u8(0x07).u16(3).utf16("x<y").end();
    b.end(); // System
    b.open("EventData", false).closeStart();
    b.open("Data", true).attribute("Name").text("Cmd").closeStart();
    b.substitution(3, 0x01, false).end();
    b.open("Data", true).attribute("Name").text("Flag").closeStart();
    b.substitution(8, 0x0d, false).end();
    b.open("Data", true).attribute("Name").text("Empty").closeStart();
    b.substitution(9, 0x01, true).end();
    b.open("Data", true).attribute("Name").text("Multi").closeStart();
    b.substitution(4, 0x81, false).end();
    b.end(); // EventData
    b.end(); // Event
    b.eof();
    b.endDefinition(sizeField);
    return definition;
  }

  private static Object[] values(String command, long ticks) {
    return new Object[] {
      0x06, new byte[] {(byte) 0x50, 0x12}, // 4688
      0x06, new byte[] {0x00, 0x40}, // 16384
      0x01, utf16z("prov"),
      0x01, utf16z(command),
      0x81, "x\0y\0".getBytes(StandardCharsets.UTF_16LE),
      0x15, longBytes(0x8020000000000000L),
      0x11, longBytes(ticks),
      0x00, new byte[0],
      0x0d, intBytes(2),
      0x01, new byte[0]
    };
  }

  @Test
  void read_templateInstance_rendersEvtxDumpShape() throws IOException {
    EvtxBuilder b = new EvtxBuilder();
    long ticks = filetime(Instant.parse("2016-07-08T18:12:51.6816408Z"));
    int record = b.record();
    b.fragmentHeader();
    writeEventTemplate(b);
    b.values(values("cmd.exe /c \"x\"", ticks)).eof();
    b.endRecord(record);

    Read r = read(b.file());

    assertThat(EvtxReader.isEvtx(b.file())).isTrue();
    assertThat(r.problems()).isEmpty();
    assertThat(r.events()).singleElement();
    Event e = r.events().get(0);
    assertThat(e.raw())
        .isEqualTo(
            "{\"Event\":{\"#attributes\":{\"xmlns\":\"http://e\"},\"System\":{"
                + "\"Provider\":{\"#attributes\":{\"Name\":\"prov\"}},"
                + "\"EventID\":{\"#attributes\":{\"Qualifiers\":16384},\"#text\":4688},"
                + "\"Keywords\":\"0x8020000000000000\","
                + "\"TimeCreated\":{\"#attributes\":{\"SystemTime\":\"2016-07-08T18:12:51.681640Z\"}},"
                + "\"Security\":null,\"Header\":\"a\",\"Header_1\":\"b\",\"Msg\":\"a&bA\",\"C\":\"x<y\"},"
                + "\"EventData\":{\"Cmd\":\"cmd.exe /c \\\"x\\\"\",\"Flag\":true,\"Empty\":\"\","
                + "\"Multi\":\"x\",\"Multi\":\"y\"}}}");
    assertThat(e.get("Event.System.EventID.#text")).isEqualTo(4688L);
    assertThat(e.get("event.system.eventid.#attributes.qualifiers")).isEqualTo(16384L);
    assertThat(e.get("Event.System.Header_1")).isEqualTo("b");
    assertThat(e.get("Event.EventData.Multi")).isEqualTo(List.of("x", "y"));
    assertThat(e.get("Event.EventData.Flag")).isEqualTo(true);
    assertThat(e.get("Event.System.Security")).isSameAs(Event.NULL);
    assertThat(e.index()).isEqualTo(1);
    assertThat(e.origin()).isEqualTo("test.evtx");
  }

  @Test
  void readJson_realLog_givesTheSameTextAsEvents() throws IOException {
    byte[] file =
        Files.readAllBytes(SharedData.require("datasets/windows/evtx-parser-fixtures/system.evtx"));
    Read events = read(file);
    List<String> texts = new ArrayList<>();
    List<Long> ids = new ArrayList<>();
    List<EvtxProblem> problems = new ArrayList<>();

    EvtxSummary summary =
        EvtxReader.readJson(
            new ByteArrayInputStream(file),
            "system.evtx",
            EvtxLimits.DEFAULT,
            (json, id) -> {
              texts.add(json);
              ids.add(id);
            },
            problems::add);

    assertThat(texts).isEqualTo(events.events().stream().map(Event::raw).toList());
    assertThat(ids).isEqualTo(events.events().stream().map(Event::index).toList());
    assertThat(summary).isEqualTo(events.summary());
    assertThat(problems)
        .isEqualTo(
            events.problems().stream()
                .map(
                    p ->
                        new EvtxProblem(
                            "system.evtx",
                            p.kind(),
                            p.chunk(),
                            p.record(),
                            p.offset(),
                            p.message()))
                .toList());
  }

  @Test
  void read_laterRecordRefersBackToTemplate_reusesDefinition() throws IOException {
    EvtxBuilder b = new EvtxBuilder();
    int first = b.record();
    b.fragmentHeader();
    int definition = writeEventTemplate(b);
    b.values(values("one", 0)).eof();
    b.endRecord(first);
    int second = b.record();
    b.fragmentHeader().instanceOf(definition).values(values("two", 0)).eof();
    b.endRecord(second);

    Read r = read(b.file());

    assertThat(r.problems()).isEmpty();
    assertThat(r.events())
        .extracting(e -> e.get("Event.EventData.Cmd"))
        .containsExactly("one", "two");
    assertThat(r.events()).extracting(Event::index).containsExactly(1L, 2L);
  }

  @Test
  void read_unnamedDataElements_gatherUnderDataText() throws IOException {
    EvtxBuilder b = new EvtxBuilder();
    int record = b.record();
    b.fragmentHeader();
    b.open("Event", false).closeStart();
    b.open("EventData", false).closeStart();
    b.open("Data", false).closeStart().text("1").end();
    b.open("Data", false).closeEmpty();
    b.open("Data", false).closeStart().text("3").end();
    b.open("Binary", false).closeStart().text("00FF").end();
    b.end().end().eof();
    b.endRecord(record);

    Read r = read(b.file());

    assertThat(r.events().get(0).raw())
        .isEqualTo(
            "{\"Event\":{\"EventData\":{\"Data\":{\"#text\":[\"1\",\"\",\"3\"]},\"Binary\":\"00FF\"}}}");
    assertThat(r.events().get(0).get("Event.EventData.Data.#text"))
        .isEqualTo(List.of("1", "", "3"));
  }

  @Test
  void read_templateThatInstantiatesItself_skipsRecordNamingTheLimit() throws IOException {
    EvtxBuilder b = new EvtxBuilder();
    int record = b.record();
    b.fragmentHeader();
    int sizeField = b.instanceWithInlineDefinition();
    int definition = sizeField - 20;
    b.fragmentHeader().instanceOf(definition).values().eof();
    b.endDefinition(sizeField);
    b.values().eof();
    b.endRecord(record);

    Read r = read(b.file());

    assertThat(r.events()).isEmpty();
    assertThat(r.problems())
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.kind()).isEqualTo(EvtxProblem.Kind.RECORD_SKIPPED);
              assertThat(p.record()).isEqualTo(1);
              assertThat(p.chunk()).isZero();
              assertThat(p.offset()).isEqualTo(4096 + 512);
              assertThat(p.message())
                  .contains("nest deeper than 16")
                  .contains("evtx.max-template-depth");
            });
  }

  @Test
  void read_hugeSubstitutionCount_skipsRecordNamingTheSetting() throws IOException {
    EvtxBuilder b = new EvtxBuilder();
    int record = b.record();
    b.fragmentHeader();
    int sizeField = b.instanceWithInlineDefinition();
    b.fragmentHeader().open("Event", false).closeStart().substitution(0, 1, false).end().eof();
    b.endDefinition(sizeField);
    b.u32(1_000_000).eof();
    b.endRecord(record);

    Read r = read(b.file());

    assertThat(r.problems())
        .singleElement()
        .extracting(EvtxProblem::message)
        .asString()
        .contains("declares 1000000 substitution values", "evtx.max-substitutions");
  }

  @Test
  void read_elementNestingOverLimit_skipsRecordNamingTheSetting() throws IOException {
    EvtxBuilder b = new EvtxBuilder();
    int record = b.record();
    b.fragmentHeader();
    for (int i = 0; i < 5; i++) {
      b.open("E", false).closeStart();
    }
    for (int i = 0; i < 5; i++) {
      b.end();
    }
    b.eof();
    b.endRecord(record);

    Read r = read(b.file(), new EvtxLimits(65_536, 16, 4, 4_096, 100_000, 1 << 20));

    assertThat(r.problems())
        .singleElement()
        .extracting(EvtxProblem::message)
        .asString()
        .contains("deeper than 4", "evtx.max-element-depth");
    assertThat(read(b.file()).events()).hasSize(1);
  }

  @Test
  void read_templatesStackingPastDepthLimit_skipsRecordNamingTheSetting() throws IOException {
    // Each template nests 3 elements and instantiates the next: 4 templates give depth 12.
    EvtxBuilder b = new EvtxBuilder();
    int record = b.record();
    b.fragmentHeader();
    List<Integer> sizes = new ArrayList<>();
    for (int t = 0; t < 4; t++) {
      sizes.add(b.instanceWithInlineDefinition());
      b.fragmentHeader();
      b.open("A", false).closeStart().open("B", false).closeStart().open("C", false).closeStart();
    }
    for (int t = 3; t >= 0; t--) {
      if (t < 3) {
        b.values(); // values of the instance just closed
      }
      b.end().end().end().eof();
      b.endDefinition(sizes.get(t));
    }
    b.values().eof();
    b.endRecord(record);

    assertThat(read(b.file()).events()).hasSize(1);
    Read r = read(b.file(), new EvtxLimits(65_536, 16, 10, 4_096, 100_000, 1 << 20));
    assertThat(r.problems())
        .singleElement()
        .extracting(EvtxProblem::message)
        .asString()
        .contains("nest deeper than 10", "evtx.max-element-depth");
  }

  @Test
  void read_recordOverSizeLimit_skipsEveryRecordNamingTheSetting() throws IOException {
    Path file =
        SharedData.require(
            "datasets/windows/evtx-sbousseaden/Execution__sysmon_mshta_sharpshooter_stageless_meterpreter.evtx");

    Read r = read(Files.readAllBytes(file), new EvtxLimits(100, 16, 64, 4_096, 100_000, 1 << 20));

    assertThat(r.events()).isEmpty();
    assertThat(r.summary().recordsSkipped()).isEqualTo(3);
    assertThat(r.problems())
        .hasSize(3)
        .allSatisfy(p -> assertThat(p.message()).contains("evtx.max-record-bytes"));
  }

  @Test
  void read_nodeBudgetOverLimit_skipsRecordNamingTheSetting() throws IOException {
    Path file =
        SharedData.require(
            "datasets/windows/evtx-sbousseaden/Execution__sysmon_mshta_sharpshooter_stageless_meterpreter.evtx");

    Read r = read(Files.readAllBytes(file), new EvtxLimits(65_536, 16, 64, 4_096, 10, 1 << 20));

    assertThat(r.events()).isEmpty();
    assertThat(r.problems()).allSatisfy(p -> assertThat(p.message()).contains("evtx.max-nodes"));
  }

  @Test
  void read_eventTextOverLimit_skipsRecordNamingTheSetting() throws IOException {
    Path file =
        SharedData.require(
            "datasets/windows/evtx-sbousseaden/Execution__sysmon_mshta_sharpshooter_stageless_meterpreter.evtx");

    Read r = read(Files.readAllBytes(file), new EvtxLimits(65_536, 16, 64, 4_096, 100_000, 500));

    assertThat(r.events()).isEmpty();
    assertThat(r.problems())
        .hasSize(3)
        .allSatisfy(
            p ->
                assertThat(p.message())
                    .contains("more than 500 characters of JSON", "evtx.max-event-chars"));
  }

  private static byte[] twoSmallRecords() {
    EvtxBuilder b = new EvtxBuilder();
    for (int i = 0; i < 2; i++) {
      int record = b.record();
      b.fragmentHeader().open("Event", false).closeStart().text("r" + i).end().eof();
      b.endRecord(record);
    }
    return b.file();
  }

  @Test
  void read_recordWithBadSignature_skipsToTheNextRecord() throws IOException {
    byte[] file = twoSmallRecords();
    file[4096 + 512] = 'X';

    Read r = read(file);

    assertThat(r.events()).extracting(Event::raw).containsExactly("{\"Event\":\"r1\"}");
    assertThat(r.problems())
        .filteredOn(p -> p.kind() == EvtxProblem.Kind.RECORD_SKIPPED)
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.offset()).isEqualTo(4096 + 512);
              assertThat(p.message())
                  .contains("expected the record signature 2A2A0000, found 582A0000")
                  .contains("bytes to the next record signature");
            });
  }

  @Test
  void read_chunkWithImpossibleFreeSpaceOffset_readsRecordsAnyway() throws IOException {
    byte[] file = twoSmallRecords();
    file[4096 + 48 + 2] = 0x7f; // free-space offset far past the chunk

    Read r = read(file);

    assertThat(r.events())
        .extracting(Event::raw)
        .containsExactly("{\"Event\":\"r0\"}", "{\"Event\":\"r1\"}");
    assertThat(r.problems())
        .extracting(EvtxProblem::kind)
        .containsExactlyInAnyOrder(
            EvtxProblem.Kind.CHUNK_DAMAGED, EvtxProblem.Kind.CHECKSUM_MISMATCH);
  }

  @Test
  void read_chunkWithoutSignature_isSkippedAndNextChunkRead() throws IOException {
    byte[] one = twoSmallRecords();
    byte[] two = Arrays.copyOf(one, one.length + 65536);
    System.arraycopy(one, 4096, two, 4096 + 65536, 65536);
    two[4096] = 'X';

    Read r = read(two);

    assertThat(r.events()).hasSize(2);
    assertThat(r.problems())
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.kind()).isEqualTo(EvtxProblem.Kind.CHUNK_SKIPPED);
              assertThat(p.chunk()).isZero();
              assertThat(p.message()).contains("chunk skipped, reading goes on with the next one");
            });
    assertThat(r.summary().chunks()).isEqualTo(1);
    assertThat(r.summary().chunksSkipped()).isEqualTo(1);
  }

  @Test
  void read_notAnEvtxFile_reportsOneProblemAndNoEvents() throws IOException {
    byte[] json = "{\"EventID\": 1}\n".repeat(5_000).getBytes(StandardCharsets.UTF_8);

    Read r = read(json);

    assertThat(r.events()).isEmpty();
    assertThat(r.problems())
        .extracting(EvtxProblem::kind)
        .containsExactly(EvtxProblem.Kind.FILE_HEADER, EvtxProblem.Kind.FILE_HEADER);
    assertThat(r.problems().get(1).message()).contains("not an EVTX file");
    assertThat(r.summary().bytes()).as("stops reading").isEqualTo(4096 + 65536);
    assertThat(EvtxReader.isEvtx(json)).isFalse();
  }

  @Test
  void read_emptyStream_reportsMissingHeader() throws IOException {
    Read r = read(new byte[0]);

    assertThat(r.events()).isEmpty();
    assertThat(r.problems())
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.kind()).isEqualTo(EvtxProblem.Kind.FILE_HEADER);
              assertThat(p.message())
                  .contains("0 bytes, fewer than the 4096-byte EVTX file header");
            });
  }

  @Test
  void read_fileCutInsideAChunk_readsTheRecordsBeforeTheCut() throws IOException {
    byte[] whole =
        Files.readAllBytes(
            SharedData.require("datasets/windows/evtx-parser-fixtures/security.evtx"));
    Read full = read(Arrays.copyOf(whole, 4096 + 2 * 65536));

    Read cut = read(Arrays.copyOf(whole, 4096 + 65536 + 30_000));

    assertThat(cut.problems())
        .extracting(EvtxProblem::kind)
        .contains(EvtxProblem.Kind.TRUNCATED)
        .doesNotContain(EvtxProblem.Kind.CHUNK_SKIPPED);
    assertThat(cut.events().size()).isBetween(92, full.events().size() - 1);
    assertThat(cut.events().stream().map(Event::raw).toList())
        .isEqualTo(full.events().subList(0, cut.events().size()).stream().map(Event::raw).toList());
  }

  @Test
  void read_consumerThrows_exceptionReachesTheCaller() {
    EvtxBuilder b = new EvtxBuilder();
    int record = b.record();
    b.fragmentHeader().open("Event", false).closeEmpty().eof();
    b.endRecord(record);
    byte[] file = b.file();

    assertThatThrownBy(
            () ->
                EvtxReader.read(
                    new ByteArrayInputStream(file),
                    "x",
                    SCHEMA,
                    EvtxLimits.DEFAULT,
                    e -> {
                      throw new IllegalStateException("stop");
                    },
                    p -> {}))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("stop");
  }

  @Test
  void limits_nonPositive_areRejectedWithTheValues() {
    assertThatThrownBy(() -> new EvtxLimits(65_536, 0, 64, 4_096, 100_000, 1 << 20))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("maxTemplateDepth=0");
  }
}
