package io.vigil.ingest.evtx;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vigil.event.Event;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * Test helper: reads exported JSON (evtx_dump's concatenated objects, or JSON lines) and flattens
 * JSON trees and events into comparable maps of lower-case dotted path to typed values ({@code
 * n:4688}, {@code s:text}, {@code b:true}, {@code null}).
 */
final class EvtxJson {
  static final ObjectMapper MAPPER = new ObjectMapper();

  private EvtxJson() {}

  /** Every JSON object in a file of concatenated or line-separated objects. */
  static List<JsonNode> readAll(Path file) throws IOException {
    List<JsonNode> out = new ArrayList<>();
    try (MappingIterator<JsonNode> it =
        MAPPER.readerFor(JsonNode.class).readValues(file.toFile())) {
      while (it.hasNext()) {
        out.add(it.next());
      }
    }
    return out;
  }

  static Map<String, List<String>> flatten(JsonNode node) {
    return flatten(node, UnaryOperator.identity());
  }

  /** Flattens a tree; {@code normalize} rewrites each typed leaf (for documented differences). */
  static Map<String, List<String>> flatten(JsonNode node, UnaryOperator<String> normalize) {
    Map<String, List<String>> out = new LinkedHashMap<>();
    walk(node, "", out, normalize);
    return out;
  }

  private static void walk(
      JsonNode node, String path, Map<String, List<String>> out, UnaryOperator<String> normalize) {
    if (node.isObject()) {
      if (node.isEmpty() && !path.isEmpty()) {
        add(out, path, "null", normalize);
      }
      node.properties()
          .forEach(
              e ->
                  walk(
                      e.getValue(),
                      path.isEmpty() ? e.getKey() : path + "." + e.getKey(),
                      out,
                      normalize));
    } else if (node.isArray()) {
      for (JsonNode item : node) {
        walk(item, path, out, normalize);
      }
    } else {
      add(out, path, typed(node), normalize);
    }
  }

  private static void add(
      Map<String, List<String>> out, String path, String value, UnaryOperator<String> normalize) {
    String v = normalize.apply(path.toLowerCase(Locale.ROOT) + "=" + value);
    if (v == null) {
      return;
    }
    int eq = v.indexOf('=');
    out.computeIfAbsent(v.substring(0, eq), k -> new ArrayList<>()).add(v.substring(eq + 1));
  }

  static String typed(JsonNode node) {
    if (node.isNull()) {
      return "null";
    }
    if (node.isBoolean()) {
      return "b:" + node.booleanValue();
    }
    if (node.isIntegralNumber()) {
      return "n:" + node.bigIntegerValue();
    }
    if (node.isNumber()) {
      return "n:" + node.doubleValue();
    }
    return "s:" + node.asText();
  }

  /** The event's fields (every leaf, not only the schema's) in the same form. */
  static Map<String, List<String>> flatten(Event event) {
    Map<String, List<String>> out = new LinkedHashMap<>();
    event
        .all()
        .forEach(
            (k, v) -> {
              List<String> values = new ArrayList<>();
              if (v instanceof List<?> list) {
                list.forEach(item -> values.add(typed(item)));
              } else {
                values.add(typed(v));
              }
              out.put(k, values);
            });
    return out;
  }

  private static String typed(Object v) {
    if (v == Event.NULL) {
      return "null";
    }
    return switch (v) {
      case Long l -> "n:" + l;
      case Double d -> "n:" + d;
      case Boolean b -> "b:" + b;
      default -> "s:" + v;
    };
  }
}
