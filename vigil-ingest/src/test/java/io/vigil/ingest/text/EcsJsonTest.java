package io.vigil.ingest.text;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class EcsJsonTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  @Test
  void set_dottedPaths_becomeNestedObjects_sourceFieldsKeepTheirNames() throws Exception {
    String json =
        new EcsJson()
            .field("id.orig_h", "10.0.0.1")
            .set("source.ip", "10.0.0.1")
            .set("source.port", 443)
            .set("process.args", List.of("ls", "-l"))
            .set("event.kind", "event")
            .toJson();

    JsonNode node = MAPPER.readTree(json);
    assertThat(node.get("id.orig_h").asText()).isEqualTo("10.0.0.1");
    assertThat(node.at("/source/ip").asText()).isEqualTo("10.0.0.1");
    assertThat(node.at("/source/port").isInt()).isTrue();
    assertThat(node.at("/process/args/1").asText()).isEqualTo("-l");
    assertThat(node.at("/event/kind").asText()).isEqualTo("event");
  }

  @Test
  void set_firstValueWins_andNullIsNotWritten() throws Exception {
    EcsJson b = new EcsJson().set("a.b", "first").set("a.b", "second").set("a.b.c", "x");
    b.set("n", null).field("top", "1").field("top", "2");

    assertThat(b.get("a.b")).isEqualTo("first");
    assertThat(b.has("n")).isFalse();
    assertThat(MAPPER.readTree(b.toJson()).get("top").asText()).isEqualTo("1");
  }

  @Test
  void quote_escapesControlQuotesAndLoneSurrogates() throws Exception {
    String nasty = "a\"b\\c\n\u0001\ud800z\ud83d\ude00";
    String json = new EcsJson().set("message", nasty).toJson();

    assertThat(MAPPER.readTree(json).get("message").asText())
        .isEqualTo("a\"b\\c\n\u0001\ufffdz\ud83d\ude00");
  }

  @Test
  void setRaw_writesJsonText_andTimestampIsIsoUtc() throws Exception {
    String json = new EcsJson().setRaw("x.y", "{\"k\":[1,2]}").set("d", Double.NaN).toJson();

    assertThat(MAPPER.readTree(json).at("/x/y/k/1").asInt()).isEqualTo(2);
    assertThat(MAPPER.readTree(json).get("d").asText()).isEqualTo("NaN");
    assertThat(EcsJson.timestamp(Instant.ofEpochSecond(1604994496, 155_000_000)))
        .isEqualTo("2020-11-10T07:48:16.155Z");
  }
}
