package io.vigil.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CompilerHintsTest {
  @Test
  void directive_isAcceptedByTheJvm_once() {
    // HotSpot parses the directive and answers "1 compiler directives added"; a syntax error in
    // DIRECTIVES would make it refuse (false)
    assertThat(CompilerHints.apply()).isTrue();
    assertThat(CompilerHints.apply()).isTrue();
    assertThat(CompilerHints.DIRECTIVES).contains("io/vigil/detect/FieldAutomaton.<init>");
  }
}
