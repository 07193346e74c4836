package io.vigil.cli;

import java.io.PrintWriter;
import java.lang.reflect.Method;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A one-line progress display on standard error, redrawn a few times a second, shown only when
 * standard error is a terminal: bytes of input files done as a bar, events, speed, detections. When
 * stderr is redirected, nothing is drawn and {@link #clearLine()} does nothing.
 */
final class HuntProgress implements AutoCloseable {
  private static final long REDRAW_MILLIS = 250;
  private static final int BAR = 24;

  final AtomicLong events = new AtomicLong();
  final AtomicLong detections = new AtomicLong();
  final AtomicLong bytesDone = new AtomicLong();
  private final PrintWriter err;
  private final long bytesTotal;
  private final boolean enabled;
  private final long start = System.nanoTime();
  private Thread thread;
  private boolean drawn;

  HuntProgress(PrintWriter err, long bytesTotal, boolean enabled) {
    this.err = err;
    this.bytesTotal = bytesTotal;
    this.enabled = enabled;
  }

  /** Whether standard error is a terminal (a console, and on JDK 22+ an interactive one). */
  static boolean stderrIsTerminal() {
    java.io.Console console = System.console();
    if (console == null) {
      return false;
    }
    try {
      Method isTerminal = java.io.Console.class.getMethod("isTerminal");
      return (Boolean) isTerminal.invoke(console);
    } catch (ReflectiveOperationException e) {
      return true; // JDK 21: System.console() is null unless attached to a terminal
    }
  }

  void start() {
    if (!enabled) {
      return;
    }
    thread =
        Thread.ofPlatform()
            .name("vigil-hunt-progress")
            .daemon(true)
            .start(
                () -> {
                  try {
                    while (!Thread.currentThread().isInterrupted()) {
                      Thread.sleep(REDRAW_MILLIS);
                      draw();
                    }
                  } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                  }
                });
  }

  private synchronized void draw() {
    double seconds = Math.max((System.nanoTime() - start) / 1e9, 1e-3);
    long n = events.get();
    double fraction = bytesTotal <= 0 ? 0 : Math.min(1.0, bytesDone.get() / (double) bytesTotal);
    int filled = (int) Math.round(fraction * BAR);
    err.print(
        String.format(
            Locale.ROOT,
            "\r[%s%s] %3.0f%%  %,d events  %,.0f/s  %,d detections ",
            "#".repeat(filled),
            ".".repeat(BAR - filled),
            fraction * 100,
            n,
            n / seconds,
            detections.get()));
    err.flush();
    drawn = true;
  }

  /** Erases the progress line so that a message can be printed in its place. */
  synchronized void clearLine() {
    if (drawn) {
      err.print("\r" + " ".repeat(100) + "\r");
      err.flush();
      drawn = false;
    }
  }

  @Override
  public void close() {
    if (thread != null) {
      thread.interrupt();
      try {
        thread.join(1000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    clearLine();
  }
}
