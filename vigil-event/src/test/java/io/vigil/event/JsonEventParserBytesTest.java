package io.vigil.event;

import static io.vigil.event.EventAssert.assertSameEvent;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The byte path of {@link JsonEventParser}: the same events and errors as the text path. */
class JsonEventParserBytesTest {
  private final FieldSchema schema =
      FieldSchema.of(
          List.of(
              "EventID",
              "Image",
              "CommandLine",
              "Hashes",
              "tags",
              "Event.System.EventID",
              "Event.System.Provider",
              "Records.eventName",
              "process.name",
              "Flag",
              "Empty",
              "Big",
              "Ratio",
              "Nothing",
              "Stra\u00dfe"));
  private final JsonEventParser parser = new JsonEventParser(schema);

  private Event bytes(String json) {
    byte[] b = ("xx" + json + "yy").getBytes(StandardCharsets.UTF_8);
    int len = json.getBytes(StandardCharsets.UTF_8).length;
    return parser.parse(b, 2, len, "f.jsonl", 5);
  }

  private void same(String json) {
    assertSameEvent(bytes(json), parser.parse(json, "f.jsonl", 5), json);
  }

  @Test
  void rawTraits_whatTheBytesHold() {
    assertThat(bytes("{\"Image\":\"C:\\\\users\\\\x.exe\",\"n\":[1,\"a\"]}").rawTraits())
        .as("plain ASCII; an escaped backslash before u is no unicode escape")
        .isZero();
    assertThat(bytes("{\"Image\":\"Windows\u00ae\"}").rawTraits()).isEqualTo(Event.RAW_NON_ASCII);
    assertThat(bytes("{\"Other\":\"skipped \u20ac\"}").rawTraits())
        .as("in a value no rule reads")
        .isEqualTo(Event.RAW_NON_ASCII);
    assertThat(bytes("{\"Stra\u00dfe\":1}").rawTraits())
        .as("in a key")
        .isEqualTo(Event.RAW_NON_ASCII);
    assertThat(bytes("{\"x\":\"" + "a".repeat(40) + "\u00e9" + "b".repeat(40) + "\"}").rawTraits())
        .as("between two 16-byte steps")
        .isEqualTo(Event.RAW_NON_ASCII);
    assertThat(bytes("{\"Other\":\"\\u0041\"}").rawTraits()).isEqualTo(Event.RAW_UNICODE_ESCAPE);
    assertThat(bytes("{\"Other\":\"http:\\/\\/x\"}").rawTraits()).isEqualTo(Event.RAW_SLASH_ESCAPE);
    assertThat(bytes("{\"k\\u00e9\":\"\u00e9\\/\"}").rawTraits())
        .isEqualTo(Event.RAW_NON_ASCII | Event.RAW_UNICODE_ESCAPE | Event.RAW_SLASH_ESCAPE);
    assertThat(parser.parse("{\"Image\":\"x\"}", "f", 1).rawTraits())
        .as("parsed from text: unknown")
        .isEqualTo(-1);
    assertThat(bytes("{\"Image\":{\"nested\":1}}").rawTraits())
        .as("decided by the text path: unknown")
        .isEqualTo(-1);
  }

  @Test
  void parseBytes_flatWindowsEvent_valuesAsTheTextPath() {
    String json =
        "{\"EventID\":4688,\"Image\":\"C:\\\\Windows\\\\System32\\\\cmd.exe\",\"Message\":"
            + "\"a\\r\\n\\tb \\\"q\\\" \\u00e9\",\"CommandLine\":\"cmd /c \\\"echo \\u0041\\u20ac\\\"\","
            + "\"Flag\":true,\"Empty\":null,\"Ratio\":-1.5e3,\"Other\":[1,{\"x\":[null,false]}]}";
    Event e = bytes(json);
    assertThat(e.get("EventID")).isEqualTo(4688L);
    assertThat(e.get("Image")).isEqualTo("C:\\Windows\\System32\\cmd.exe");
    assertThat(e.get("CommandLine")).isEqualTo("cmd /c \"echo A\u20ac\"");
    assertThat(e.get("Flag")).isEqualTo(Boolean.TRUE);
    assertThat(e.get("Empty")).isSameAs(Event.NULL);
    assertThat(e.get("Ratio")).isEqualTo(-1500.0);
    assertThat(e.get("Nothing")).isNull();
    assertThat(e.raw()).isEqualTo(json);
    assertThat(e.origin()).isEqualTo("f.jsonl");
    assertThat(e.index()).isEqualTo(5);
    same(json);
  }

