package io.vigil.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** Placeholder for {@code vigil osv}; its owner replaces this file. */
@Command(name = "osv", description = "(not built yet)")
final class OsvCommand implements Callable<Integer> {
  @Override
  public Integer call() {
    System.err.println("vigil osv: not built yet");
    return 2;
  }
}
