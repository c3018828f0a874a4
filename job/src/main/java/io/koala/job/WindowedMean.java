package io.koala.job;

import org.apache.flink.metrics.Gauge;

/**
 * A gauge of the mean of the last {@code window} finite values recorded (NaN before the first): the
 * prequential loss and accuracy over the latest batches of every key a subtask trains. Values are
 * recorded by the task thread and read by metric reporters, hence the lock.
 */
final class WindowedMean implements Gauge<Double> {

  private final double[] values;
  private int next;
  private int count;
  private double sum;

  WindowedMean(int window) {
    if (window < 1) {
      throw new IllegalArgumentException("window must be at least 1, got " + window);
    }
    values = new double[window];
  }

  /** Records one value; NaN and infinities are skipped (a regression batch has no accuracy). */
  synchronized void record(double value) {
    if (!Double.isFinite(value)) {
      return;
    }
    if (count == values.length) {
      sum -= values[next];
    } else {
      count++;
    }
    values[next] = value;
    sum += value;
    next = (next + 1) % values.length;
  }

  @Override
  public synchronized Double getValue() {
    return count == 0 ? Double.NaN : sum / count;
  }
}
