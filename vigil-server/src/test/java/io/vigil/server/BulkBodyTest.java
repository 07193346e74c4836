package io.vigil.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class BulkBodyTest {
  private static BulkBody.Result split(String body, boolean ndjson) {
    byte[] b = body.getBytes(StandardCharsets.UTF_8);
    return BulkBody.split(b, b.length, ndjson, "http test", 0);
  }

  private static List<String> texts(BulkBody.Result r) {
    return r.payloads().stream().map(p -> Payload.decode(p).text()).toList();
  }

  @Test
  void split_jsonLines_keepsEachObjectsBytesAndNumbersBadLines() {
    BulkBody.Result r = split("{\"a\":1}\n\n  {\"b\":[1,{\"c\":2}]} \r\n{\"x\":\n\"str\"\n", true);
    assertThat(texts(r)).containsExactly("{\"a\":1}", "{\"b\":[1,{\"c\":2}]}");
    assertThat(r.rejected())
        .extracting(BulkBody.Rejected::where)
        .containsExactly("line 4", "line 5");
    assertThat(r.rejected().get(1).reason()).isEqualTo("a JSON string, not an object");
  }

  @Test
  void split_arrayWithAScalar_acceptsTheObjectsAndRejectsTheElement() {
    BulkBody.Result r = split("[{\"a\":1}, 7, {\"b\":{\"c\":[]}}]", false);
    assertThat(texts(r)).containsExactly("{\"a\":1}", "{\"b\":{\"c\":[]}}");
    assertThat(r.rejected())
        .singleElement()
        .satisfies(
            x -> {
              assertThat(x.where()).isEqualTo("element 2");
              assertThat(x.reason()).startsWith("a JSON number, not an object");
            });
  }

  @Test
  void split_prettyPrintedObjects_oneAfterAnother() {
    BulkBody.Result r = split("{\n \"a\": 1\n}\n{\n \"b\": 2\n}\n", false);
    assertThat(texts(r)).containsExactly("{\n \"a\": 1\n}", "{\n \"b\": 2\n}");
    assertThat(r.rejected()).isEmpty();
  }

  @Test
  void split_truncatedArray_keepsWhatCameBeforeAndSaysTheRestWasNotRead() {
    BulkBody.Result r = split("[{\"a\":1},{\"b\":", false);
    assertThat(texts(r)).containsExactly("{\"a\":1}");
    assertThat(r.rejected())
        .singleElement()
        .satisfies(
            x ->
                assertThat(x.reason())
                    .contains("malformed JSON")
                    .contains("the rest of the body was not read"));
  }

  @Test
  void split_nestingDeeperThanTheLimit_isRejected() {
    String deep =
        "{\"a\":" + "[".repeat(BulkBody.MAX_DEPTH + 5) + "]".repeat(BulkBody.MAX_DEPTH + 5) + "}";
    BulkBody.Result r = split(deep + "\n{\"ok\":1}\n", true);
    assertThat(texts(r)).containsExactly("{\"ok\":1}");
    assertThat(r.rejected())
        .singleElement()
        .satisfies(x -> assertThat(x.reason()).contains("malformed JSON"));
  }

  @Test
  void check_byteScanner_agreesWithJacksonOnWhatIsOneObject() {
    List<String> lines =
        List.of(
            "{}",
            "{\"a\":\"\\u00e9\\n\\\"q\\\"\"}",
            "{\"a\":\"caf\u00e9 \ud83d\ude00\"}",
            "{\"a\":\"\\ud83d\\ude00\"}",
            "{\"n\":[-0,1.5e10,-2E-3,0.25,12345678901234567890123]}",
            "{\"t\":true,\"f\":false,\"z\":null,\"o\":{\"p\":[[],{}]}}",
            "{\"a\":01}",
            "{\"a\":1.}",
            "{\"a\":+1}",
            "{\"a\":NaN}",
            "{\"a\":1,}",
            "{\"a\" 1}",
            "{\"a\":tru}",
            "{\"a\":\"tab\there\"}",
            "{\"a\":\"bad \\x escape\"}",
            "{'a':1}",
            "{\"a\":1}}",
            "{\"a\":1} x",
            "[1,2]",
            "\"str\"",
            "{\"a\":[1,2}");
    for (String line : lines) {
      byte[] b = line.getBytes(StandardCharsets.UTF_8);
      assertThat(BulkBody.check(b, 0, b.length) == null)
          .as(line)
          .isEqualTo(BulkBody.isObject(b, 0, b.length) == null);
      if (BulkBody.isObject(b, 0, b.length) != null) {
        assertThat(BulkBody.check(b, 0, b.length)).isEqualTo(BulkBody.isObject(b, 0, b.length));
      }
    }
  }

  @Test
  void split_objectWithMoreFieldsThanTheParseAllows_isRefusedAtTheDoorWithTheLimitNamed() {
    StringBuilder many = new StringBuilder("{");
    for (int i = 0; i <= io.vigil.event.JsonLimits.DEFAULT.maxFields(); i++) {
      many.append(i == 0 ? "" : ",").append("\"k").append(i).append("\":1");
    }
    many.append('}');
    BulkBody.Result r = split(many + "\n{\"ok\":1}\n", true);
    assertThat(texts(r)).containsExactly("{\"ok\":1}");
    assertThat(r.rejected())
        .singleElement()
        .satisfies(
            x -> {
              assertThat(x.where()).isEqualTo("line 1");
              assertThat(x.reason()).contains("more than").contains("json.max-fields");
            });
  }
}
