package io.vigil.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** Placeholder for {@code vigil hunt}; its owner replaces this file. */
@Command(name = "hunt", description = "(not built yet)")
final class HuntCommand implements Callable<Integer> {
  @Override
  public Integer call() {
    System.err.println("vigil hunt: not built yet");
    return 2;
  }
}
