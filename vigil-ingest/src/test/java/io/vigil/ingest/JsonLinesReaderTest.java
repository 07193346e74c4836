package io.vigil.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.event.Event;
import io.vigil.event.EventParseException;
import io.vigil.event.FieldSchema;
import io.vigil.event.JsonEventParser;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The byte-splitting JSON lines reader gives the same records, line numbers and problems as reading
 * the decoded text line by line ({@link LineReader}, the reference here), for any bytes: line ends,
 * blank and overlong lines, byte order marks, non-ASCII and malformed UTF-8, lines across blocks,
 * and inputs that deliver a few bytes at a time.
 */
class JsonLinesReaderTest {
  private static final JsonEventParser PARSER =
      new JsonEventParser(FieldSchema.of(List.of("EventID", "Image")));
  private static final LogRecord.RecordParser RECORDS = LogRecord.RecordParser.of(PARSER);

  @Test
  void read_linesOfEveryKind_sameRecordsAndProblemsAsTheTextReader() throws IOException {
    String input =
        "\uFEFF{\"EventID\":1}\r\n"
            + "\n"
            + "   \t\r\n"
            + "\u2003\u3000\n"
            + "\u00a0\n"
            + "{\"Image\":\"C:\\\\\u00e9\u20ac\uD83D\uDE00\"}\n"
            + "{\"EventID\":"
            + "1".repeat(80)
            + "}\n"
            + "{\"EventID\":\""
            + "\u00e9".repeat(40)
            + "\"}\n"
            + "{\"EventID\":\""
            + "\u00e9".repeat(70)
            + "\"}\n"
            + "x".repeat(64)
            + "\r\n"
            + "x".repeat(65)
            + "\r\n"
            + "x".repeat(64)
            + "\r\r\n"
            + "not json\n"
            + "{\"EventID\":3}";
    assertSame(input.getBytes(StandardCharsets.UTF_8), 64, 1 << 20);
  }

  @Test
  void read_randomLinesAcrossBlocks_sameAsTheTextReader() throws IOException {
    for (int seed = 0; seed < 24; seed++) {
      Random random = new Random(seed);
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      int lines = 20 + random.nextInt(100);
      for (int i = 0; i < lines; i++) {
        int kind = random.nextInt(20);
        if (kind == 0) {
          out.writeBytes("\r\n".getBytes(StandardCharsets.UTF_8));
        } else if (kind == 1) {
          out.writeBytes(new byte[] {(byte) 0xE2, (byte) 0x82, '\n', (byte) 0xFF, '\r', '\n'});
        } else {
          // lengths around the limit and around the block size
          int len =
              switch (random.nextInt(4)) {
                case 0 -> random.nextInt(50);
                case 1 -> 3_990 + random.nextInt(20);
                case 2 -> random.nextInt(JsonLinesReader.BLOCK_BYTES + 100);
                default -> random.nextInt(4_000);
              };
          String pad = random.nextBoolean() ? "a" : "\u00e9";
          out.writeBytes(
              ("{\"Image\":\"" + pad.repeat(len / pad.length()) + "\"}")
                  .getBytes(StandardCharsets.UTF_8));
          out.writeBytes((random.nextBoolean() ? "\n" : "\r\n").getBytes(StandardCharsets.UTF_8));
        }
      }
      byte[] data = out.toByteArray();
      if (random.nextBoolean()) {
        data = java.util.Arrays.copyOf(data, data.length - 1); // no final line end
      }
      assertSame(data, 4_000 + random.nextInt(20), 1 + random.nextInt(70_000));
    }
  }

  @Test
  void read_lineFarOverTheLimit_droppedAsReadAndCounted() throws IOException {
    byte[] data =
        ("{\"EventID\":1}\n" + "\u00e9".repeat(700_000) + "\r\n{\"EventID\":2}\n")
            .getBytes(StandardCharsets.UTF_8);
    List<String> seen = readNew(data, 1_000, Integer.MAX_VALUE, false);
    assertThat(seen)
        .containsExactly(
            "record 1 {\"EventID\":1}",
            "problem 2 line is 700,001 characters, over the limit of 1,000"
                + " (ingest.max-line-chars); the line was skipped. Raise ingest.max-line-chars if"
                + " such lines are expected",
            "record 3 {\"EventID\":2}");
    assertSame(data, 1_000, Integer.MAX_VALUE);
  }

  @Test
  void lines_parsedFromBytes_equalTheRecordsParsedAsText() throws IOException {
    byte[] data =
        "{\"EventID\":4688,\"Image\":\"C:\\\\x.exe\"}\n{bad\n\n{\"EventID\":7}\n"
            .getBytes(StandardCharsets.UTF_8);
    List<String> viaBlocks = new ArrayList<>();
    new JsonLinesReader(RECORDS, ReadLimits.DEFAULT)
        .read(
            new ByteArrayInputStream(data),
            "f.jsonl",
            new LogSink() {
              @Override
              public void lines(LineBlock block) {
                for (int i = 0; i < block.size(); i++) {
                  LogRecord text = block.record(i);
                  try {
                    Event e = block.parse(i);
                    Event t = text.parse();
                    assertThat(e.raw()).isEqualTo(t.raw());
                    assertThat(e.get("EventID")).isEqualTo(t.get("EventID"));
                    assertThat(e.get("Image")).isEqualTo(t.get("Image"));
                    viaBlocks.add(block.index(i) + " " + e.get("EventID"));
                  } catch (EventParseException e) {
                    assertThat(e.getMessage())
                        .isEqualTo(
                            org.assertj.core.api.Assertions.catchThrowable(text::parse)
                                .getMessage());
                    viaBlocks.add(block.index(i) + " " + e.getMessage());
                  }
                }
              }

              @Override
              public void record(LogRecord record) {
                throw new AssertionError("blocks expected");
              }

              @Override
              public void problem(ReadProblem problem) {}
            });
    assertThat(viaBlocks).hasSize(3);
    assertThat(viaBlocks.get(0)).isEqualTo("1 4688");
    assertThat(viaBlocks.get(1)).startsWith("2 f.jsonl#2: malformed JSON");
    assertThat(viaBlocks.get(2)).isEqualTo("4 7");
  }

