package io.vigil.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.event.Event;
import io.vigil.event.FieldSchema;
import io.vigil.event.JsonEventParser;
import io.vigil.testing.SharedData;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The text logs of ../shared/datasets read whole, with the manifest's event counts. */
class TextLogsRealDataTest {
  private static final FieldSchema SCHEMA =
      FieldSchema.of(
          List.of(
              "@timestamp",
              "event.original",
              "host.name",
              "process.name",
              "source.ip",
              "cs-method",
              "sc-status",
              "type",
              "exe",
              "process.command_line"));

  @ParameterizedTest
  @CsvSource({
    "linux/loghub/OpenSSH_2k.log, 2000, syslog",
    "linux/otrf/sh_arp_cache.zip, 12, auditd",
    "web/ocatak-scanners/netsparker.txt, 7314, access-log",
    "web/ocatak-scanners/w3af.txt, 3996, access-log",
    "web/sbousseaden/tomcat_manager_webshell_access_log.txt, 2661, access-log"
  })
  void read_sharedTextLog_givesTheManifestCount_noProblems(String file, int events, String format) {
    Path path = SharedData.require("datasets/" + file);
    LogReader reader = new LogReader(new JsonEventParser(SCHEMA));
    List<String> formats = new ArrayList<>();
    List<Event> read = new ArrayList<>();
    List<ReadProblem> problems = new ArrayList<>();
    reader.read(
        List.of(path),
        new LogSink() {
          @Override
          public void record(LogRecord record) {
            read.add(record.parse());
          }

          @Override
          public void problem(ReadProblem problem) {
            problems.add(problem);
          }

          @Override
          public void format(String origin, String name) {
            formats.add(name);
          }
        });

    assertThat(problems).isEmpty();
    assertThat(formats).containsOnly(format);
    assertThat(read).hasSize(events);
    assertThat(read).allSatisfy(e -> assertThat(e.get("@timestamp")).isNotNull());
    assertThat(read).allSatisfy(e -> assertThat(e.get("event.original")).isNotNull());
    switch (format) {
      case "syslog" -> {
        assertThat(read).allSatisfy(e -> assertThat(e.get("host.name")).isEqualTo("LabSZ"));
        assertThat(read).allSatisfy(e -> assertThat(e.get("process.name")).isNotNull());
      }
      case "auditd" -> {
        assertThat(read).extracting(e -> e.get("type")).contains("SYSCALL", "EXECVE", "PROCTITLE");
        assertThat(read)
            .extracting(e -> e.get("process.command_line"))
            .containsOnly("arp -a", "grep -v ^?");
        assertThat(read).extracting(e -> e.get("exe")).contains("/usr/sbin/arp");
      }
      default -> {
        assertThat(read).allSatisfy(e -> assertThat(e.get("source.ip")).isNotNull());
        assertThat(read).allSatisfy(e -> assertThat(e.get("sc-status")).isNotNull());
      }
    }
  }
}
