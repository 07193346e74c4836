package io.vigil.event;

import static io.vigil.event.EventAssert.assertSameEvent;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Events parsed from bytes keep their wanted strings as places in those bytes until first read: the
 * decoded value is exactly the text path's wherever the escapes fall, an event detached from its
 * buffer reads the same after the buffer is overwritten, and input that the text path rejects is
 * rejected when parsed, never later when a value is read.
 */
class LazyValuesTest {
  private final FieldSchema schema =
      FieldSchema.of(List.of("EventID", "Image", "CommandLine", "Message", "Tags"));
  private final JsonEventParser parser = new JsonEventParser(schema);

  private static final String[] ESCAPES = {
    "\\\\",
    "\\\"",
    "\\/",
    "\\b",
    "\\f",
    "\\n",
    "\\r",
    "\\t",
    "\\r\\n\\t",
    "\\u0041",
    "\\u00e9",
    "\\u20ac",
    "\\\\\\\\",
    "\\ud83d\\ude00"
  };

  @Test
  void get_escapesAtEveryPlaceOfAnEightByteWord_decodedAsTheTextPath() {
    for (String escape : ESCAPES) {
      for (int before = 0; before <= 17; before++) {
        for (int after : new int[] {0, 1, 7, 8, 9, 23}) {
          String value =
              "C".repeat(before) + escape + "x".repeat(after) + escape + "\u00e9t\u00e9" + escape;
          String json = "{\"EventID\":1,\"Image\":\"" + value + "\",\"Other\":\"" + value + "\"}";
          Event fromBytes = parseInBuffer(json);
          assertSameEvent(fromBytes, parser.parse(json, "f.jsonl", 3), json);
        }
      }
    }
  }

  @Test
  void get_longMessageWithManyEscapes_decodedAsTheTextPath() {
    StringBuilder message = new StringBuilder();
    for (int i = 0; i < 300; i++) {
      message.append("Line ").append(i).append(":\\r\\n\\tC:\\\\Windows\\\\").append("\u00ae");
      message.append("x".repeat(i % 13));
    }
    String json = "{\"Message\":\"" + message + "\",\"CommandLine\":\"a\\\"b\\\"\"}";
    Event event = parseInBuffer(json);
    Event text = parser.parse(json, "f.jsonl", 3);
    assertThat((String) event.get("Message")).hasSizeGreaterThan(4_000);
    assertSameEvent(event, text, "long message");
  }

  @Test
  void detach_bufferOverwrittenAfterwards_eventReadsAsBefore() {
    String json =
        "{\"EventID\":4688,\"Image\":\"C:\\\\Windows\\\\cmd.exe\",\"CommandLine\":\"cmd /c"
            + " \\\"echo \u00e9\\\"\",\"Message\":\"plain\",\"Tags\":[\"a\",\"b\\\\c\"],\"x\":1}";
    byte[] utf8 = json.getBytes(StandardCharsets.UTF_8);
    byte[] buffer = new byte[utf8.length + 40];
    System.arraycopy(utf8, 0, buffer, 20, utf8.length);
    Event event = parser.parse(buffer, 20, utf8.length, "f.jsonl", 9);
    Event expected = parser.parse(json, "f.jsonl", 9);

    event.detach();
    event.detach(); // a second call changes nothing
    Arrays.fill(buffer, (byte) '!'); // the reader fills the buffer again

    assertSameEvent(event, expected, "detached");
    assertThat(new String(event.rawBytes(), event.rawOffset(), event.rawLength(), UTF8))
        .isEqualTo(json);
    assertThat(event.get("x")).isEqualTo(1L); // outside the schema: read from the copied raw text
  }

  @Test
  void detach_eventWithoutBuffer_doesNothing() {
    Event event = parser.parse("{\"Image\":\"a\"}", "f", 1);
    event.detach();
    assertThat(event.rawBytes()).isNull();
    assertThat(event.get("Image")).isEqualTo("a");
  }

  @Test
  void parse_malformedStringsNeverRead_rejectedAtParseWithTheTextPathsError() {
    List<String> bad =
        List.of(
            "{\"Image\":\"a\\qb\"}", // unknown escape in a wanted string
            "{\"Other\":\"a\\qb\"}", // ... and in one outside the schema
            "{\"Image\":\"a\\u00zzb\"}", // bad hex digits
            "{\"Image\":\"a\tb\"}", // a raw control character
            "{\"Image\":\"abc", // unterminated
            "{\"Image\":\"abc\\", // ends in a backslash
            "{\"Image\":\"ab\"c\"}"); // a stray quote
    for (String json : bad) {
      Throwable text = catchThrowable(() -> parser.parse(json, "f.jsonl", 3));
      assertThat(text).as(json).isInstanceOf(EventParseException.class);
      assertThatThrownBy(() -> parseInBuffer(json))
          .as(json)
          .isInstanceOf(EventParseException.class)
          .hasMessage(text.getMessage());
    }
  }

  private static final java.nio.charset.Charset UTF8 = StandardCharsets.UTF_8;

  /** Parses {@code json} from the middle of a larger buffer, as the JSON lines reader does. */
  private Event parseInBuffer(String json) {
    byte[] utf8 = json.getBytes(UTF8);
    byte[] buffer = new byte[utf8.length + 16];
    Arrays.fill(buffer, (byte) '"');
    System.arraycopy(utf8, 0, buffer, 5, utf8.length);
    return parser.parse(buffer, 5, utf8.length, "f.jsonl", 3);
  }
}
