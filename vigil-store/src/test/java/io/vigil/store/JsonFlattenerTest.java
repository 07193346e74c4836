package io.vigil.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class JsonFlattenerTest {
  private static List<String> flat(String json) throws Exception {
    List<String> out = new ArrayList<>();
    JsonFlattener.flatten(
        json, 4, (path, value, number) -> out.add(path + "=" + value + (number ? " #" : "")));
    return out;
  }

  @Test
  void nestedObjectsAndArrays_dottedPaths() throws Exception {
    assertThat(
            flat(
                " {\"a\":{\"b\":\"x\",\"c\":[1,-2.5e3,{\"d\":true}]},\"e\":null,\"f\":false,"
                    + "\"g\":[],\"h\":{}, \"i\" : \"\" }"))
        .containsExactly("a.b=x", "a.c=1 #", "a.c=-2.5e3 #", "a.c.d=true", "f=false", "i=");
  }

  @Test
  void escapes_decodedInValuesAndNames() throws Exception {
    assertThat(
            flat(
                "{\"k\\\"ey\":\"C:\\\\Windows\\\\cmd.exe \\\"q\\\" \\u00e9\\ud83d\\ude00\\n\\/\"}"))
        .containsExactly("k\"ey=C:\\Windows\\cmd.exe \"q\" \u00e9\ud83d\ude00\n/");
  }

  @Test
  void notAnObjectOrBroken_rejected() {
    for (String bad :
        List.of(
            "",
            "[1]",
            "plain text",
            "{\"a\":",
            "{\"a\":\"unterminated",
            "{\"a\" 1}",
            "{\"a\":1 \"b\":2}",
            "{\"a\":tru}",
            "{\"a\":\"\\x\"}",
            "{\"a\":\"\\u12\"}",
            "{a:1}")) {
      assertThatThrownBy(() -> flat(bad))
          .as(bad)
          .isInstanceOf(JsonFlattener.NotJsonException.class);
    }
  }

  @Test
  void deeperThanLimit_rejected() throws Exception {
    assertThat(flat("{\"a\":{\"b\":{\"c\":[\"d\"]}}}")).containsExactly("a.b.c=d");
    assertThatThrownBy(() -> flat("{\"a\":{\"b\":{\"c\":{\"d\":{\"e\":1}}}}}"))
        .isInstanceOf(JsonFlattener.NotJsonException.class)
        .hasMessageContaining("deeper than 4");
  }

  @Test
  void textAfterTheObject_ignored() throws Exception {
    assertThat(flat("{\"a\":1} trailing")).containsExactly("a=1 #");
  }
}