  @Test
  void blankAndChars_matchTheDecodedText() {
    for (String s : List.of("", " \t\u000b\f\r\u001c\u001f", "\u2003", "\u00a0", "a", " \u00e9")) {
      byte[] b = s.getBytes(StandardCharsets.UTF_8);
      assertThat(JsonLinesReader.blank(b, 0, b.length)).as(s).isEqualTo(s.isBlank());
      assertThat(JsonLinesReader.chars(b, 0, b.length)).isEqualTo(s.length());
    }
    byte[] emoji = "x\uD83D\uDE00\u20ac".getBytes(StandardCharsets.UTF_8);
    assertThat(JsonLinesReader.chars(emoji, 0, emoji.length)).isEqualTo(4);
  }

  /** Both readers, with the whole input at once and a few bytes at a time. */
  private static void assertSame(byte[] data, int maxChars, int chunk) throws IOException {
    List<String> expected = readOld(data, maxChars);
    assertThat(readNew(data, maxChars, Integer.MAX_VALUE, false))
        .as("max %d", maxChars)
        .isEqualTo(expected);
    assertThat(readNew(data, maxChars, chunk, true))
        .as("max %d, %d bytes a read", maxChars, chunk)
        .isEqualTo(expected);
  }

  private static List<String> readNew(byte[] data, int maxChars, int chunk, boolean blocks)
      throws IOException {
    List<String> seen = new ArrayList<>();
    Deque<Map.Entry<LineBlock, List<String>>> held = new ArrayDeque<>();
    ReadLimits limits = new ReadLimits(maxChars, 1L << 40, 10);
    LogSink sink =
        new LogSink() {
          @Override
          public void record(LogRecord record) {
            seen.add("record " + record.index() + " " + record.text());
          }

          @Override
          public void lines(LineBlock block) {
            if (!blocks) {
              LogSink.super.lines(block);
              return;
            }
            List<String> texts = new ArrayList<>();
            for (int i = 0; i < block.size(); i++) {
              texts.add(block.record(i).text());
              seen.add("record " + block.index(i) + " " + texts.getLast());
            }
            // hold a few blocks before releasing them: their bytes must not change meanwhile,
            // and released buffers are filled again
            held.addLast(Map.entry(block, texts));
            if (held.size() > 2) {
              releaseOldest(held);
            }
          }

          @Override
          public void problem(ReadProblem problem) {
            seen.add("problem " + problem.index() + " " + problem.message());
          }
        };
    new JsonLinesReader(RECORDS, limits).read(trickle(data, chunk), "f", sink);
    while (!held.isEmpty()) {
      releaseOldest(held);
    }
    return seen;
  }

  private static void releaseOldest(Deque<Map.Entry<LineBlock, List<String>>> held) {
    Map.Entry<LineBlock, List<String>> oldest = held.removeFirst();
    LineBlock block = oldest.getKey();
    for (int i = 0; i < block.size(); i++) {
      assertThat(block.record(i).text()).isEqualTo(oldest.getValue().get(i));
    }
    block.release();
    block.release(); // a second release does nothing
  }

  /** A stream that hands out at most {@code chunk} bytes per read, and says so in available(). */
  private static InputStream trickle(byte[] data, int chunk) {
    return new FilterInputStream(new ByteArrayInputStream(data)) {
      private int sinceAvailable;

      @Override
      public int read(byte[] b, int off, int len) throws IOException {
        return super.read(b, off, Math.min(len, chunk));
      }

      @Override
      public int available() throws IOException {
        // every other call: nothing ready now, as a pipe between writes
        return (sinceAvailable++ & 1) == 0 ? 0 : super.available();
      }
    };
  }

  /** The reference: the text reader as JSON lines were read before blocks of bytes. */
  private static List<String> readOld(byte[] data, int maxChars) throws IOException {
    List<String> seen = new ArrayList<>();
    LineReader lines =
        new LineReader(
            new InputStreamReader(new ByteArrayInputStream(data), StandardCharsets.UTF_8),
            maxChars);
    long number = 0;
    String line;
    while ((line = lines.next()) != null) {
      number++;
      if (lines.overlong()) {
        seen.add(
            "problem "
                + number
                + " "
                + String.format(
                    Locale.ROOT,
                    "line is %,d characters, over the limit of %,d (%s); the line was skipped."
                        + " Raise %s if such lines are expected",
                    lines.length(),
                    maxChars,
                    ReadLimits.MAX_LINE_CHARS,
                    ReadLimits.MAX_LINE_CHARS));
        continue;
      }
      if (number == 1 && !line.isEmpty() && line.charAt(0) == '\uFEFF') {
        line = line.substring(1);
      }
      if (line.isBlank()) {
        continue;
      }
      seen.add("record " + number + " " + line);
    }
    return seen;
  }
}
