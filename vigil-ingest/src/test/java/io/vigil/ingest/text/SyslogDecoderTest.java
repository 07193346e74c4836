package io.vigil.ingest.text;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SyslogDecoderTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final Instant REF = Instant.parse("2026-03-01T00:00:00Z");

  static JsonNode decode(TextDecoder decoder, String line) throws Exception {
    List<String> events = new ArrayList<>();
    decoder.line(
        line,
        1,
        new TextDecoder.Output() {
          @Override
          public void event(String json, long number) {
            events.add(json);
          }

          @Override
          public void problem(long number, String message) {
            throw new AssertionError(message);
          }
        });
    decoder.end(null);
    assertThat(events).hasSize(1);
    return MAPPER.readTree(events.get(0));
  }

  private static JsonNode decode(String line) throws Exception {
    return decode(new SyslogDecoder(REF), line);
  }

  @Test
  void rfc3164_withoutPri_fileLine_yearFromReference_decemberGoesToYearBefore() throws Exception {
    JsonNode e = decode("Dec 10 06:55:46 LabSZ sshd[24200]: Invalid user webmaster from 1.2.3.4");

    assertThat(e.at("/@timestamp").asText()).isEqualTo("2025-12-10T06:55:46Z");
    assertThat(e.at("/host/name").asText()).isEqualTo("LabSZ");
    assertThat(e.at("/process/name").asText()).isEqualTo("sshd");
    assertThat(e.at("/process/pid").asLong()).isEqualTo(24200);
    assertThat(e.at("/log/syslog/appname").asText()).isEqualTo("sshd");
    assertThat(e.at("/message").asText()).isEqualTo("Invalid user webmaster from 1.2.3.4");
    assertThat(e.at("/event/original").asText()).startsWith("Dec 10 06:55:46 LabSZ");
    assertThat(e.at("/log/syslog/priority").isMissingNode()).isTrue();
  }

  @Test
  void rfc3164_withPri_spacePaddedDay_sameYear_tagWithoutPid() throws Exception {
    JsonNode e = decode("<34>Feb  5 22:14:15 mymachine su: 'su root' failed for lonvick");

    assertThat(e.at("/@timestamp").asText()).isEqualTo("2026-02-05T22:14:15Z");
    assertThat(e.at("/log/syslog/facility/code").asInt()).isEqualTo(4);
    assertThat(e.at("/log/syslog/severity/code").asInt()).isEqualTo(2);
    assertThat(e.at("/process/name").asText()).isEqualTo("su");
    assertThat(e.at("/process/pid").isMissingNode()).isTrue();
    assertThat(e.at("/message").asText()).isEqualTo("'su root' failed for lonvick");
  }

  @Test
  void rfc3164_noHost_tagRightAfterTimestamp() throws Exception {
    JsonNode e = decode("<13>Jan  1 00:00:00 kernel: boot");

    assertThat(e.at("/host/name").isMissingNode()).isTrue();
    assertThat(e.at("/process/name").asText()).isEqualTo("kernel");
    assertThat(e.at("/message").asText()).isEqualTo("boot");
  }

  @Test
  void isoTimestampLines_asRsyslogWritesThem() throws Exception {
    JsonNode e = decode("2024-01-01T10:00:00.123456+02:00 host app[1]: msg here");

    assertThat(e.at("/@timestamp").asText()).isEqualTo("2024-01-01T08:00:00.123456Z");
    assertThat(e.at("/host/name").asText()).isEqualTo("host");
    assertThat(e.at("/process/pid").asInt()).isEqualTo(1);
    assertThat(e.at("/message").asText()).isEqualTo("msg here");
  }

  @Test
  void rfc5424_structuredDataWithEscapes_nilValues_andBom() throws Exception {
    JsonNode e =
        decode(
            "<165>1 2003-10-11T22:14:15.003Z mymachine.example.com evntslog - ID47"
                + " [exampleSDID@32473 iut=\"3\" eventSource=\"App\\\"li\\]ca\\\\tion\"]"
                + "[examplePriority@32473 class=\"high\"] \uFEFFAn application event");

    assertThat(e.at("/@timestamp").asText()).isEqualTo("2003-10-11T22:14:15.003Z");
    assertThat(e.at("/log/syslog/hostname").asText()).isEqualTo("mymachine.example.com");
    assertThat(e.at("/log/syslog/appname").asText()).isEqualTo("evntslog");
    assertThat(e.at("/log/syslog/procid").isMissingNode()).isTrue();
    assertThat(e.at("/log/syslog/msgid").asText()).isEqualTo("ID47");
    assertThat(e.at("/log/syslog/structured_data/exampleSDID@32473/eventSource").asText())
        .isEqualTo("App\"li]ca\\tion");
    assertThat(e.at("/log/syslog/structured_data/examplePriority@32473/class").asText())
        .isEqualTo("high");
    assertThat(e.at("/message").asText()).isEqualTo("An application event");
    assertThat(e.at("/log/syslog/facility/code").asInt()).isEqualTo(20);
    assertThat(e.at("/log/syslog/severity/code").asInt()).isEqualTo(5);
  }

  @Test
  void rfc5424_allNil_noMessage() throws Exception {
    JsonNode e = decode("<14>1 - - - - - -");

    assertThat(e.at("/@timestamp").isMissingNode()).isTrue();
    assertThat(e.at("/message").isMissingNode()).isTrue();
    assertThat(e.at("/log/syslog/version").asText()).isEqualTo("1");
  }

  @Test
  void rfc5424_unclosedStructuredData_isABadLine() {
    assertThatThrownBy(() -> decode("<14>1 - host app 12 - [id a=\"open"))
        .isInstanceOf(BadLineException.class)
        .hasMessageContaining("not closed");
  }

  @Test
  void garbage_isABadLineThatSaysWhatWasExpected() {
    assertThatThrownBy(() -> decode("hello world"))
        .isInstanceOf(BadLineException.class)
        .hasMessageContaining("not a syslog line")
        .hasMessageContaining("hello world");
    assertThatThrownBy(() -> decode("<999>Dec 10 06:55:46 h a: m"))
        .isInstanceOf(BadLineException.class)
        .hasMessageContaining("<0> to <191>");
  }

  @Test
  void ciscoIos_hostSequenceMillisecondTimestamp_messageFromThePercent() throws Exception {
    JsonNode e =
        decode(
            "172.16.5.10 6705: Feb 17 13:40:03.673: %PARSER-5-CFGLOG_LOGGEDCMD: User:admin "
                + " logged command:no access-session port-control");

    assertThat(e.at("/@timestamp").asText()).isEqualTo("2026-02-17T13:40:03.673Z");
    assertThat(e.at("/host/name").asText()).isEqualTo("172.16.5.10");
    assertThat(e.at("/cisco/ios/sequence").asInt()).isEqualTo(6705);
    assertThat(e.at("/event/code").asText()).isEqualTo("PARSER-5-CFGLOG_LOGGEDCMD");
    assertThat(e.at("/message").asText())
        .startsWith("%PARSER-5-CFGLOG_LOGGEDCMD: User:admin")
        .endsWith("no access-session port-control");

    JsonNode bare = decode("<189>*Mar  1 18:46:11: %SYS-5-CONFIG_I: Configured from console");
    assertThat(bare.at("/log/syslog/severity/code").asInt()).isEqualTo(5);
    assertThat(bare.at("/event/code").asText()).isEqualTo("SYS-5-CONFIG_I");
    assertThat(bare.at("/host/name").isMissingNode()).isTrue();
  }

  @Test
  void ciscoLookalikeWithoutPercentMessage_isNotSyslog() {
    assertThatThrownBy(() -> decode("host 12: Feb 17 13:40:03: no mnemonic here"))
        .isInstanceOf(BadLineException.class);
  }

  @Test
  void cefAsSyslogMessage_isReadAsCef() throws Exception {
    JsonNode e =
        decode(
            "<134>Feb 10 12:00:00 fw01 CEF:0|Security|threatmanager|1.0|100|worm"
                + " stopped|10|src=10.0.0.1 dst=2.1.2.2 spt=1232");

    assertThat(e.at("/host/name").asText()).isEqualTo("fw01");
    assertThat(e.at("/src").asText()).isEqualTo("10.0.0.1");
    assertThat(e.at("/source/ip").asText()).isEqualTo("10.0.0.1");
    assertThat(e.at("/source/port").asInt()).isEqualTo(1232);
    assertThat(e.at("/cef/name").asText()).isEqualTo("worm stopped");
    assertThat(e.at("/observer/vendor").asText()).isEqualTo("Security");
    assertThat(e.at("/event/module").asText()).isEqualTo("cef");
  }
}
