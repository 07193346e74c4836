package io.vigil.detect;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.api.lowlevel.Compose;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;
import org.snakeyaml.engine.v2.nodes.Tag;
import org.snakeyaml.engine.v2.schema.CoreSchema;

/**
 * YAML documents as snakeyaml-engine nodes, which keep their line numbers, within {@link Limits}.
 */
final class Yaml {
  private Yaml() {}

  static Compose composer(Limits limits, String label) {
    LoadSettings settings =
        LoadSettings.builder()
            .setLabel(label)
            .setSchema(new CoreSchema())
            .setAllowDuplicateKeys(false)
            .setAllowRecursiveKeys(false)
            .setMaxAliasesForCollections(limits.maxYamlAliases())
            .setCodePointLimit(Math.max(limits.maxFileChars(), 1))
            .setUseMarks(true)
            .build();
    return new Compose(settings);
  }

  static List<Node> documents(String text, Limits limits, String label) {
    List<Node> out = new ArrayList<>();
    for (Node n : composer(limits, label).composeAllFromString(text)) {
      out.add(n);
    }
    return out;
  }

  static int line(Node n) {
    return n == null ? 0 : n.getStartMark().map(m -> m.getLine() + 1).orElse(0);
  }

  /** Fails when maps and lists nest deeper than the limit (checked before any other walk). */
  static void checkDepth(Node n, int max, int depth) throws RuleException {
    if (depth > max) {
      throw new RuleException(
          n,
          "YAML nests deeper than "
              + max
              + " levels; real Sigma rules need far fewer. Raise sigma.max-yaml-depth"
              + " (Limits.maxYamlDepth) if this file is trusted");
    }
    if (n instanceof MappingNode m) {
      for (NodeTuple t : m.getValue()) {
        checkDepth(t.getValueNode(), max, depth + 1);
      }
    } else if (n instanceof SequenceNode s) {
      for (Node c : s.getValue()) {
        checkDepth(c, max, depth + 1);
      }
    }
  }

  /** A mapping's entries by scalar key, in order. */
  static Map<String, Node> map(Node n, String what) throws RuleException {
    if (!(n instanceof MappingNode m)) {
      throw new RuleException(n, what + " must be a YAML map, found " + kind(n));
    }
    Map<String, Node> out = new LinkedHashMap<>();
    for (NodeTuple t : m.getValue()) {
      if (!(t.getKeyNode() instanceof ScalarNode k)) {
        throw new RuleException(t.getKeyNode(), "keys in " + what + " must be plain text");
      }
      out.put(k.getValue(), t.getValueNode());
    }
    return out;
  }

  static List<Map.Entry<ScalarNode, Node>> entries(MappingNode m, String what)
      throws RuleException {
    List<Map.Entry<ScalarNode, Node>> out = new ArrayList<>();
    for (NodeTuple t : m.getValue()) {
      if (!(t.getKeyNode() instanceof ScalarNode k)) {
        throw new RuleException(t.getKeyNode(), "keys in " + what + " must be plain text");
      }
      out.add(Map.entry(k, t.getValueNode()));
    }
    return out;
  }

  static boolean isNull(Node n) {
    return n == null || (n instanceof ScalarNode s && s.getTag().equals(Tag.NULL));
  }

  /** A scalar's text, or null for a missing or null node. */
  static String string(Node n, String what) throws RuleException {
    if (isNull(n)) {
      return null;
    }
    if (n instanceof ScalarNode s) {
      return s.getValue();
    }
    throw new RuleException(n, what + " must be a single value, found " + kind(n));
  }

  /** A scalar or a list of scalars as strings; empty for null. */
  static List<String> strings(Node n, String what) throws RuleException {
    List<String> out = new ArrayList<>();
    if (isNull(n)) {
      return out;
    }
    if (n instanceof SequenceNode s) {
      for (Node c : s.getValue()) {
        String v = string(c, what + " entries");
        if (v != null) {
          out.add(v);
        }
      }
      return out;
    }
    out.add(string(n, what));
    return out;
  }

  static String kind(Node n) {
    if (n == null) {
      return "nothing";
    }
    if (n instanceof MappingNode) {
      return "a map";
    }
    if (n instanceof SequenceNode) {
      return "a list";
    }
    if (isNull(n)) {
      return "null";
    }
    return "the value '" + ((ScalarNode) n).getValue() + "'";
  }
}
