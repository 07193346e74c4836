package io.vigil.ingest.text;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

class ZeekTsvDecoderTest {
  static final String CONN =
      "#separator \\x09\n"
          + "#set_separator\t,\n"
          + "#empty_field\t(empty)\n"
          + "#unset_field\t-\n"
          + "#path\tconn\n"
          + "#open\t2024-01-01-00-00-00\n"
          + "#fields\tts\tuid\tid.orig_h\tid.orig_p\tid.resp_h\tid.resp_p\tproto\tduration"
          + "\tlocal_orig\ttunnel_parents\tservice\thistory\n"
          + "#types\ttime\tstring\taddr\tport\taddr\tport\tenum\tinterval\tbool\tset[string]"
          + "\tstring\tstring\n"
          + "1704067200.123456\tCx1\t10.0.0.1\t50000\t8.8.8.8\t53\tudp\t0.5\tT\t(empty)\t-"
          + "\tD\\x09x\n"
          + "1704067201.000000\tCx2\t10.0.0.2\t50001\t1.1.1.1\t443\ttcp\t-\tF\ta,b\tssl\t-\n"
          + "#close\t2024-01-01-00-10-00\n";

  @Test
  void conn_typedValues_zeekJsonNames() {
    Decoded d = Decoded.run(new ZeekTsvDecoder(), CONN);

    assertThat(d.problems).isEmpty();
    assertThat(d.events).hasSize(2);
    JsonNode e = d.events.get(0);
    assertThat(e.get("_path").asText()).isEqualTo("conn");
    assertThat(e.get("ts").isDouble()).isTrue();
    assertThat(e.get("id.orig_h").asText()).isEqualTo("10.0.0.1");
    assertThat(e.get("id.orig_p").isIntegralNumber()).isTrue();
    assertThat(e.get("duration").asDouble()).isEqualTo(0.5);
    assertThat(e.get("local_orig").isBoolean()).isTrue();
    assertThat(e.get("tunnel_parents").isArray()).isTrue();
    assertThat(e.get("tunnel_parents")).isEmpty();
    assertThat(e.has("service")).isFalse();
    assertThat(e.get("history").asText()).isEqualTo("D\tx");
    assertThat(e.get("ts").asDouble()).isEqualTo(1704067200.123456);
    assertThat(e.at("/event/original").asText()).startsWith("1704067200.123456\tCx1");
    // ECS comes from the Zeek normalizer in LogReader, as for Zeek JSON (TextInputsTest)
    assertThat(e.has("source")).isFalse();
    JsonNode f = d.events.get(1);
    assertThat(f.get("tunnel_parents")).hasSize(2);
    assertThat(f.get("local_orig").asBoolean()).isFalse();
    assertThat(f.has("duration")).isFalse();
  }

  @Test
  void badValues_areProblems_restIsRead() {
    String text =
        CONN.replace("1704067201.000000\tCx2", "notatime\tCx2") + "1704067202.0\tCx3\t10.0.0.3\n";
    Decoded d = Decoded.run(new ZeekTsvDecoder(), text);

    assertThat(d.events).hasSize(1);
    assertThat(d.problems).hasSize(2);
    assertThat(d.problems.get(0)).contains("ts is a time");
    assertThat(d.problems.get(1)).contains("3 values where #fields names 12");
  }

  @Test
  void noHeader_isAProblem() {
    Decoded d = Decoded.run(new ZeekTsvDecoder(), "1.0\tx\n");

    assertThat(d.problems).singleElement().asString().contains("before the #fields header");
  }
}
