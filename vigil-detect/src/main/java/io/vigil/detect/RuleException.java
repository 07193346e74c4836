package io.vigil.detect;

import org.snakeyaml.engine.v2.nodes.Node;

/** A problem in one rule document, at a YAML node's line; caught per rule by the loader. */
class RuleException extends Exception {
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

  /**
   * A rule whose {@code |expand} placeholder has no configured value: organisation-specific data is
   * missing, not a broken rule. The loader reports it as a warning and keeps the rule inactive (it
   * never matches) until the value is configured.
   */
  static final class MissingPlaceholder extends RuleException {
    private static final long serialVersionUID = 1L;

    MissingPlaceholder(Node at, String message) {
      super(at, message);
    }
  }
}
