package io.vigil.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.event.FieldSchema;
import io.vigil.event.JsonEventParser;
import io.vigil.ingest.text.TextFormats;
import io.vigil.testing.SharedData;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Property, through {@link LogReader} (detection by content, line reading, normalization): whatever
 * a text log's bytes become, reading ends normally with typed problems only, and every record a
 * text format gives parses, because the readers always write well-formed JSON. Seeded.
 */
class TextInputsFuzzTest {
  private static final int CASES = 300;

  @Test
  void read_mutatedTextLogs_onlyTypedProblems_everyTextRecordParses() throws IOException {
    List<byte[]> seeds =
        List.of(
            head(Files.readAllBytes(SharedData.require("datasets/linux/loghub/OpenSSH_2k.log"))),
            head(Files.readAllBytes(SharedData.require("datasets/web/ocatak-scanners/w3af.txt"))),
            bytes(
                "type=SYSCALL msg=audit(1604994496.155:92733): syscall=59 pid=1 comm=\"arp\"\n"
                    + "type=EXECVE msg=audit(1604994496.155:92733): argc=2 a0=\"arp\" a1=2D61\n"
                    + "type=PROCTITLE msg=audit(1604994496.155:92733): proctitle=617270002D61\n"),
            bytes(
                "CEF:0|V|P|1|2|n|3|src=1.1.1.1 msg=a\\=b c\n"
                    + "<134>Feb 10 12:00:00 fw CEF:0|V|P|1|2|n|3|dst=2.2.2.2\n"),
            bytes(
                "#Software: IIS\n#Fields: date time c-ip cs-method cs(User-Agent)\n"
                    + "2024-01-01 00:00:00 1.1.1.1 GET Mozilla/5.0+(X)\n"
                    + "2024-01-01 00:00:01 1.1.1.2 POST -\n"),
            bytes(
                "#separator \\x09\n#set_separator\t,\n#empty_field\t(empty)\n#unset_field\t-\n"
                    + "#path\tconn\n#fields\tts\tid.orig_h\tid.resp_p\ttunnel_parents\n"
                    + "#types\ttime\taddr\tport\tset[string]\n"
                    + "1.5\t10.0.0.1\t53\t(empty)\n2.5\t10.0.0.2\t443\ta,b\n"));
    LogReader reader =
        new LogReader(
            new JsonEventParser(FieldSchema.of(List.of("@timestamp", "source.ip", "type")))::parse,
            new ReadLimits(2048, 1 << 20, 10));
    int records = 0;
    for (int c = 0; c < CASES; c++) {
      Random random = new Random(c);
      byte[] input = mutate(seeds.get(c % seeds.size()), random);
      int seedCase = c;
      int[] count = {0};
      reader.read(
          new ByteArrayInputStream(input),
          "case-" + c,
          new LogSink() {
            String format = "";

            @Override
            public void format(String origin, String name) {
              format = name;
            }

            @Override
            public void record(LogRecord record) {
              count[0]++;
              if (TextFormats.NAMES.contains(format)) {
                // a text format wrote this JSON: it must parse
                try {
                  record.parse();
                } catch (RuntimeException e) {
                  throw new AssertionError(
                      "case " + seedCase + " (" + format + "): " + record.text(), e);
                }
              }
            }

            @Override
            public void problem(ReadProblem problem) {
              assertThat(problem.message()).as("case " + seedCase).isNotBlank();
            }
          });
      records += count[0];
    }
    assertThat(records).isPositive();
  }

  private static byte[] mutate(byte[] seed, Random random) {
    byte[] b = seed.clone();
    int n = 1 + random.nextInt(16);
    for (int i = 0; i < n; i++) {
      switch (random.nextInt(4)) {
        case 0 -> b[random.nextInt(b.length)] ^= (byte) (1 << random.nextInt(8));
        case 1 -> b[random.nextInt(b.length)] = (byte) random.nextInt();
        case 2 -> b[random.nextInt(b.length)] = (byte) "\"\\\n|=[]<>#\t".charAt(random.nextInt(11));
        default -> b = Arrays.copyOf(b, Math.max(1, b.length - random.nextInt(40)));
      }
    }
    return b;
  }

  private static byte[] head(byte[] data) {
    return Arrays.copyOf(data, Math.min(data.length, 16 * 1024));
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
