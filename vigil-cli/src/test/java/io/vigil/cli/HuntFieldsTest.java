package io.vigil.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.event.Event;
import io.vigil.event.FieldSchema;
import io.vigil.event.JsonEventParser;
import java.util.List;
import org.junit.jupiter.api.Test;

class HuntFieldsTest {
  private static final JsonEventParser PARSER =
      new JsonEventParser(FieldSchema.of(List.of("EventID")));

  @Test
  void timestamp_eachKnownShape_isoText() {
    assertThat(ts("{\"@timestamp\":\"2020-01-02T03:04:05.678Z\"}"))
        .isEqualTo("2020-01-02T03:04:05.678Z");
    assertThat(ts("{\"TimeCreated\":\"2020-10-18 07:50:06.220\"}"))
        .isEqualTo("2020-10-18T07:50:06.220");
    assertThat(
            ts(
                "{\"Event\":{\"System\":{\"TimeCreated\":{\"#attributes\":"
                    + "{\"SystemTime\":\"2019-03-19T23:34:27.123456Z\"}}}}}"))
        .isEqualTo("2019-03-19T23:34:27.123456Z");
    assertThat(ts("{\"UtcTime\":\"2021-05-01 10:00:00.000\"}"))
        .isEqualTo("2021-05-01T10:00:00.000");
    assertThat(ts("{\"eventTime\":\"2023-07-10T12:00:00Z\"}")).isEqualTo("2023-07-10T12:00:00Z");
    assertThat(ts("{\"ts\":1521911721.5}")).isEqualTo("2018-03-24T17:15:21.500Z");
    assertThat(ts("{\"timestamp\":1521911721500}")).isEqualTo("2018-03-24T17:15:21.500Z");
    assertThat(ts("{\"EventID\":1}")).isNull();
  }

  @Test
  void detail_processAccessAndRegistry_combinedIntoOneLine() {
    assertThat(
            HuntFields.detail(
                event(
                    "{\"SourceImage\":\"a.exe\",\"TargetImage\":\"lsass.exe\","
                        + "\"GrantedAccess\":\"0x1010\"}")))
        .isEqualTo("a.exe -> lsass.exe (0x1010)");
    assertThat(
            HuntFields.detail(event("{\"TargetObject\":\"HKLM\\\\Run\\\\x\",\"Details\":\"c\"}")))
        .isEqualTo("HKLM\\Run\\x = c");
    assertThat(
            HuntFields.detail(event("{\"Event\":{\"EventData\":{\"CommandLine\":\"a\\r\\nb\"}}}")))
        .isEqualTo("a b");
  }

  @Test
  void host_winlogbeatShape_found() {
    assertThat(HuntFields.host(event("{\"winlog\":{\"computer_name\":\"dc1\"}}"))).isEqualTo("dc1");
    assertThat(HuntFields.host(event("{\"EventID\":1}"))).isEmpty();
  }

  private static String ts(String json) {
    return HuntFields.timestamp(event(json));
  }

  private static Event event(String json) {
    return PARSER.parse(json, "t", 1);
  }
}
