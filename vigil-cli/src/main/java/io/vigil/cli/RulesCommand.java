package io.vigil.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** Placeholder for {@code vigil rules}; its owner replaces this file. */
@Command(name = "rules", description = "(not built yet)")
final class RulesCommand implements Callable<Integer> {
  @Override
  public Integer call() {
    System.err.println("vigil rules: not built yet");
    return 2;
  }
}
