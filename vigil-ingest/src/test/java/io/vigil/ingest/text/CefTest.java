package io.vigil.ingest.text;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class CefTest {
  private static JsonNode decode(String line) throws Exception {
    return SyslogDecoderTest.decode(new SyslogDecoder(Instant.EPOCH), line);
  }

  @Test
  void header_escapedPipesAndBackslashes() throws Exception {
    JsonNode e = decode("CEF:0|Ven\\|dor|Prod\\\\uct|1.2|sig-7|Name with | inside?|7|src=1.1.1.1");

    assertThat(e.at("/cef/device_vendor").asText()).isEqualTo("Ven|dor");
    assertThat(e.at("/cef/device_product").asText()).isEqualTo("Prod\\uct");
    assertThat(e.at("/cef/signature_id").asText()).isEqualTo("sig-7");
    assertThat(e.at("/cef/name").asText()).isEqualTo("Name with ");
    assertThat(e.at("/cef/severity").asText()).isEqualTo(" inside?");
  }

  @Test
  void extension_valuesWithSpacesEscapesAndNewlines() throws Exception {
    JsonNode e =
        decode(
            "CEF:0|V|P|1|42|Login|5|suser=alice smith msg=a\\=b \\\\ c\\nnext act=blocked"
                + " request=http://x/y?a=1 rt=1700000000000 dpt=443 cs1Label=rule cs1=r 1");

    assertThat(e.at("/suser").asText()).isEqualTo("alice smith");
    assertThat(e.at("/source/user/name").asText()).isEqualTo("alice smith");
    assertThat(e.at("/msg").asText()).isEqualTo("a=b \\ c\nnext");
    assertThat(e.at("/message").asText()).isEqualTo("a=b \\ c\nnext");
    assertThat(e.at("/act").asText()).isEqualTo("blocked");
    assertThat(e.at("/request").asText()).isEqualTo("http://x/y?a=1");
    assertThat(e.at("/url/original").asText()).isEqualTo("http://x/y?a=1");
    assertThat(e.at("/destination/port").asInt()).isEqualTo(443);
    assertThat(e.at("/@timestamp").asText()).isEqualTo("2023-11-14T22:13:20Z");
    assertThat(e.at("/cs1").asText()).isEqualTo("r 1");
    assertThat(e.at("/event/severity").asInt()).isEqualTo(5);
    assertThat(e.at("/event/code").asText()).isEqualTo("42");
  }

  @Test
  void emptyExtension_andNameAsMessage() throws Exception {
    JsonNode e = decode("CEF:1|V|P|1|1|Just a name|Low|");

    assertThat(e.at("/message").asText()).isEqualTo("Just a name");
    assertThat(e.at("/event/severity").isMissingNode()).isTrue();
    assertThat(e.at("/cef/severity").asText()).isEqualTo("Low");
  }

  @Test
  void shortHeader_isABadLine() {
    assertThatThrownBy(() -> decode("CEF:0|V|P|1|sig"))
        .isInstanceOf(BadLineException.class)
        .hasMessageContaining("7 fields");
  }
}
