package io.vigil.cli;

import io.vigil.ingest.ReadProblem;
import java.io.PrintWriter;
import java.util.Locale;

/**
 * Reports input problems on standard error as they happen, from any thread: the first {@value
 * #SHOWN} of each kind in full, then only counts (the summary gives the totals).
 */
final class HuntProblems {
  static final int SHOWN = 10;

  private final PrintWriter err;
  private final HuntProgress progress;
  private long records;
  private long inputs;
  private long skipped;

  HuntProblems(PrintWriter err, HuntProgress progress) {
    this.err = err;
    this.progress = progress;
  }

  synchronized void report(ReadProblem problem) {
    long n =
        switch (problem.kind()) {
          case RECORD -> ++records;
          case INPUT -> ++inputs;
          case SKIPPED -> ++skipped;
        };
    if (n <= SHOWN) {
      String prefix =
          switch (problem.kind()) {
            case RECORD -> "bad record: ";
            case INPUT -> "cannot read: ";
            case SKIPPED -> "note: ";
          };
      String text = problem.toString();
      // Parse errors already start with origin#index; do not say it twice.
      if (problem.message().startsWith(problem.origin())) {
        text = problem.message();
      }
      progress.clearLine();
      err.println("vigil hunt: " + prefix + text);
      if (n == SHOWN) {
        err.println(
            String.format(
                Locale.ROOT,
                "vigil hunt: (further %s are counted, not shown)",
                problem.kind() == ReadProblem.Kind.RECORD
                    ? "bad records"
                    : problem.kind() == ReadProblem.Kind.INPUT ? "unreadable inputs" : "notes"));
      }
      err.flush();
    }
  }

  synchronized long records() {
    return records;
  }

  synchronized long inputs() {
    return inputs;
  }

  synchronized long skipped() {
    return skipped;
  }
}
