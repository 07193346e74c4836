package io.vigil.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vigil.event.Event;
import io.vigil.event.EventParseException;
import io.vigil.event.FieldSchema;
import io.vigil.event.JsonEventParser;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Text log inputs through LogReader: detection, forcing, problems, archives. */
class TextInputsTest {
  private static final FieldSchema SCHEMA =
      FieldSchema.of(List.of("@timestamp", "host.name", "message", "sc-status", "type"));
  private final LogReader reader = new LogReader(new JsonEventParser(SCHEMA));

  @TempDir Path dir;

  private record Read(List<Event> events, List<ReadProblem> problems, List<String> formats) {}

  private static Read read(LogReader reader, Path file) {
    List<Event> events = new ArrayList<>();
    List<ReadProblem> problems = new ArrayList<>();
    List<String> formats = new ArrayList<>();
    reader.read(
        List.of(file),
        new LogSink() {
          @Override
          public void record(LogRecord record) {
            try {
              events.add(record.parse());
            } catch (EventParseException e) {
              problems.add(
                  new ReadProblem(
                      record.origin(), record.index(), ReadProblem.Kind.RECORD, e.getMessage()));
            }
          }

          @Override
          public void problem(ReadProblem problem) {
            problems.add(problem);
          }

          @Override
          public void format(String origin, String format) {
            formats.add(origin + "=" + format);
          }
        });
    return new Read(events, problems, formats);
  }

