package io.vigil.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vigil.event.EventParseException;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class SyslogTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final Instant RECEIVED = Instant.parse("2026-01-03T10:00:00Z");

  @Test
  void toJson_rfc3164_takesReceivedYear_andRecordsPeer() throws Exception {
    JsonNode e =
        MAPPER.readTree(
            Syslog.toJson("<38>Jan  3 09:59:58 web1 sshd[7]: Accepted\n", RECEIVED, "10.1.1.1"));

    assertThat(e.at("/@timestamp").asText()).isEqualTo("2026-01-03T09:59:58Z");
    assertThat(e.at("/event/created").asText()).isEqualTo("2026-01-03T10:00:00Z");
    assertThat(e.at("/log/source/address").asText()).isEqualTo("10.1.1.1");
    assertThat(e.at("/message").asText()).isEqualTo("Accepted");
    assertThat(e.at("/event/original").asText()).doesNotEndWith("\n");
  }

  @Test
  void toJson_decemberMessageReceivedInJanuary_isLastYear() throws Exception {
    JsonNode e = MAPPER.readTree(Syslog.toJson("<38>Dec 31 23:59:59 h a: m", RECEIVED, null));

    assertThat(e.at("/@timestamp").asText()).isEqualTo("2025-12-31T23:59:59Z");
  }

  @Test
  void toJson_priWithoutTimestamp_getsReceivedTime() throws Exception {
    JsonNode e = MAPPER.readTree(Syslog.toJson("<13>just a message", RECEIVED, null));

    assertThat(e.at("/@timestamp").asText()).isEqualTo("2026-01-03T10:00:00Z");
    assertThat(e.at("/message").asText()).isEqualTo("just a message");
  }

  @Test
  void toJson_rfc5424_andCefPayload() throws Exception {
    JsonNode e =
        MAPPER.readTree(
            Syslog.toJson(
                "<134>1 2026-01-03T09:00:00Z fw app - - - CEF:0|V|P|1|9|Blocked|8|src=1.2.3.4",
                RECEIVED,
                null));

    assertThat(e.at("/@timestamp").asText()).isEqualTo("2026-01-03T09:00:00Z");
    assertThat(e.at("/source/ip").asText()).isEqualTo("1.2.3.4");
    assertThat(e.at("/cef/name").asText()).isEqualTo("Blocked");
  }

  @Test
  void toJson_garbage_isAnEventParseExceptionNamingThePeer() {
    assertThatThrownBy(() -> Syslog.toJson("\u0000\u0001binary", RECEIVED, "10.9.9.9"))
        .isInstanceOf(EventParseException.class)
        .hasMessageContaining("10.9.9.9")
        .hasMessageContaining("not a syslog line");
  }
}
