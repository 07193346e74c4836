package io.vigil.scan.lockfile;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.api.lowlevel.Compose;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;

/**
 * YAML as a node tree with line numbers (snakeyaml-engine's composer), within the lockfile limits:
 * aliases capped, size capped, no custom tags constructed.
 */
final class Yaml {
  static final int MAX_ALIASES = 50;

  private Yaml() {}

  record Entry(String key, int line, Node value) {}

  static Optional<Node> compose(String content, Collector c, String expected) {
    LoadSettings settings =
        LoadSettings.builder()
            .setMaxAliasesForCollections(MAX_ALIASES)
            .setAllowDuplicateKeys(true)
            .setCodePointLimit((int) Math.min(Integer.MAX_VALUE, c.limits.maxFileBytes()))
            .setLabel(c.file)
            .build();
    try {
      return new Compose(settings).composeString(content);
    } catch (MarkedYamlEngineException e) {
      int line = e.getProblemMark().map(m -> m.getLine() + 1).orElse(0);
      c.error(line, "not valid YAML: " + e.getProblem() + "; expected " + expected);
      return Optional.empty();
    } catch (YamlEngineException e) {
      c.error(0, "not valid YAML: " + e.getMessage() + "; expected " + expected);
      return Optional.empty();
    }
  }

  static List<Entry> entries(Node node) {
    List<Entry> out = new ArrayList<>();
    if (node instanceof MappingNode m) {
      for (NodeTuple t : m.getValue()) {
        if (t.getKeyNode() instanceof ScalarNode k) {
          out.add(new Entry(k.getValue(), line(k), t.getValueNode()));
        }
      }
    }
    return out;
  }

  static Optional<Node> get(Node node, String key) {
    for (Entry e : entries(node)) {
      if (e.key().equals(key)) {
        return Optional.of(e.value());
      }
    }
    return Optional.empty();
  }

  static String text(Node node, String key) {
    return get(node, key).map(Yaml::scalar).orElse("");
  }

  static String scalar(Node n) {
    return n instanceof ScalarNode s ? s.getValue() : "";
  }

  static int line(Node n) {
    return n.getStartMark().map(m -> m.getLine() + 1).orElse(0);
  }
}
