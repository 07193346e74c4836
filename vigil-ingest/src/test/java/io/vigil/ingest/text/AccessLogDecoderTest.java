package io.vigil.ingest.text;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

class AccessLogDecoderTest {
  private static JsonNode one(String line) {
    Decoded d = Decoded.run(new AccessLogDecoder(), line);
    assertThat(d.problems).isEmpty();
    assertThat(d.events).hasSize(1);
    return d.events.get(0);
  }

  @Test
  void combined_sigmaFieldNamesAndEcs() {
    JsonNode e =
        one(
            "10.1.2.3 - bob [10/Oct/2000:13:55:36 -0700] \"GET /a/b.php?id=1' HTTP/1.1\" 200 2326"
                + " \"http://ref/\" \"Mozilla/5.0 (X11)\"");

    assertThat(e.get("c-ip").asText()).isEqualTo("10.1.2.3");
    assertThat(e.get("cs-username").asText()).isEqualTo("bob");
    assertThat(e.get("cs-method").asText()).isEqualTo("GET");
    assertThat(e.get("cs-uri-stem").asText()).isEqualTo("/a/b.php");
    assertThat(e.get("cs-uri-query").asText()).isEqualTo("/a/b.php?id=1'");
    assertThat(e.get("c-uri-extension").asText()).isEqualTo("php");
    assertThat(e.get("sc-status").asInt()).isEqualTo(200);
    assertThat(e.get("sc-bytes").asLong()).isEqualTo(2326);
    assertThat(e.get("cs-referer").asText()).isEqualTo("http://ref/");
    assertThat(e.get("cs-user-agent").asText()).isEqualTo("Mozilla/5.0 (X11)");
    assertThat(e.get("c-useragent").asText()).isEqualTo("Mozilla/5.0 (X11)");
    assertThat(e.at("/@timestamp").asText()).isEqualTo("2000-10-10T20:55:36Z");
    assertThat(e.at("/source/ip").asText()).isEqualTo("10.1.2.3");
    assertThat(e.at("/user/name").asText()).isEqualTo("bob");
    assertThat(e.at("/url/path").asText()).isEqualTo("/a/b.php");
    assertThat(e.at("/url/query").asText()).isEqualTo("id=1'");
    assertThat(e.at("/http/version").asText()).isEqualTo("1.1");
    assertThat(e.at("/http/response/status_code").asInt()).isEqualTo(200);
    assertThat(e.at("/user_agent/original").asText()).isEqualTo("Mozilla/5.0 (X11)");
  }

  @Test
  void common_tomcatDashBytes_noReferer() {
    JsonNode e =
        one("192.168.105.83 - - [11/Jul/2018:08:41:28 +0300] \"GET /manager HTTP/1.1\" 302 -");

    assertThat(e.get("sc-status").asInt()).isEqualTo(302);
    assertThat(e.has("sc-bytes")).isFalse();
    assertThat(e.has("cs-username")).isFalse();
    assertThat(e.has("cs-referer")).isFalse();
  }

  @Test
  void wholeLineInQuotes_andEscapedQuotesInRequestAndAgent() {
    JsonNode e =
        one(
            "\"1.2.3.4 - - [22/Dec/2016:15:19:05 +0300] \"GET /x?q=\\\"a\\\" HTTP/1.1\" 404 139"
                + " \"-\" \"w3af.org \\\"x\\\"\"\"");

    assertThat(e.get("cs-uri-query").asText()).isEqualTo("/x?q=\"a\"");
    assertThat(e.get("c-useragent").asText()).isEqualTo("w3af.org \"x\"");
    assertThat(e.get("sc-status").asInt()).isEqualTo(404);
  }

  @Test
  void malformedRequestLine_keptAsRequest_noMethod() {
    JsonNode e =
        one(
            "1.2.3.4 - - [22/Dec/2016:15:19:05 +0300] \"\\x16\\x03\\x01\\x00\" 400 226 \"-\" \"-\"");

    assertThat(e.get("request").asText()).isEqualTo("\\x16\\x03\\x01\\x00");
    assertThat(e.has("cs-method")).isFalse();
    assertThat(e.get("sc-status").asInt()).isEqualTo(400);
    assertThat(e.has("c-useragent")).isFalse();
  }

  @Test
  void hostNames_nginxExtraFields_ipv6() {
    JsonNode e =
        one(
            "::1 - - [01/Jan/2024:00:00:00 +0000] \"POST /api HTTP/2.0\" 201 5 \"-\" \"curl/8\""
                + " \"-\" rt=0.003");
    assertThat(e.at("/source/ip").asText()).isEqualTo("::1");
    assertThat(e.get("cs-method").asText()).isEqualTo("POST");

    JsonNode h = one("proxy.example - - [01/Jan/2024:00:00:00 +0000] \"GET / HTTP/1.0\" 200 1");
    assertThat(h.at("/source/domain").asText()).isEqualTo("proxy.example");
    assertThat(h.at("/source/ip").isMissingNode()).isTrue();
  }

  @Test
  void vhostCombined_virtualHostFirst() {
    JsonNode e =
        one(
            "www.example.com:443 10.0.0.9 - carol [01/Jan/2024:00:00:00 +0000] \"GET /x HTTP/1.1\""
                + " 200 12 \"-\" \"ua\"");

    assertThat(e.get("c-ip").asText()).isEqualTo("10.0.0.9");
    assertThat(e.get("cs-username").asText()).isEqualTo("carol");
    assertThat(e.get("cs-host").asText()).isEqualTo("www.example.com");
    assertThat(e.at("/destination/port").asInt()).isEqualTo(443);
    assertThat(e.at("/source/ip").asText()).isEqualTo("10.0.0.9");
  }

  @Test
  void notAccessLogLines_problemsSayWhatWasExpected() {
    Decoded d =
        Decoded.run(
            new AccessLogDecoder(),
            "1.2.3.4 - - 10/Oct/2000 \"GET / HTTP/1.0\" 200 1\n"
                + "1.2.3.4 - - [10/Oct/2000:13:55:36 -0700] \"GET / HTTP/1.0\" abc 1\n"
                + "1.2.3.4 - - [99/Foo/2000:13:55:36 -0700] \"GET / HTTP/1.0\" 200 1\n"
                + "1.2.3.4 - - [10/Oct/2000:13:55:36 -0700] \"GET / HTTP/1.0\" 200 1\n");

    assertThat(d.events).hasSize(1);
    assertThat(d.problems).hasSize(3);
    assertThat(d.problems.get(0)).contains("time in brackets");
    assertThat(d.problems.get(1)).contains("status code");
    assertThat(d.problems.get(2)).contains("expected a time");
  }
}
