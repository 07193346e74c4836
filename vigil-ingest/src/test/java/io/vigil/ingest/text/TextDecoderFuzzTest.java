package io.vigil.ingest.text;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vigil.testing.SharedData;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.function.Supplier;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;

/**
 * Property: whatever a text log's bytes become (bit flips, truncation, bytes inserted or deleted,
 * lines shuffled), a decoder only ever reports {@link BadLineException}s, every event it gives is
 * one well-formed JSON object, and format detection answers without failing. Seeded: a failure
 * names the seed to replay.
 */
class TextDecoderFuzzTest {
  private static final int CASES_PER_SAMPLE = Integer.getInteger("fuzz.cases", 150);
  private static final int SAMPLE_LINES = 120;
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final byte[] SPICE =
      " \"'[]<>|=\\:.-#\t\n\r0x9Ff\u00e9\0\u001d".getBytes(StandardCharsets.UTF_8);

  static final String CEF =
      "CEF:0|Sec|fw|1.0|100|worm stopped|10|src=10.0.0.1 dst=2.1.2.2 spt=1232 msg=a\\=b c\n"
          + "<134>Feb 10 12:00:00 fw01 CEF:0|Ven\\|d|P|1|sig|Name|5|suser=al ice rt=1700000000000\n"
          + "CEF:1|V|P|1|1|Just a name|Low|\n";
  static final String RFC5424 =
      "<165>1 2003-10-11T22:14:15.003Z mymachine evntslog - ID47 [ex@32473 iut=\"3\""
          + " eventSource=\"App\\\"li\\]ca\\\\tion\"][p@1 class=\"high\"] \uFEFFAn event\n"
          + "<14>1 - - - - - -\n"
          + "<13>1 2024-01-01T00:00:00+01:00 h app 1 - - CEF:0|V|P|1|2|n|3|src=1.1.1.1\n"
          + "2024-01-01T10:00:00.5Z host app[1]: iso line\n"
          + "172.16.5.10 6705: Feb 17 13:40:03.673: %PARSER-5-CFGLOG_LOGGEDCMD: User:admin x\n"
          + "<189>*Mar  1 18:46:11 UTC: %SYS-5-CONFIG_I: Configured from console\n";

  @Test
  void sharedSyslog_mutated_onlyBadLines() throws IOException {
    fuzz(
        "OpenSSH_2k.log",
        head(Files.readAllBytes(SharedData.require("datasets/linux/loghub/OpenSSH_2k.log"))),
        () -> new SyslogDecoder(Instant.parse("2026-01-01T00:00:00Z")));
  }

  @Test
  void sharedAuditd_mutated_onlyBadLines() throws IOException {
    Path zip = SharedData.require("datasets/linux/otrf/sh_arp_cache.zip");
    byte[] data;
    try (ZipFile z = new ZipFile(zip.toFile());
        InputStream in = z.getInputStream(z.entries().nextElement())) {
      data = in.readAllBytes();
    }
    fuzz("sh_arp_cache", data, AuditdDecoder::new);
  }

  @Test
  void sharedAccessLogs_mutated_onlyBadLines() throws IOException {
    fuzz(
        "netsparker.txt",
        head(Files.readAllBytes(SharedData.require("datasets/web/ocatak-scanners/netsparker.txt"))),
        AccessLogDecoder::new);
    fuzz(
        "tomcat",
        head(
            Files.readAllBytes(
                SharedData.require(
                    "datasets/web/sbousseaden/tomcat_manager_webshell_access_log.txt"))),
        AccessLogDecoder::new);
  }

  @Test
  void ownSamples_cef5424W3cZeek_mutated_onlyBadLines() {
    Instant ref = Instant.parse("2026-01-01T00:00:00Z");
    fuzz("cef", bytes(CEF), () -> new SyslogDecoder(ref));
    fuzz("rfc5424", bytes(RFC5424), () -> new SyslogDecoder(ref));
    fuzz("w3c", bytes(W3cDecoderTest.IIS), W3cDecoder::new);
    fuzz("zeek-tsv", bytes(ZeekTsvDecoderTest.CONN), ZeekTsvDecoder::new);
  }

