package io.vigil.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** Placeholder for {@code vigil scan}; its owner replaces this file. */
@Command(name = "scan", description = "(not built yet)")
final class ScanCommand implements Callable<Integer> {
  @Override
  public Integer call() {
    System.err.println("vigil scan: not built yet");
    return 2;
  }
}
