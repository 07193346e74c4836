package io.vigil.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.event.Event;
import io.vigil.event.FieldSchema;
import io.vigil.event.JsonEventParser;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EventFieldsTest {
  static final FieldSchema RULES = FieldSchema.of(List.of("Image", "EventID", "host.ip"));
  static final FieldSchema SCHEMA = EventFields.withServerFields(RULES);
  static final EventFields FIELDS = new EventFields(SCHEMA);
  static final Instant FALLBACK = Instant.parse("2030-01-01T00:00:00Z");

  private static Event parse(String json) {
    byte[] b = json.getBytes(StandardCharsets.UTF_8);
    return new JsonEventParser(SCHEMA).parse(b, 0, b.length, "test", 1);
  }

  @Test
  void withServerFields_keepsTheRulesSlotsAndAddsTimeAndHost() {
    for (String path : RULES.paths()) {
      assertThat(SCHEMA.slot(path)).as(path).isEqualTo(RULES.slot(path));
    }
    assertThat(SCHEMA.slot("TimeCreated")).isGreaterThanOrEqualTo(RULES.size());
    assertThat(SCHEMA.slot("Event.System.Computer")).isGreaterThanOrEqualTo(RULES.size());
  }

  @Test
  void time_fromIsoStringsWithOrWithoutZoneAndEpochNumbers() {
    assertThat(FIELDS.time(parse("{\"@timestamp\":\"2026-03-14T08:00:01.5Z\"}"), FALLBACK))
        .isEqualTo(Instant.parse("2026-03-14T08:00:01.500Z"));
    assertThat(FIELDS.time(parse("{\"UtcTime\":\"2026-03-14 08:00:02.123\"}"), FALLBACK))
        .isEqualTo(Instant.parse("2026-03-14T08:00:02.123Z"));
    assertThat(FIELDS.time(parse("{\"time\":\"2026-03-14T10:00:03+02:00\"}"), FALLBACK))
        .isEqualTo(Instant.parse("2026-03-14T08:00:03Z"));
    assertThat(FIELDS.time(parse("{\"ts\":1773475204.25}"), FALLBACK))
        .isEqualTo(Instant.parse("2026-03-14T08:00:04.250Z"));
    assertThat(FIELDS.time(parse("{\"timestamp\":1773475205000}"), FALLBACK))
        .isEqualTo(Instant.parse("2026-03-14T08:00:05Z"));
  }

  @Test
  void time_unreadableOrMissing_fallsBackOrTakesTheNextField() {
    assertThat(FIELDS.time(parse("{\"Image\":\"a.exe\"}"), FALLBACK)).isEqualTo(FALLBACK);
    assertThat(FIELDS.time(parse("{\"@timestamp\":\"yesterday\"}"), FALLBACK)).isEqualTo(FALLBACK);
    assertThat(FIELDS.time(parse("{\"@timestamp\":true,\"ts\":\"nonsense\"}"), FALLBACK))
        .isEqualTo(FALLBACK);
    // @timestamp unreadable: TimeCreated (later in the order) is used
    assertThat(
            FIELDS.time(
                parse("{\"TimeCreated\":\"2026-03-14T08:00:06Z\",\"@timestamp\":\"n/a\"}"),
                FALLBACK))
        .isEqualTo(Instant.parse("2026-03-14T08:00:06Z"));
    // nested time fields are not the event's time
    assertThat(FIELDS.time(parse("{\"x\":{\"@timestamp\":\"2026-03-14T08:00:07Z\"}}"), FALLBACK))
        .isEqualTo(FALLBACK);
  }

  @Test
  void host_fromTheUsualFieldsIncludingNestedOnes() {
    assertThat(FIELDS.host(parse("{\"Computer\":\"ws1.corp\",\"Image\":\"a\"}")))
        .isEqualTo("ws1.corp");
    assertThat(FIELDS.host(parse("{\"host\":{\"name\":\"web-2\",\"ip\":\"10.0.0.2\"}}")))
        .isEqualTo("web-2");
    assertThat(FIELDS.host(parse("{\"host.name\":\"web-3\"}"))).isEqualTo("web-3");
    assertThat(FIELDS.host(parse("{\"host\":\"plain-host\"}"))).isEqualTo("plain-host");
    assertThat(FIELDS.host(parse("{\"Event\":{\"System\":{\"Computer\":\"dc01\"}}}")))
        .isEqualTo("dc01");
    assertThat(FIELDS.host(parse("{\"hostname\":42}"))).isNull();
    assertThat(FIELDS.host(parse("{\"Image\":\"a\"}"))).isNull();
  }

  @Test
  void theRulesStillSeeTheirFields() {
    Event e = parse("{\"Image\":\"C:\\\\x.exe\",\"EventID\":1,\"host\":{\"ip\":\"10.1.1.1\"}}");
    assertThat(e.get(RULES.slot("Image"))).isEqualTo("C:\\x.exe");
    assertThat(e.get(RULES.slot("host.ip"))).isEqualTo("10.1.1.1");
  }

  @Test
  void parseTime_commonIsoShapes_readWithoutTheFormatter() {
    Map<String, String> cases = new LinkedHashMap<>();
    cases.put("2026-03-14T08:00:01Z", "2026-03-14T08:00:01Z");
    cases.put("2026-03-14T08:00:01.5Z", "2026-03-14T08:00:01.500Z");
    cases.put("2026-03-14T08:00:01.123456789Z", "2026-03-14T08:00:01.123456789Z");
    cases.put("2026-03-14 08:00:01.123", "2026-03-14T08:00:01.123Z");
    cases.put("2024-02-29T23:59:59-05:30", "2024-03-01T05:29:59Z");
    cases.put("1999-12-31T00:00:00+14:00", "1999-12-30T10:00:00Z");
    cases.put("2026-03-14T08:00:01.000000001z", "2026-03-14T08:00:01.000000001Z");
    cases.forEach(
        (in, want) -> {
          assertThat(EventFields.parseCommonIso(in)).as(in).isEqualTo(Instant.parse(want));
          assertThat(EventFields.parseTime(in)).as(in).isEqualTo(Instant.parse(want));
        });
  }

  @Test
  void parseTime_impossibleOrOtherShapes_areNotMisread() {
    for (String t :
        List.of(
            "2026-02-30T08:00:00Z",
            "2026-13-01T08:00:00Z",
            "2026-03-14T24:00:00Z",
            "2026-03-14T08:00:00.Z",
            "2026-03-14T08:00:00+0200",
            "2026-03-14",
            "Mar 14 08:00:00")) {
      assertThat(EventFields.parseCommonIso(t)).as(t).isNull();
    }
    assertThat(EventFields.parseTime("2026-02-30T08:00:00Z")).isNull();
    // java.time, the fallback, reads ISO offsets with a colon only
    assertThat(EventFields.parseTime("2026-03-14T08:00:00+0200")).isNull();
    assertThat(EventFields.parseTime(" 2026-03-14T08:00:00+02:00 "))
        .isEqualTo(Instant.parse("2026-03-14T06:00:00Z"));
  }
}
