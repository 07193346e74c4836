package io.vigil.event;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class JsonEventParserTest {
  private final FieldSchema schema =
      FieldSchema.of(
          List.of(
              "EventID",
              "Event.System.EventID",
              "winlog.event_data.Image",
              "tags",
              "Records.eventName",
              "missing",
              "nothing"));
  private final JsonEventParser parser = new JsonEventParser(schema);

  @Test
  void parse_flatAndNestedFields_fillsOnlySchemaSlots() {
    Event e =
        parser.parse(
            "{\"EventID\":4688,\"Other\":{\"deep\":[1,2]},\"Event\":{\"System\":{\"EventID\":1}},"
                + "\"winlog.event_data.Image\":\"C:\\\\x.exe\",\"tags\":[\"a\",\"b\"],"
                + "\"Records\":[{\"eventName\":\"Stop\"},{\"eventName\":\"Start\"}],"
                + "\"missing\":null}",
            "t.json",
            3);
    assertThat(e.get(schema.slot("eventid"))).isEqualTo(4688L);
    assertThat(e.get("Event.System.EventID")).isEqualTo(1L);
    assertThat(e.get("winlog.event_data.image")).isEqualTo("C:\\x.exe");
    assertThat(e.get("tags")).isEqualTo(List.of("a", "b"));
    assertThat(e.get("Records.eventName")).isEqualTo(List.of("Stop", "Start"));
    assertThat(e.get("missing")).isSameAs(Event.NULL);
    assertThat(e.get("nothing")).isNull();
    assertThat(e.origin()).isEqualTo("t.json");
    assertThat(e.index()).isEqualTo(3);
  }

  @Test
  void get_pathOutsideSchema_parsesRawLazily() {
    Event e = parser.parse("{\"a\":{\"B\":\"x\"},\"n\":[1,2]}", "t", 1);
    assertThat(e.get("a.b")).isEqualTo("x");
    assertThat(e.get("n")).isEqualTo(List.of(1L, 2L));
    assertThat(e.all()).containsOnlyKeys("a.b", "n");
  }

  @Test
  void parse_malformedJson_throwsTypedErrorNamingOrigin() {
    assertThatThrownBy(() -> parser.parse("{\"a\":", "bad.json", 7))
        .isInstanceOf(EventParseException.class)
        .hasMessageStartingWith("bad.json#7: malformed JSON");
    assertThatThrownBy(() -> parser.parse("[1]", "bad.json", 8))
        .isInstanceOf(EventParseException.class)
        .hasMessageContaining("expected a JSON object");
    assertThatThrownBy(() -> parser.parse("{} {}", "bad.json", 9))
        .isInstanceOf(EventParseException.class)
        .hasMessageContaining("after the end of the JSON object");
  }

  @Test
  void parse_overLimits_namesTheSetting() {
    JsonEventParser strict = new JsonEventParser(schema, new JsonLimits(100, 3, 2));
    assertThatThrownBy(() -> strict.parse("{\"a\":\"" + "x".repeat(200) + "\"}", "f", 1))
        .hasMessageContaining("json.max-event-chars");
    assertThatThrownBy(() -> strict.parse("{\"a\":1,\"b\":2,\"c\":3}", "f", 1))
        .hasMessageContaining("json.max-fields");
    assertThatThrownBy(() -> strict.parse("{\"a\":{\"b\":{\"c\":{\"d\":1}}}}", "f", 1))
        .isInstanceOf(EventParseException.class)
        .hasMessageContaining("depth");
  }

  @Test
  void builder_putsSchemaAndOtherFields() {
    Event e =
        Event.builder(schema)
            .origin("syslog", 2)
            .put("EventID", 5L)
            .put("host", "h1")
            .put("tags", "x")
            .put("tags", "y")
            .build();
    assertThat(e.get(schema.slot("EventID"))).isEqualTo(5L);
    assertThat(e.get("HOST")).isEqualTo("h1");
    assertThat(e.get("tags")).isEqualTo(List.of("x", "y"));
    assertThatThrownBy(() -> Event.builder(schema).put("x", new Object()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("field x");
  }
}