  @Test
  void syslog_badLineInTheMiddle_isAProblemWithItsLineNumber_restIsRead() throws IOException {
    Path file =
        write(
            "auth.log",
            "Dec 10 06:55:46 h1 sshd[1]: one\n"
                + "this line is not syslog\n"
                + "\n"
                + "Dec 10 06:55:48 h1 sshd[1]: three\n");

    Read r = read(reader, file);

    assertThat(r.events()).extracting(e -> e.get("message")).containsExactly("one", "three");
    assertThat(r.events()).extracting(Event::index).containsExactly(1L, 4L);
    assertThat(r.problems())
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.index()).isEqualTo(2);
              assertThat(p.kind()).isEqualTo(ReadProblem.Kind.RECORD);
              assertThat(p.origin()).isEqualTo(file.toString());
              assertThat(p.message()).contains("not a syslog line").contains("skipped");
            });
    assertThat(r.formats()).containsExactly(file + "=syslog");
  }

  @Test
  void syslog_yearComesFromTheFilesModificationTime() throws IOException {
    Path file = write("old.log", "Mar  1 10:00:00 h app: x\nMar  1 10:00:01 h app: y\n");
    Files.setLastModifiedTime(file, FileTime.from(Instant.parse("2019-06-01T00:00:00Z")));

    Read r = read(reader, file);

    assertThat(r.events())
        .first()
        .satisfies(e -> assertThat(e.get("@timestamp")).isEqualTo("2019-03-01T10:00:00Z"));
  }

  @Test
  void gzippedAccessLog_readAsAccessLog() throws IOException {
    Path file = dir.resolve("access.log.gz");
    try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(file))) {
      out.write(
          "1.2.3.4 - - [10/Oct/2000:13:55:36 -0700] \"GET / HTTP/1.0\" 200 2326\n"
              .getBytes(StandardCharsets.UTF_8));
    }

    Read r = read(reader, file);

    assertThat(r.problems()).isEmpty();
    assertThat(r.events()).extracting(e -> e.get("sc-status")).containsExactly(200L);
    assertThat(r.formats()).containsExactly(file + "=access-log");
  }

  @Test
  void forcedFormat_readsAnUnrecognisedFileAsThatFormat_problemsPerLine() throws IOException {
    Path file = write("mixed.txt", "junk\njunk\njunk\nDec 10 06:55:46 h1 sshd[1]: one\n");
    assertThat(read(reader, file).problems())
        .singleElement()
        .satisfies(p -> assertThat(p.kind()).isEqualTo(ReadProblem.Kind.SKIPPED));

    Read forced = read(reader.withInputFormat("syslog"), file);

    assertThat(forced.events()).hasSize(1);
    assertThat(forced.problems()).hasSize(3).allMatch(p -> p.kind() == ReadProblem.Kind.RECORD);
  }

  @Test
  void forcedTextFormat_onJson_everyLineAProblem_forcedJsonOnSyslog_likewise() throws IOException {
    Path json = write("a.jsonl", "{\"type\":\"x\"}\n");
    Path syslog = write("b.log", "Dec 10 06:55:46 h1 sshd[1]: one\n");

    Read asAuditd = read(reader.withInputFormat("auditd"), json);
    Read asJson = read(reader.withInputFormat("JSON"), syslog);
    Read auto = read(reader.withInputFormat("syslog").withInputFormat("auto"), json);

    assertThat(asAuditd.events()).isEmpty();
    assertThat(asAuditd.problems())
        .singleElement()
        .satisfies(p -> assertThat(p.message()).contains("not an auditd record"));
    assertThat(asJson.formats()).containsExactly(syslog + "=json");
    assertThat(asJson.problems())
        .singleElement()
        .satisfies(p -> assertThat(p.message()).contains("malformed JSON"));
    assertThat(auto.events()).extracting(e -> e.get("type")).containsExactly("x");
  }

  @Test
  void zeekTsv_givesTheSameEcsFieldsAsTheSameRecordInZeekJson() throws IOException {
    Path tsv =
        write(
            "conn.log",
            "#separator \\x09\n#set_separator\t,\n#empty_field\t(empty)\n#unset_field\t-\n"
                + "#path\tconn\n#fields\tts\tuid\tid.orig_h\tid.orig_p\tid.resp_h\tid.resp_p"
                + "\tproto\tservice\n#types\ttime\tstring\taddr\tport\taddr\tport\tenum"
                + "\tstring\n1704067200.123456\tCx1\t10.0.0.1\t50000\t8.8.8.8\t53\tudp\tdns\n");
    Path json =
        write(
            "conn.json",
            "{\"_path\":\"conn\",\"ts\":1704067200.123456,\"uid\":\"Cx1\","
                + "\"id.orig_h\":\"10.0.0.1\",\"id.orig_p\":50000,\"id.resp_h\":\"8.8.8.8\","
                + "\"id.resp_p\":53,\"proto\":\"udp\",\"service\":\"dns\"}\n");
    List<String> paths =
        List.of(
            "@timestamp",
            "event.module",
            "event.dataset",
            "source.ip",
            "source.port",
            "destination.ip",
            "destination.port",
            "network.transport",
            "network.protocol",
            "id.orig_h");
    LogReader ecs = new LogReader(new JsonEventParser(FieldSchema.of(paths)));

    Read fromTsv = read(ecs, tsv);
    Read fromJson = read(ecs, json);

    assertThat(fromTsv.problems()).isEmpty();
    assertThat(fromTsv.formats()).containsExactly(tsv + "=zeek-tsv");
    assertThat(fromJson.formats()).containsExactly(json + "=zeek-json");
    Event t = fromTsv.events().get(0);
    Event j = fromJson.events().get(0);
    for (String path : paths) {
      assertThat(t.get(path)).as(path).isNotNull().isEqualTo(j.get(path));
    }
    assertThat(t.get("destination.port")).isEqualTo(53L);
  }

  @Test
  void unknownFormatName_listsTheValidNames() {
    assertThatThrownBy(() -> reader.withInputFormat("logfmt"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("unknown input format 'logfmt'")
        .hasMessageContaining("auto, json, evtx")
        .hasMessageContaining("access-log")
        .hasMessageContaining("zeek-tsv");
    assertThat(LogReader.inputFormatNames())
        .startsWith("auto")
        .contains("syslog", "auditd", "cef", "access-log", "w3c", "zeek-tsv", "json", "evtx");
  }

  @Test
  void overlongTextLine_isAProblemNamingTheLimit() throws IOException {
    LogReader small =
        new LogReader(
            new JsonEventParser(SCHEMA)::parse,
            ReadLimits.DEFAULT.with(ReadLimits.MAX_LINE_CHARS, "100"));
    Path file =
        write(
            "long.log",
            "Dec 10 06:55:46 h1 sshd[1]: short\nDec 10 06:55:46 h1 sshd[1]: "
                + "x".repeat(200)
                + "\nDec 10 06:55:47 h1 sshd[1]: short again\n");

    Read r = read(small, file);

    assertThat(r.events()).hasSize(2);
    assertThat(r.problems())
        .singleElement()
        .satisfies(p -> assertThat(p.message()).contains(ReadLimits.MAX_LINE_CHARS));
  }

  private Path write(String name, String text) throws IOException {
    Path p = dir.resolve(name);
    Files.writeString(p, text, StandardCharsets.UTF_8);
    return p;
  }
}
