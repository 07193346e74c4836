package io.vigil.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * Runs {@code vigil} in-process, as a user would, and captures its exit code, stdout and stderr.
 */
record HuntRun(int exit, String out, String err) {
  static synchronized HuntRun of(String... args) {
    PrintStream oldOut = System.out;
    PrintStream oldErr = System.err;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    try {
      System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
      System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
      int exit = Main.run(args);
      System.out.flush();
      System.err.flush();
      return new HuntRun(
          exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    } finally {
      System.setOut(oldOut);
      System.setErr(oldErr);
    }
  }

  @Override
  public String toString() {
    return "exit " + exit + "\n--- stdout\n" + out + "\n--- stderr\n" + err;
  }
}
