package io.vigil.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.event.EventParseException;
import io.vigil.event.FieldSchema;
import io.vigil.event.JsonEventParser;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Property: whatever bytes an input holds (truncated, mutated, recompressed), reading ends
 * normally, and the only failures are typed problems: {@link ReadProblem}s from the reader and
 * {@link EventParseException}s from parsing. Seeded, so a failure names the case to replay.
 */
class LogReaderFuzzTest {
  private static final int CASES = 600;
  private static final byte[] SPICE =
      "{}[]\",:\\\n\r 0e-.tfnul\u00e9\0\u001f\u008b".getBytes(StandardCharsets.UTF_8);

  private final LogReader reader =
      new LogReader(
          new JsonEventParser(FieldSchema.of(List.of("EventID", "Event.System.Computer", "Tags")))
              ::parse,
          new ReadLimits(4096, 1 << 20, 50));

  @TempDir Path dir;

  @Test
  void read_randomlyTruncatedOrMutatedJson_onlyTypedProblems() throws IOException {
    String lines =
        "{\"EventID\":1,\"Event\":{\"System\":{\"Computer\":\"pc1\"}},\"Tags\":[\"a\",\"b\"]}\n"
            + "{\"EventID\":2.5,\"Message\":\"line\\nbreak \\u00e9\",\"Nested\":{\"deep\":[1,{\"x\":null}]}}\n"
            + "{\"EventID\":true}\n";
    String array = "[\n  " + lines.strip().replace("\n", ",\n  ") + "\n]\n";
    String concatenated = lines.replace("{\"EventID\"", "{\n  \"EventID\"");
    List<byte[]> seeds =
        List.of(
            bytes(lines),
            bytes(array),
            bytes(concatenated),
            LogReaderTest.gzip(lines),
            LogReaderTest.zip("a.json", bytes(array), "b.gz", LogReaderTest.gzip(lines)));

    for (int c = 0; c < CASES; c++) {
      Random random = new Random(c);
      byte[] seed = seeds.get(c % seeds.size());
      byte[] input = mutate(seed, random);
      int seedCase = c;
      List<Throwable> unexpected = new ArrayList<>();
      int[] counts = new int[2];
      LogSink sink =
          new LogSink() {
            @Override
            public void record(LogRecord record) {
              try {
                record.parse();
                counts[0]++;
              } catch (EventParseException expected) {
                counts[1]++;
              } catch (RuntimeException e) {
                unexpected.add(e);
              }
            }

            @Override
            public void problem(ReadProblem problem) {
              assertThat(problem.message()).isNotBlank();
              counts[1]++;
            }
          };
      try {
        // the same bytes as a stream and as a file (files take other paths: ZipFile, salvage)
        reader.read(new ByteArrayInputStream(input), "case-" + c, sink);
        Path file = dir.resolve("case-" + c);
        Files.write(file, input);
        reader.read(List.of(file), sink);
        Files.delete(file);
      } catch (RuntimeException e) {
        unexpected.add(e);
      }
      assertThat(unexpected).as("case %d (seed %d)", seedCase, seedCase % seeds.size()).isEmpty();
    }
  }

  private static byte[] mutate(byte[] seed, Random random) {
    byte[] out = seed.clone();
    switch (random.nextInt(3)) {
      case 0 -> out = java.util.Arrays.copyOf(out, random.nextInt(out.length + 1));
      case 1 -> {
        int n = 1 + random.nextInt(4);
        for (int i = 0; i < n && out.length > 0; i++) {
          out[random.nextInt(out.length)] = SPICE[random.nextInt(SPICE.length)];
        }
      }
      default -> {
        int n = 1 + random.nextInt(3);
        for (int i = 0; i < n && out.length > 0; i++) {
          out[random.nextInt(out.length)] = (byte) random.nextInt(256);
        }
        if (random.nextBoolean()) {
          out = java.util.Arrays.copyOf(out, random.nextInt(out.length + 1));
        }
      }
    }
    return out;
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
