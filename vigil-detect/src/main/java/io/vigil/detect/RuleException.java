package io.vigil.detect;

import org.snakeyaml.engine.v2.nodes.Node;

/** A problem in one rule document, at a YAML node's line; caught per rule by the loader. */
final class RuleException extends Exception {
  private static final long serialVersionUID = 1L;
  final int line;

  RuleException(Node at, String message) {
    super(message, null, false, false);
    this.line = Yaml.line(at);
  }

  RuleException(int line, String message) {
    super(message, null, false, false);
    this.line = line;
  }
}
