package io.koala.job.demo;

import java.io.PrintStream;

/**
 * The live progress line: rewritten in place on a terminal, a new line every 2 s otherwise (logs,
 * tests). Everything on it comes from the job's committed output topics.
 */
final class Progress {

  /** Batches per key in the "recent accuracy" window. */
  static final int WINDOW = 25;

  private final PrintStream out;
  private final boolean terminal;
  private long lastLine;
  private long lastExamples;
  private long lastSent;
  private long lastTime;
  private double rate;
  private double sendRate;
  private boolean open;

  Progress(PrintStream out, boolean terminal) {
    this.out = out;
    this.terminal = terminal;
  }

  void show(long started, long sent, long total, OutputMonitor monitor) {
    long now = System.nanoTime();
    long examples = monitor.examples();
    if (lastTime == 0 || now - lastTime > 1_000_000_000L) {
      if (lastTime != 0) {
        rate = (examples - lastExamples) / ((now - lastTime) / 1e9);
        sendRate = (sent - lastSent) / ((now - lastTime) / 1e9);
      }
      lastTime = now;
      lastExamples = examples;
      lastSent = sent;
    }
    double accuracy = monitor.recentAccuracy(WINDOW);
    String line =
        String.format(
            "  [%4.0fs] events in %,d/%,d (%,.0f/s) | trained %,d (%,.0f/s) | keys %d | accuracy %s | "
                + "drift events %d | predictions %d | dead letters %d",
            (now - started) / 1e9,
            sent,
            total,
            sendRate,
            examples,
            rate,
            monitor.keys(),
            Double.isNaN(accuracy) ? "  -  " : String.format("%4.1f%%", 100 * accuracy),
            monitor.driftEvents(),
            monitor.predictions(),
            monitor.deadLetterReasons().size());
    if (terminal) {
      out.print("\r" + line + "   ");
      out.flush();
      open = true;
    } else if (now - lastLine >= 2_000_000_000L) {
      out.println(line);
      lastLine = now;
    }
  }

  void finish() {
    if (open) {
      out.println();
      open = false;
    }
  }
}