  @Test
  void parseBytes_keysOfAnyCaseDottedOrEscaped_reachTheirSlots() {
    same("{\"eventid\":1,\"IMAGE\":\"a\",\"process.name\":\"p\",\"Ima\\u0067e\":\"b\"}");
    Event e = bytes("{\"eventid\":1,\"IMAGE\":\"a\",\"process.name\":\"p\",\"Ima\\u0067e\":\"b\"}");
    assertThat(e.get("EventID")).isEqualTo(1L);
    assertThat(e.get("Image")).isEqualTo(List.of("a", "b"));
    assertThat(e.get("process.name")).isEqualTo("p");
    same("{\"process\":{\"name\":\"nested\"},\"STRASSE\":1,\"stra\u00dfe\":\"\u00fc\"}");
    assertThat(bytes("{\"STRA\u00dfE\":\"\u00fc\"}").get("Stra\u00dfe")).isEqualTo("\u00fc");
  }

  @Test
  void parseBytes_arraysNestingAndDuplicates_sameShapesAsTheTextPath() {
    same(
        "{\"tags\":[\"a\",[\"b\",[]],\"c\"],\"Records\":[{\"eventName\":\"Stop\"},{\"x\":1},"
            + "{\"eventName\":[\"Start\"]}],\"Event\":{\"System\":{\"EventID\":7,\"Other\":{}}}}");
    same("{\"tags\":[],\"Empty\":[],\"Empty\":[1]}");
    same("{\"EventID\":1,\"eventID\":2,\"EVENTID\":[3,4]}");
    same(" \t\r\n{ \"EventID\" : 1 , \"tags\" : [ \"a\" , \"b\" ] }\r\n ");
    same("{}");
  }

  @Test
  void parseBytes_numbers_sameTypesAsTheTextPath() {
    same("{\"Big\":123456789012345678,\"Ratio\":0.1}");
    same("{\"Big\":9223372036854775807,\"Ratio\":-0.0,\"EventID\":-0}");
    same("{\"Big\":-9223372036854775808,\"Ratio\":1E400}");
    same("{\"Big\":9223372036854775808,\"Ratio\":2.5e-3}");
    same("{\"Big\":123456789012345678901234567890,\"Ratio\":1e+2}");
    assertThat(bytes("{\"Big\":9223372036854775808}").get("Big")).isEqualTo("9223372036854775808");
  }

  @Test
  void parseBytes_objectOnAWantedPath_keepsItsJsonTextLikeTheTextPath() {
    same("{\"Event\":{\"System\":{\"Provider\":{\"Name\":\"x\",\"Guid\":\"{1}\"},\"EventID\":4}}}");
    assertThat(
            bytes("{\"Event\":{\"System\":{\"Provider\":{ \"Name\" : \"x\" }}}}")
                .get("Event.System.Provider"))
        .isEqualTo("{\"Name\":\"x\"}");
  }

  @Test
  void parseBytes_malformedUtf8AndEscapes_sameTextAsDecodingTheWholeLine() {
    byte[][] cases = {
      bytesOf("{\"Image\":\"a", 0xE2, 0x82, "\",\"Message\":\"", 0xFF, "\"}"),
      bytesOf("{\"Image\":\"", 0xC3, 0xA9, "\\n", 0xE2, "\\u00e9", 0xA9, "x\"}"),
      bytesOf("{\"Image\":\"", 0xF0, 0x9F, 0x98, 0x80, "\\t", 0xF0, 0x9F, "\"}"),
      bytesOf("{\"Ima", 0xC3, "ge\":\"x\",\"Image\":\"", 0xED, 0xA0, 0x80, "\"}"),
    };
    for (byte[] b : cases) {
      Event e = parser.parse(b, 0, b.length, "f", 1);
      assertSameEvent(e, parser.parse(new String(b, StandardCharsets.UTF_8), "f", 1), "case");
    }
  }

  @Test
  void parseBytes_surrogateEscapes_pairedOrNotAsTheTextPath() {
    same("{\"Image\":\"\\ud83d\\ude00 \\ud83d x \\ude00\"}");
  }

