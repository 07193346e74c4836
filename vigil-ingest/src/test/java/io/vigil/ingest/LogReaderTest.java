package io.vigil.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.event.Event;
import io.vigil.event.FieldSchema;
import io.vigil.event.JsonEventParser;
import io.vigil.testing.SharedData;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LogReaderTest {
  private static final FieldSchema SCHEMA = FieldSchema.of(List.of("EventID", "Image"));
  private final LogReader reader = new LogReader(new JsonEventParser(SCHEMA));

  @TempDir Path dir;

  @Test
  void read_jsonLines_eventsCarryFileAndLineNumber() throws IOException {
    Path file =
        write(
            "a.jsonl", "{\"EventID\":1,\"Image\":\"a.exe\"}\n\n{\"EventID\":2}\r\n{\"EventID\":3}");

    LogReader.Result result = reader.readAll(List.of(file));

    assertThat(result.problems()).isEmpty();
    assertThat(result.events()).extracting(e -> e.get("EventID")).containsExactly(1L, 2L, 3L);
    assertThat(result.events()).extracting(Event::index).containsExactly(1L, 3L, 4L);
    assertThat(result.events()).allMatch(e -> e.origin().equals(file.toString()));
    assertThat(result.events().get(1).raw()).isEqualTo("{\"EventID\":2}");
  }

  @Test
  void readAll_jsonLinesOverManyReadBuffers_everyEventKeepsItsOwnValuesAndText()
      throws IOException {
    // ~3 MB: a dozen 256 KiB read buffers, each filled again after its events were parsed
    StringBuilder text = new StringBuilder();
    List<String> lines = new java.util.ArrayList<>();
    for (int n = 1; n <= 12_000; n++) {
      String line =
          "{\"EventID\":"
              + n
              + ",\"Image\":\"C:\\\\dir"
              + n
              + "\\\\\u00e9\\tx.exe\",\"Other\":\""
              + "p".repeat(n % 300)
              + "\"}";
      lines.add(line);
      text.append(line).append(n % 2 == 0 ? "\n" : "\r\n");
      if (n % 5_000 == 0) {
        lines.add("{\"EventID\":"); // malformed: a problem with its line number
        text.append(lines.getLast()).append('\n');
      }
    }
    Path file = write("many.jsonl", text.toString());

    LogReader.Result result = reader.readAll(List.of(file));

    assertThat(result.problems()).extracting(ReadProblem::index).containsExactly(5_001L, 10_002L);
    assertThat(result.events()).hasSize(12_000);
    for (Event e : result.events()) {
      String line = lines.get((int) e.index() - 1);
      long n = (Long) e.get("EventID");
      assertThat(e.get("Image")).isEqualTo("C:\\dir" + n + "\\\u00e9\tx.exe");
      assertThat(e.raw()).isEqualTo(line);
      assertThat(e.get("other")).isEqualTo("p".repeat((int) (n % 300)));
    }
  }

  @Test
  void read_prettyPrintedArray_recordsNumberedFromOne() throws IOException {
    Path file =
        write(
            "alerts.json",
            "[\n  {\n    \"EventID\": 7,\n    \"Image\": \"x\"\n  },\n  {\n    \"EventID\": 8\n  }\n]\n");

    LogReader.Result result = reader.readAll(List.of(file));

    assertThat(result.problems()).isEmpty();
    assertThat(result.events()).extracting(e -> e.get("EventID")).containsExactly(7L, 8L);
    assertThat(result.events()).extracting(Event::index).containsExactly(1L, 2L);
    assertThat(result.events().get(0).raw()).isEqualTo("{\"EventID\":7,\"Image\":\"x\"}");
  }

  @Test
  void read_concatenatedPrettyObjects_everyObjectIsAnEvent() throws IOException {
    Path file =
        write(
            "c.json",
            "{\n \"EventID\": 1\n}\n{\n \"EventID\": 2,\n \"Image\": \"y\"\n}{\"EventID\":3}");

    LogReader.Result result = reader.readAll(List.of(file));

    assertThat(result.problems()).isEmpty();
    assertThat(result.events()).extracting(e -> e.get("EventID")).containsExactly(1L, 2L, 3L);
  }

  @Test
  void read_severalObjectsOnOneLine_readAsStream() throws IOException {
    Path file = write("one-line.log", "{\"EventID\":1}{\"EventID\":2}\n");

    assertThat(reader.readAll(List.of(file)).events()).hasSize(2);
  }

  @Test
  void read_gzipOfJsonLines_originIsTheGzipFile() throws IOException {
    Path file = dir.resolve("sysmon.json.gz");
    Files.write(file, gzip("{\"EventID\":1}\n{\"EventID\":2}\n"));

    LogReader.Result result = reader.readAll(List.of(file));

    assertThat(result.problems()).isEmpty();
    assertThat(result.events()).extracting(Event::origin).containsOnly(file.toString());
    assertThat(result.events()).extracting(Event::index).containsExactly(1L, 2L);
  }

  @Test
  void read_zipWithJsonGzipAndJunkEntries_readsEveryEntryAndNotesTheJunk() throws IOException {
    Path file = dir.resolve("logs.zip");
    Files.write(
        file,
        zip(
            "a/one.json",
            "[{\"EventID\":1}]".getBytes(StandardCharsets.UTF_8),
            "two.jsonl.gz",
            gzip("{\"EventID\":2}\n{\"EventID\":3}\n"),
            "readme.txt",
            "hello".getBytes(StandardCharsets.UTF_8)));

    LogReader.Result result = reader.readAll(List.of(file));

    assertThat(result.events())
        .extracting(e -> e.origin() + "#" + e.index())
        .containsExactly(
            file + "!a/one.json#1", file + "!two.jsonl.gz#1", file + "!two.jsonl.gz#2");
    assertThat(result.problems())
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.kind()).isEqualTo(ReadProblem.Kind.SKIPPED);
              assertThat(p.origin()).isEqualTo(file + "!readme.txt");
              assertThat(p.message()).contains("not JSON").contains("\"hello\"");
            });
  }

  @Test
  void read_directory_walksRecursivelyInSortedOrderAndNotesUnknownFiles() throws IOException {
    Files.createDirectories(dir.resolve("b"));
    write("b/z.jsonl", "{\"EventID\":3}\n");
    write("a.jsonl", "{\"EventID\":1}\n");
    write("c.jsonl", "{\"EventID\":4}\n");
    write("b/a.json", "[{\"EventID\":2}]");
    write("b/notes.md", "# notes\n");
    Files.write(dir.resolve("b/x.bin"), new byte[] {0x7f, 'E', 'L', 'F', 1, 2, 0, 0});

    LogReader.Result result = reader.readAll(List.of(dir));

    assertThat(result.events()).extracting(e -> e.get("EventID")).containsExactly(1L, 2L, 3L, 4L);
    assertThat(result.problems())
        .extracting(ReadProblem::kind)
        .containsOnly(ReadProblem.Kind.SKIPPED);
    assertThat(result.problems())
        .extracting(ReadProblem::toString)
        .anySatisfy(m -> assertThat(m).contains("notes.md").contains("not JSON"))
        .anySatisfy(m -> assertThat(m).contains("x.bin").contains("binary data"));
  }

  @Test
  void read_malformedLine_isReportedWithLineAndReadingContinues() throws IOException {
    Path file =
        write("bad.jsonl", "{\"EventID\":1}\n{\"EventID\": oops}\n[1,2]\n{\"EventID\":4}\n");

    LogReader.Result result = reader.readAll(List.of(file));

    assertThat(result.events()).extracting(e -> e.get("EventID")).containsExactly(1L, 4L);
    assertThat(result.problems()).extracting(ReadProblem::index).containsExactly(2L, 3L);
    assertThat(result.problems().get(0).message()).contains(file + "#2").contains("malformed JSON");
    assertThat(result.problems().get(1).message()).contains("expected a JSON object");
  }

  @Test
  void read_overlongLine_isSkippedAndTheProblemNamesTheSetting() throws IOException {
    LogReader small =
        new LogReader(
            new JsonEventParser(SCHEMA)::parse,
            ReadLimits.DEFAULT.with(ReadLimits.MAX_LINE_CHARS, "64"));
    Path file =
        write(
            "long.jsonl",
            "{\"EventID\":1}\n{\"Image\":\"" + "x".repeat(500) + "\"}\n{\"EventID\":3}\n");

    LogReader.Result result = small.readAll(List.of(file));

    assertThat(result.events()).extracting(Event::index).containsExactly(1L, 3L);
    assertThat(result.problems())
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.index()).isEqualTo(2);
              assertThat(p.message()).contains("512 characters").contains("ingest.max-line-chars");
            });
  }

  @Test
  void read_overlongObjectInArray_isSkippedAndTheNextOneRead() throws IOException {
    LogReader small =
        new LogReader(new JsonEventParser(SCHEMA)::parse, new ReadLimits(20_000, 1 << 20, 10));
    Path file =
        write(
            "a.json",
            "[{\"EventID\":1},{\"Image\":\""
                + "x".repeat(19_000)
                + "\",\"More\":\""
                + "y".repeat(19_000)
                + "\"},{\"EventID\":3}]");

    LogReader.Result result = small.readAll(List.of(file));

    assertThat(result.events()).extracting(Event::index).containsExactly(1L, 3L);
    assertThat(result.problems())
        .singleElement()
        .satisfies(p -> assertThat(p.toString()).contains("#2").contains("ingest.max-line-chars"));
  }

  @Test
  void read_truncatedArray_keepsRecordsBeforeTheCutAndSaysSo() throws IOException {
    Path file = write("cut.json", "[{\"EventID\":1},{\"EventID\":2},{\"Event");

    LogReader.Result result = reader.readAll(List.of(file));

    assertThat(result.events()).hasSize(2);
    assertThat(result.problems())
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.kind()).isEqualTo(ReadProblem.Kind.INPUT);
              assertThat(p.message()).contains("after record 2");
            });
  }

  @Test
  void read_missingFileAmongInputs_isReportedAndTheOthersAreRead() throws IOException {
    Path good = write("good.jsonl", "{\"EventID\":1}\n");
    Path missing = dir.resolve("missing.jsonl");

    LogReader.Result result = reader.readAll(List.of(missing, good));

    assertThat(result.events()).hasSize(1);
    assertThat(result.problems())
        .singleElement()
        .satisfies(
            p -> assertThat(p.toString()).isEqualTo(missing + ": cannot read: no such file"));
  }

  @Test
  void read_corruptZip_isReportedAsUnreadable() throws IOException {
    Path file = dir.resolve("broken.zip");
    Files.write(file, "PK\3\4 not really a zip".getBytes(StandardCharsets.ISO_8859_1));

    LogReader.Result result = reader.readAll(List.of(file));

    assertThat(result.events()).isEmpty();
    assertThat(result.problems())
        .isNotEmpty()
        .allMatch(p -> p.kind() == ReadProblem.Kind.INPUT)
        .anySatisfy(p -> assertThat(p.message()).contains("not a readable zip archive"));
  }

  @Test
  void read_truncatedZip_entriesBeforeTheCutAreRead() throws IOException {
    StringBuilder text = new StringBuilder();
    for (int i = 1; i <= 3000; i++) {
      text.append("{\"EventID\":")
          .append(i)
          .append(",\"Image\":\"x")
          .append(i * 7919)
          .append("\"}\n");
    }
    byte[] entry = text.toString().getBytes(StandardCharsets.UTF_8);
    byte[] zip = zip("a.jsonl", entry, "b.jsonl", entry);
    Path file = dir.resolve("cut.zip");
    Files.write(file, java.util.Arrays.copyOf(zip, zip.length * 3 / 4));

    LogReader.Result result = reader.readAll(List.of(file));

    assertThat(result.events()).hasSizeBetween(3001, 5999);
    assertThat(result.events().get(0).origin()).isEqualTo(file + "!a.jsonl");
    assertThat(result.problems())
        .anySatisfy(p -> assertThat(p.message()).contains("truncated file?"))
        .allMatch(p -> p.kind() != ReadProblem.Kind.SKIPPED);
  }

  @Test
  void read_truncatedGzip_keepsEarlierRecordsAndReportsTheCut() throws IOException {
    StringBuilder text = new StringBuilder();
    for (int i = 1; i <= 2000; i++) {
      text.append("{\"EventID\":")
          .append(i)
          .append(",\"Image\":\"C:\\\\x")
          .append(i)
          .append(".exe\"}\n");
    }
    byte[] gz = gzip(text.toString());
    Path file = dir.resolve("cut.gz");
    Files.write(file, java.util.Arrays.copyOf(gz, gz.length * 2 / 3));

    LogReader.Result result = reader.readAll(List.of(file));

    assertThat(result.events()).isNotEmpty().hasSizeLessThan(2000);
    assertThat(result.problems())
        .anySatisfy(p -> assertThat(p.message()).contains("gzip data ends early"));
  }

  @Test
  void read_zipBomb_stopsAtTheExpandedSizeLimitAndNamesTheSetting() throws IOException {
    byte[] line = "{\"EventID\":1}\n".getBytes(StandardCharsets.UTF_8);
    ByteArrayOutputStream big = new ByteArrayOutputStream();
    for (int i = 0; i < 100_000; i++) {
      big.write(line);
    }
    Path file = dir.resolve("bomb.zip");
    Files.write(file, zip("a.jsonl", big.toByteArray(), "b.jsonl", big.toByteArray()));
    LogReader limited =
        new LogReader(new JsonEventParser(SCHEMA)::parse, new ReadLimits(1024, 1_000_000, 10));
    long[] records = {0};
    List<ReadProblem> problems = new java.util.ArrayList<>();

    limited.read(List.of(file), sink(records, problems));

    assertThat(records[0]).isLessThan(1_000_000 / line.length + 1);
    assertThat(problems)
        .singleElement()
        .satisfies(
            p ->
                assertThat(p.message())
                    .contains("more than 1,000,000 bytes")
                    .contains("ingest.max-expanded-bytes")
                    .contains("zip bomb"));
  }

  @Test
  void read_zipWithTooManyEntries_readsUpToTheLimitAndNamesTheSetting() throws IOException {
    Path file = dir.resolve("many.zip");
    try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(file))) {
      for (int i = 0; i < 5; i++) {
        zip.putNextEntry(new ZipEntry("e" + i + ".jsonl"));
        zip.write("{\"EventID\":1}\n".getBytes(StandardCharsets.UTF_8));
        zip.closeEntry();
      }
    }
    LogReader limited =
        new LogReader(new JsonEventParser(SCHEMA)::parse, new ReadLimits(1024, 1 << 20, 3));

    LogReader.Result result = limited.readAll(List.of(file));

    assertThat(result.events()).hasSize(3);
    assertThat(result.problems())
        .singleElement()
        .satisfies(
            p ->
                assertThat(p.message())
                    .contains("more than 3 entries")
                    .contains("ingest.max-archive-entries"));
  }

  @Test
  void read_stream_recognisesTheFormatByContent() {
    long[] records = {0};
    List<ReadProblem> problems = new java.util.ArrayList<>();

    reader.read(
        new ByteArrayInputStream(
            "\uFEFF[{\"EventID\":1},{\"EventID\":2}]".getBytes(StandardCharsets.UTF_8)),
        "stdin",
        sink(records, problems));

    assertThat(records[0]).isEqualTo(2);
    assertThat(problems).isEmpty();
  }

  @Test
  void read_plainFile_reportsEveryByteReadForProgress() throws IOException {
    Path file = write("p.jsonl", "{\"EventID\":1}\n".repeat(10_000));
    long[] bytes = {0};

    reader.read(
        List.of(file),
        new LogSink() {
          @Override
          public void record(LogRecord record) {}

          @Override
          public void problem(ReadProblem problem) {}

          @Override
          public void bytesRead(long n) {
            bytes[0] += n;
          }
        });

    assertThat(bytes[0]).isEqualTo(Files.size(file));
  }

  @Test
  void read_emptyFile_yieldsNothing() throws IOException {
    Path file = write("empty.json", "  \n");

    LogReader.Result result = reader.readAll(List.of(file));

    assertThat(result.events()).isEmpty();
    assertThat(result.problems()).isEmpty();
  }

  @Test
  void read_evtxFile_recordsAsJsonWithEventRecordIdAsIndex() {
    Path evtx =
        SharedData.require(
            "datasets/windows/evtx-sbousseaden/Credential_Access__sysmon_10_lsass_mimikatz_sekurlsa_logonpasswords.evtx");
    LogReader sysmon =
        new LogReader(
            new JsonEventParser(
                FieldSchema.of(List.of("Event.System.EventID", "Event.EventData.TargetImage"))));

    LogReader.Result result = sysmon.readAll(List.of(evtx));

    assertThat(result.problems()).isEmpty();
    assertThat(result.events()).isNotEmpty();
    assertThat(result.events())
        .anySatisfy(
            e -> {
              assertThat(e.get("Event.System.EventID")).isEqualTo(10L);
              assertThat(String.valueOf(e.get("Event.EventData.TargetImage")))
                  .endsWith("lsass.exe");
            });
    assertThat(result.events()).allMatch(e -> e.origin().equals(evtx.toString()) && e.index() > 0);
  }

  @Test
  void read_cloudTrailEnvelope_eachRecordIsAnEvent() throws IOException {
    Path file =
        write(
            "trail.json",
            "{\"Records\":[{\"EventID\":1},{\"EventID\":2,\"Image\":\"x\"}],\"Extra\":{\"a\":1}}"
                + "{\"Records\":\"not an array\",\"EventID\":3}{}");

    LogReader.Result result = reader.readAll(List.of(file));

    assertThat(result.problems()).isEmpty();
    assertThat(result.events()).extracting(Event::index).containsExactly(1L, 2L, 3L, 4L);
    assertThat(result.events()).extracting(e -> e.get("EventID")).containsExactly(1L, 2L, 3L, null);
    assertThat(result.events().get(2).raw())
        .isEqualTo("{\"Records\":\"not an array\",\"EventID\":3}");
  }

  @Test
  void read_realCloudTrailZip_everyRecordOfEveryDeliveryFile() {
    Path zip =
        SharedData.require(
            "datasets/cloud/invictus-aws-stratus/invictus_cloudtrail_stratus_2023-07-10.zip");
    LogReader cloud = new LogReader(new JsonEventParser(FieldSchema.of(List.of("eventName"))));

    LogReader.Result result = cloud.readAll(List.of(zip));

    assertThat(result.problems()).isEmpty();
    assertThat(result.events()).hasSize(2900);
    assertThat(result.events()).allMatch(e -> e.get("eventName") != null);
  }

  private static LogSink sink(long[] records, List<ReadProblem> problems) {
    return new LogSink() {
      @Override
      public void record(LogRecord record) {
        record.parse();
        records[0]++;
      }

      @Override
      public void problem(ReadProblem problem) {
        problems.add(problem);
      }
    };
  }

  private Path write(String name, String text) throws IOException {
    Path file = dir.resolve(name);
    Files.writeString(file, text, StandardCharsets.UTF_8);
    return file;
  }

  static byte[] gzip(String text) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (OutputStream gz = new GZIPOutputStream(out)) {
      gz.write(text.getBytes(StandardCharsets.UTF_8));
    }
    return out.toByteArray();
  }

  static byte[] zip(Object... nameThenBytes) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (ZipOutputStream zip = new ZipOutputStream(out)) {
      for (int i = 0; i < nameThenBytes.length; i += 2) {
        zip.putNextEntry(new ZipEntry((String) nameThenBytes[i]));
        zip.write((byte[]) nameThenBytes[i + 1]);
        zip.closeEntry();
      }
    }
    return out.toByteArray();
  }
}
