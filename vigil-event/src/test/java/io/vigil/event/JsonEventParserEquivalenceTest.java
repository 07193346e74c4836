package io.vigil.event;

import static io.vigil.event.EventAssert.assertSameEvent;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.vigil.testing.SharedData;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.junit.jupiter.api.Test;

/**
 * Every JSON event of the shared Windows datasets (OTRF recordings, SigmaHQ regression samples,
 * benign exports) and the JSON network logs parses to the same event through the byte path as
 * through the text path, with schemas that ask for every field, for every other field (so that the
 * rest is skipped), and for fields in other case.
 */
class JsonEventParserEquivalenceTest {
  @Test
  void parseBytes_everySharedJsonEvent_equalsTheTextPath() throws IOException {
    Path datasets = SharedData.require("datasets");
    List<byte[]> events = new ArrayList<>();
    for (Path zip : list(datasets.resolve("windows/otrf-mordor"), ".zip")) {
      try (ZipInputStream in = new ZipInputStream(Files.newInputStream(zip))) {
        for (ZipEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
          lines(in.readAllBytes(), events);
        }
      }
    }
    int otrf = events.size();
    for (Path file : list(datasets.resolve("windows/benign-json"), ".jsonl")) {
      lines(Files.readAllBytes(file), events);
    }
    for (Path file : list(datasets.resolve("network/suricata-eve-alerts"), ".json")) {
      pretty(Files.readAllBytes(file), events); // JSON arrays
    }
    int regression = 0;
    try (Stream<Path> walk = Files.walk(datasets.resolve("windows/sigma-regression"))) {
      for (Path file : walk.filter(p -> p.toString().endsWith(".json")).sorted().toList()) {
        regression += pretty(Files.readAllBytes(file), events);
      }
    }
    assertThat(otrf).isGreaterThan(20_000);
    assertThat(regression).isGreaterThan(100);

    Set<String> paths = new LinkedHashSet<>();
    JsonEventParser probe = new JsonEventParser(FieldSchema.of(List.of("x")));
    for (byte[] b : events) {
      paths.addAll(probe.parse(new String(b, StandardCharsets.UTF_8), "probe", 1).all().keySet());
    }
    List<String> every = new ArrayList<>(paths);
    List<String> half = new ArrayList<>();
    List<String> upper = new ArrayList<>();
    for (int i = 0; i < every.size(); i++) {
      if (i % 2 == 0) {
        half.add(every.get(i));
      } else {
        upper.add(every.get(i).toUpperCase(Locale.ROOT));
      }
    }
    // parents of nested paths too, so that objects on wanted paths are met
    upper.addAll(List.of("Event", "Event.System", "Event.EventData", "alert", "Records"));
    for (List<String> schemaPaths : List.of(every, half, upper)) {
      JsonEventParser parser = new JsonEventParser(FieldSchema.of(schemaPaths));
      for (int i = 0; i < events.size(); i++) {
        byte[] b = events.get(i);
        Event fromText = parser.parse(new String(b, StandardCharsets.UTF_8), "data", i + 1);
        Event fromBytes = parser.parse(b, 0, b.length, "data", i + 1);
        assertSameEvent(fromBytes, fromText, "event " + (i + 1));
      }
    }
  }

  private static List<Path> list(Path dir, String suffix) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.filter(p -> p.toString().endsWith(suffix)).sorted().toList();
    }
  }

  /** Each object of pretty-printed JSON: objects one after another, or in arrays. */
  private static int pretty(byte[] data, List<byte[]> out) throws IOException {
    JsonFactory json = new JsonFactory();
    int n = 0;
    try (JsonParser p = json.createParser(data)) {
      for (JsonToken t = p.nextToken(); t != null; t = p.nextToken()) {
        if (t == JsonToken.START_OBJECT) {
          out.add(copy(json, p));
          n++;
        } else if (t == JsonToken.START_ARRAY) {
          while (p.nextToken() == JsonToken.START_OBJECT) {
            out.add(copy(json, p));
            n++;
          }
        }
      }
    }
    return n;
  }

  private static byte[] copy(JsonFactory json, JsonParser p) throws IOException {
    StringWriter text = new StringWriter();
    try (JsonGenerator g = json.createGenerator(text)) {
      g.useDefaultPrettyPrinter();
      g.copyCurrentStructure(p);
    }
    return text.toString().getBytes(StandardCharsets.UTF_8);
  }

  private static void lines(byte[] data, List<byte[]> out) {
    int start = 0;
    for (int i = 0; i <= data.length; i++) {
      if (i == data.length || data[i] == '\n') {
        int end = i > start && data[i - 1] == '\r' ? i - 1 : i;
        if (end > start) {
          out.add(java.util.Arrays.copyOfRange(data, start, end));
        }
        start = i + 1;
      }
    }
  }
}
