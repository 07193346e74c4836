package io.vigil.cli;

import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.management.ObjectName;

/**
 * Keeps code that runs once per hunt (or once per {@code vigil serve} start) out of the JVM's
 * optimizing compiler (C2): the YAML parser and rule compiler, RE2/J's regex compiler and the
 * bucket automata's construction. On a machine with two cores, C2 compiling them used as much CPU
 * as the hunt's worker (JFR: {@code FieldAutomaton.<init>} and snakeyaml's {@code scanPlain} alone
 * ~40 % of compile time); the quick compiler (C1) is enough for them. Added at run time as a
 * compiler directive through the JVM's diagnostic command bean, so it holds however the jar is
 * started; a JVM without that bean simply compiles as usual.
 */
final class CompilerHints {
  static final String DIRECTIVES =
      """
      [{
        match: ["org/snakeyaml/*.*", "io/vigil/detect/FieldAutomaton.<init>",
                "io/vigil/detect/DetectionCompiler.*", "io/vigil/detect/RuleLoader.*",
                "io/vigil/detect/Yaml.*", "io/vigil/detect/AtomIndex.*",
                "io/vigil/detect/ConditionParser.*", "com/google/re2j/Parser.*",
                "com/google/re2j/Compiler.*", "com/google/re2j/Simplify.*"],
        c2: { Exclude: true }
      }]
      """;

  private static Boolean applied;

  private CompilerHints() {}

  /** Adds the directive once per JVM; true when the JVM accepted it. */
  static synchronized boolean apply() {
    if (applied != null) {
      return applied;
    }
    Path file = null;
    try {
      file = Files.createTempFile("vigil-compiler-directives", ".json");
      Files.writeString(file, DIRECTIVES, StandardCharsets.UTF_8);
      Object out =
          ManagementFactory.getPlatformMBeanServer()
              .invoke(
                  new ObjectName("com.sun.management:type=DiagnosticCommand"),
                  "compilerDirectivesAdd",
                  new Object[] {new String[] {file.toString()}},
                  new String[] {String[].class.getName()});
      applied = String.valueOf(out).contains("added");
    } catch (Exception | LinkageError e) {
      applied = false; // an optimisation only: compile as usual
    } finally {
      if (file != null) {
        try {
          Files.deleteIfExists(file);
        } catch (java.io.IOException e) {
          file.toFile().deleteOnExit();
        }
      }
    }
    return applied;
  }
}
