package io.vigil.detect;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/**
 * How to load rules.
 *
 * @param mappingFiles user mapping files (log sources and field names, see docs/SIGMA.md); they
 *     take precedence over the built-in ones
 * @param placeholders values for {@code |expand} placeholders, by name without the percent signs
 * @param includeBuiltinMappings whether the built-in mappings (Windows event logs in the flat, the
 *     {@code Event.System}/{@code Event.EventData} and the Winlogbeat shape) apply
 * @param limits limits on hostile input
 */
public record LoadOptions(
    List<Path> mappingFiles,
    Map<String, List<String>> placeholders,
    boolean includeBuiltinMappings,
    Limits limits) {
  public LoadOptions {
    mappingFiles = List.copyOf(mappingFiles);
    Map<String, List<String>> copy = new LinkedHashMap<>();
    placeholders.forEach((k, v) -> copy.put(k, List.copyOf(v)));
    placeholders = java.util.Collections.unmodifiableMap(copy);
    Objects.requireNonNull(limits, "limits");
  }

  public LoadOptions(
      List<Path> mappingFiles,
      Map<String, List<String>> placeholders,
      boolean includeBuiltinMappings) {
    this(mappingFiles, placeholders, includeBuiltinMappings, Limits.DEFAULT);
  }

  /** Built-in mappings, no user mappings, no placeholder values, default limits. */
  public static LoadOptions defaults() {
    return new LoadOptions(List.of(), Map.of(), true, Limits.DEFAULT);
  }

  public LoadOptions withMappingFiles(List<Path> files) {
    return new LoadOptions(files, placeholders, includeBuiltinMappings, limits);
  }

  public LoadOptions withPlaceholders(Map<String, List<String>> values) {
    return new LoadOptions(mappingFiles, values, includeBuiltinMappings, limits);
  }

  public LoadOptions withIncludeBuiltinMappings(boolean include) {
    return new LoadOptions(mappingFiles, placeholders, include, limits);
  }

  public LoadOptions withLimits(Limits newLimits) {
    return new LoadOptions(mappingFiles, placeholders, includeBuiltinMappings, newLimits);
  }

  /**
   * Reads a placeholder file: a YAML map from placeholder name (without percent signs) to a value
   * or a list of values.
   *
   * @throws IOException when the file cannot be read
   * @throws IllegalArgumentException when it is not such a map; the message says what was seen
   */
  public static Map<String, List<String>> readPlaceholders(Path file) throws IOException {
    String text = Files.readString(file, StandardCharsets.UTF_8);
    Object doc =
        new Load(LoadSettings.builder().setMaxAliasesForCollections(10).build())
            .loadFromString(text);
    if (!(doc instanceof Map<?, ?> map)) {
      throw new IllegalArgumentException(
          file
              + ": expected a YAML map from placeholder name to a list of values, found "
              + (doc == null ? "an empty document" : "a " + doc.getClass().getSimpleName())
              + "; write e.g. 'Workstations: [ws1, ws2]'");
    }
    Map<String, List<String>> out = new LinkedHashMap<>();
    for (Map.Entry<?, ?> e : map.entrySet()) {
      List<String> values = new ArrayList<>();
      if (e.getValue() instanceof List<?> list) {
        list.forEach(v -> values.add(String.valueOf(v)));
      } else if (e.getValue() != null) {
        values.add(String.valueOf(e.getValue()));
      }
      out.put(String.valueOf(e.getKey()), values);
    }
    return out;
  }
}