  @Test
  void parseBytes_malformedJson_sameErrorAsTheTextPath() {
    List<String> bad =
        List.of(
            "",
            "   ",
            "[1]",
            "{",
            "{\"a\":",
            "{\"a\":1,}",
            "{\"a\" 1}",
            "{\"a\":01}",
            "{\"a\":1.}",
            "{\"a\":.5}",
            "{\"a\":+1}",
            "{\"a\":-}",
            "{\"a\":1e}",
            "{\"a\":tru}",
            "{\"a\":truex}",
            "{\"a\":nul}",
            "{\"a\":\"x\ty\"}",
            "{\"Image\":\"x\ty\"}",
            "{\"Image\":\"\\x\"}",
            "{\"a\":\"\\u12G4\"}",
            "{\"a\":[1,,2]}",
            "{\"a\":[1 2]}",
            "{\"a\":{\"b\":1]}",
            "{a:1}",
            "{'a':1}",
            "{\"a\":1} {}",
            "{\"a\":1}x",
            "{\"a\":NaN}",
            "{\"a\":\"unterminated}",
            "{\"a\":1}\u0000",
            "\u00a0{\"a\":1}",
            "{\"EventID\":1,\"tags\":[\"a\"");
    for (String json : bad) {
      Throwable fromText = catchThrowable(() -> parser.parse(json, "bad.jsonl", 9));
      Throwable fromBytes = catchThrowable(() -> bytes9(json));
      assertThat(fromText).as(json).isInstanceOf(EventParseException.class);
      assertThat(fromBytes).as(json).isInstanceOf(EventParseException.class);
      assertThat(fromBytes.getMessage()).as(json).isEqualTo(fromText.getMessage());
    }
  }

  private Event bytes9(String json) {
    byte[] b = json.getBytes(StandardCharsets.UTF_8);
    return parser.parse(b, 0, b.length, "bad.jsonl", 9);
  }

  @Test
  void parseBytes_overLimits_sameErrorsNamingTheSetting() {
    JsonEventParser strict = new JsonEventParser(schema, new JsonLimits(100, 3, 2));
    for (String json :
        List.of(
            "{\"a\":\"" + "x".repeat(200) + "\"}",
            "{\"a\":1,\"b\":2,\"c\":3}",
            "{\"a\":{\"b\":{\"c\":{\"d\":1}}}}",
            "{\"Event\":{\"System\":{\"EventID\":[[1]]}}}",
            "{\"a\":[[[[1]]]]}")) {
      byte[] b = json.getBytes(StandardCharsets.UTF_8);
      Throwable fromText = catchThrowable(() -> strict.parse(json, "f", 1));
      Throwable fromBytes = catchThrowable(() -> strict.parse(b, 0, b.length, "f", 1));
      assertThat(fromText).as(json).isInstanceOf(EventParseException.class);
      assertThat(fromBytes).as(json).isInstanceOf(EventParseException.class);
      assertThat(fromBytes.getMessage()).as(json).isEqualTo(fromText.getMessage());
    }
    byte[] wide = ("{\"a\":\"" + "\u00e9".repeat(60) + "\"}").getBytes(StandardCharsets.UTF_8);
    assertThat(wide.length).isGreaterThan(100);
    assertThat(strict.parse(wide, 0, wide.length, "f", 1).raw()).hasSizeLessThan(100);
  }

  @Test
  void parseBytes_outOfRange_throwsIndexError() {
    assertThatThrownBy(() -> parser.parse(new byte[4], 2, 3, "f", 1))
        .isInstanceOf(IndexOutOfBoundsException.class);
  }

  @Test
  void raw_ofBytes_decodedOnceAndAllFieldsReachable() {
    Event e = bytes("{\"a\":{\"B\":\"\u00e9\"},\"n\":[1,2]}");
    assertThat(e.raw()).isEqualTo("{\"a\":{\"B\":\"\u00e9\"},\"n\":[1,2]}").isSameAs(e.raw());
    assertThat(e.get("a.b")).isEqualTo("\u00e9");
    assertThat(e.all()).containsOnlyKeys("a.b", "n");
  }

  static byte[] bytesOf(Object... parts) {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    for (Object p : parts) {
      if (p instanceof String s) {
        out.writeBytes(s.getBytes(StandardCharsets.UTF_8));
      } else {
        out.write((Integer) p);
      }
    }
    return out.toByteArray();
  }
}
