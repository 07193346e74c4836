package io.vigil.ingest.text;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

class W3cDecoderTest {
  static final String IIS =
      "#Software: Microsoft Internet Information Services 10.0\n"
          + "#Version: 1.0\n"
          + "#Date: 2024-03-01 00:00:00\n"
          + "#Fields: date time s-ip cs-method cs-uri-stem cs-uri-query s-port cs-username c-ip"
          + " cs(User-Agent) cs(Referer) sc-status sc-substatus sc-win32-status time-taken\n"
          + "2024-03-01 10:11:12 10.0.0.1 GET /owa/auth/x.aspx a=1&b=~1 443 - 203.0.113.9"
          + " Mozilla/5.0+(Windows+NT) - 200 0 0 15\n"
          + "#Fields: time c-ip cs-method\n"
          + "10:11:13 203.0.113.10 POST\n";

  @Test
  void iis_fieldsNamesKept_plusMeansSpace_dashIsEmpty_ecsAdded() {
    Decoded d = Decoded.run(new W3cDecoder(), IIS);

    assertThat(d.problems).isEmpty();
    assertThat(d.events).hasSize(2);
    JsonNode e = d.events.get(0);
    assertThat(e.get("cs-uri-stem").asText()).isEqualTo("/owa/auth/x.aspx");
    assertThat(e.get("cs-uri-query").asText()).isEqualTo("a=1&b=~1");
    assertThat(e.get("cs(User-Agent)").asText()).isEqualTo("Mozilla/5.0 (Windows NT)");
    assertThat(e.get("cs-user-agent").asText()).isEqualTo("Mozilla/5.0 (Windows NT)");
    assertThat(e.has("cs-username")).isFalse();
    assertThat(e.has("cs(Referer)")).isFalse();
    assertThat(e.get("sc-status").asInt()).isEqualTo(200);
    assertThat(e.at("/@timestamp").asText()).isEqualTo("2024-03-01T10:11:12Z");
    assertThat(e.at("/source/ip").asText()).isEqualTo("203.0.113.9");
    assertThat(e.at("/url/path").asText()).isEqualTo("/owa/auth/x.aspx");
    assertThat(e.at("/http/request/method").asText()).isEqualTo("GET");
    assertThat(e.at("/observer/product").asText()).contains("Internet Information Services");
    // the second #Fields holds for the lines after it; the date comes from #Date
    JsonNode f = d.events.get(1);
    assertThat(f.get("cs-method").asText()).isEqualTo("POST");
    assertThat(f.at("/@timestamp").asText()).isEqualTo("2024-03-01T10:11:13Z");
    assertThat(d.lines).containsExactly(5L, 7L);
  }

  @Test
  void wrongValueCount_orNoFieldsYet_areProblems() {
    Decoded d =
        Decoded.run(new W3cDecoder(), "a b c\n#Fields: c-ip cs-method\n1.1.1.1\n1.1.1.1 GET\n");

    assertThat(d.events).hasSize(1);
    assertThat(d.problems).hasSize(2);
    assertThat(d.problems.get(0)).contains("before any #Fields");
    assertThat(d.problems.get(1)).contains("1 values where #Fields names 2");
  }
}
