package io.vigil.ingest.text;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/** Runs a decoder over lines and keeps its events (parsed) and problems, for tests. */
final class Decoded implements TextDecoder.Output {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  final List<JsonNode> events = new ArrayList<>();
  final List<Long> lines = new ArrayList<>();
  final List<String> problems = new ArrayList<>();

  static Decoded run(TextDecoder decoder, String text) {
    Decoded d = new Decoded();
    long n = 0;
    for (String line : text.split("\n", -1)) {
      n++;
      if (line.isBlank()) {
        continue;
      }
      try {
        decoder.line(line, n, d);
      } catch (BadLineException e) {
        d.problem(n, e.getMessage());
      }
    }
    decoder.end(d);
    return d;
  }

  @Override
  public void event(String json, long line) {
    try {
      events.add(MAPPER.readTree(json));
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new UncheckedIOException("decoder wrote malformed JSON: " + json, e);
    }
    lines.add(line);
  }

  @Override
  public void problem(long line, String message) {
    problems.add(line + ": " + message);
  }
}