  private static void fuzz(String name, byte[] sample, Supplier<TextDecoder> decoders) {
    // the unmutated sample reads cleanly: the property is not met by rejecting everything
    Result clean = run(sample, decoders.get(), name + " clean");
    assertThat(clean.events).as(name).isPositive();
    int events = 0;
    int problems = 0;
    for (int c = 0; c < CASES_PER_SAMPLE; c++) {
      Random random = new Random(c * 31L + name.hashCode());
      byte[] input = mutate(sample, random);
      Result r = run(input, decoders.get(), name + " seed " + c);
      events += r.events;
      problems += r.problems;
    }
    assertThat(events).as(name + ": mutated inputs still give events").isPositive();
    assertThat(problems).as(name + ": mutations are noticed").isPositive();
  }

  private record Result(int events, int problems) {}

  private static Result run(byte[] input, TextDecoder decoder, String label) {
    int[] counts = new int[2];
    TextDecoder.Output out =
        new TextDecoder.Output() {
          @Override
          public void event(String json, long line) {
            try {
              JsonNode node = MAPPER.readTree(json);
              if (!node.isObject()) {
                throw new AssertionError(label + ": not an object: " + json);
              }
            } catch (IOException e) {
              throw new AssertionError(label + ": malformed JSON: " + json, e);
            }
            counts[0]++;
          }

          @Override
          public void problem(long line, String message) {
            counts[1]++;
          }
        };
    String text = new String(input, StandardCharsets.UTF_8);
    List<String> lines = Arrays.asList(text.split("\r?\n", -1));
    try {
      TextFormats.detect(lines);
      long n = 0;
      for (String line : lines) {
        n++;
        if (line.isBlank()) {
          continue;
        }
        try {
          decoder.line(line, n, out);
        } catch (BadLineException e) {
          assertThat(e.getMessage()).as(label).isNotBlank();
          counts[1]++;
        }
      }
      decoder.end(out);
    } catch (RuntimeException e) {
      throw new AssertionError(label + ": " + e, e);
    }
    return new Result(counts[0], counts[1]);
  }

  private static byte[] mutate(byte[] seed, Random random) {
    byte[] b = seed.clone();
    int kind = random.nextInt(6);
    switch (kind) {
      case 0 -> { // bit flips
        int flips = 1 + random.nextInt(12);
        for (int i = 0; i < flips; i++) {
          int at = random.nextInt(b.length);
          b[at] ^= (byte) (1 << random.nextInt(8));
        }
      }
      case 1 -> b = Arrays.copyOf(b, random.nextInt(b.length)); // truncation
      case 2 -> { // insertions
        int n = 1 + random.nextInt(20);
        for (int i = 0; i < n; i++) {
          int at = random.nextInt(b.length + 1);
          byte[] grown = new byte[b.length + 1];
          System.arraycopy(b, 0, grown, 0, at);
          grown[at] =
              random.nextBoolean() ? SPICE[random.nextInt(SPICE.length)] : (byte) random.nextInt();
          System.arraycopy(b, at, grown, at + 1, b.length - at);
          b = grown;
        }
      }
      case 3 -> { // deletions
        int n = 1 + random.nextInt(20);
        for (int i = 0; i < n && b.length > 1; i++) {
          int at = random.nextInt(b.length);
          byte[] shrunk = new byte[b.length - 1];
          System.arraycopy(b, 0, shrunk, 0, at);
          System.arraycopy(b, at + 1, shrunk, at, b.length - at - 1);
          b = shrunk;
        }
      }
      case 4 -> { // line shuffle
        List<String> lines =
            new ArrayList<>(
                Arrays.asList(new String(b, StandardCharsets.ISO_8859_1).split("\n", -1)));
        Collections.shuffle(lines, random);
        b = String.join("\n", lines).getBytes(StandardCharsets.ISO_8859_1);
      }
      default -> { // a run of random bytes over the middle
        int at = random.nextInt(b.length);
        int len = Math.min(b.length - at, 1 + random.nextInt(64));
        for (int i = 0; i < len; i++) {
          b[at + i] = (byte) random.nextInt();
        }
      }
    }
    return b;
  }

  private static byte[] head(byte[] data) {
    int lines = 0;
    for (int i = 0; i < data.length; i++) {
      if (data[i] == '\n' && ++lines == SAMPLE_LINES) {
        return Arrays.copyOf(data, i + 1);
      }
    }
    return data;
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
