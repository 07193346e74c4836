package io.vigil.event;

import static io.vigil.event.EventAssert.assertSameEvent;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Property: for any bytes (real events with random mutations), the byte path either gives the same
 * event as the text path on the decoded bytes, or throws the same {@link EventParseException}; no
 * other exception escapes. Seeded, so a failure names the case to replay.
 */
class JsonEventParserFuzzTest {
  private static final int CASES = 20_000;
  private static final byte[] SPICE =
      "{}[]\",:\\/\n\r\t 0123456789eE+-.tfnulrbuU\u00e9\u20ac\0\u001f\u007f"
          .getBytes(StandardCharsets.UTF_8);
  private static final byte[] RAW = {
    (byte) 0x80,
    (byte) 0xBF,
    (byte) 0xC3,
    (byte) 0xE2,
    (byte) 0xED,
    (byte) 0xF0,
    (byte) 0xF4,
    (byte) 0xFF
  };

  private static final List<String> SEEDS =
      List.of(
          "{\"EventID\":4688,\"Image\":\"C:\\\\Windows\\\\cmd.exe\",\"CommandLine\":\"cmd /c"
              + " \\\"x\\\" \\u00e9\\ud83d\\ude00\",\"Message\":\"a\\r\\n\\tb\",\"Level\":\"0\"}",
          "{\"Event\":{\"System\":{\"EventID\":1,\"Provider\":{\"Name\":\"S\"}},\"EventData\":"
              + "{\"Image\":\"x\",\"Hashes\":[\"a\",\"b\"]}},\"tags\":[1,2.5,-3e2,true,null]}",
          "{\"process.name\":\"p\",\"IMAGE\":\"\u00e9\u20ac\",\"n\":[[],{}],\"Big\":"
              + "12345678901234567890,\"f\":false}",
          "{\"Records\":[{\"eventName\":\"Stop\",\"x\":{\"y\":[1]}},{\"eventName\":\"Go\"}]}");

  private final JsonEventParser parser =
      new JsonEventParser(
          FieldSchema.of(
              List.of(
                  "EventID",
                  "Image",
                  "CommandLine",
                  "Event.System.EventID",
                  "Event.System.Provider",
                  "Event.EventData.Image",
                  "Event.EventData.Hashes",
                  "tags",
                  "process.name",
                  "Big",
                  "f",
                  "n",
                  "Records.eventName")),
          new JsonLimits(4096, 6, 40));

  @Test
  void parseBytes_mutatedEvents_sameEventOrSameErrorAsTheTextPath() {
    int parsed = 0;
    for (int c = 0; c < CASES; c++) {
      Random random = new Random(c);
      byte[] input = mutate(SEEDS.get(c % SEEDS.size()).getBytes(StandardCharsets.UTF_8), random);
      Event fromText = null;
      EventParseException textError = null;
      try {
        fromText = parser.parse(new String(input, StandardCharsets.UTF_8), "fuzz", c);
      } catch (EventParseException e) {
        textError = e;
      }
      try {
        Event fromBytes = parser.parse(input, 0, input.length, "fuzz", c);
        assertThat(textError).as("case %d: bytes %s", c, Arrays.toString(input)).isNull();
        assertSameEvent(fromBytes, fromText, "case " + c);
        parsed++;
      } catch (EventParseException e) {
        assertThat(textError).as("case %d: bytes %s", c, Arrays.toString(input)).isNotNull();
        assertThat(e.getMessage()).as("case %d", c).isEqualTo(textError.getMessage());
      } catch (RuntimeException | StackOverflowError e) {
        fail("case " + c + ": " + e + " on " + Arrays.toString(input), e);
      }
    }
    // the mutations keep a fair share of events valid, so values are compared too
    assertThat(parsed).isGreaterThan(CASES / 10);
  }

  private static byte[] mutate(byte[] seed, Random random) {
    byte[] b = seed.clone();
    int edits = 1 + random.nextInt(3);
    for (int i = 0; i < edits && b.length > 0; i++) {
      int at = random.nextInt(b.length);
      switch (random.nextInt(6)) {
        case 0 -> b[at] = SPICE[random.nextInt(SPICE.length)];
        case 1 -> b[at] = RAW[random.nextInt(RAW.length)];
        case 2 -> b = Arrays.copyOf(b, at); // truncate
        case 3 -> { // delete a byte
          byte[] shorter = new byte[b.length - 1];
          System.arraycopy(b, 0, shorter, 0, at);
          System.arraycopy(b, at + 1, shorter, at, b.length - at - 1);
          b = shorter;
        }
        case 4 -> { // insert a byte
          byte[] longer = new byte[b.length + 1];
          System.arraycopy(b, 0, longer, 0, at);
          longer[at] = SPICE[random.nextInt(SPICE.length)];
          System.arraycopy(b, at, longer, at + 1, b.length - at);
          b = longer;
        }
        default -> { // duplicate a slice (deeper nesting, more fields)
          int len = Math.min(b.length - at, 1 + random.nextInt(40));
          byte[] longer = new byte[b.length + len];
          System.arraycopy(b, 0, longer, 0, at + len);
          System.arraycopy(b, at, longer, at + len, b.length - at);
          b = longer;
        }
      }
    }
    return b;
  }
}
