package io.koala.evaluation;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One key's prequential run, per example: each example holds its batch's accuracy and loss
 * (test-then-train), and the drift alarms as the number of examples seen when each rose.
 *
 * @param accuracy per-example prequential accuracy (NaN for regression)
 * @param loss per-example prequential loss
 * @param alarms for each drift alarm, the examples of this key trained when it rose
 */
public record Trace(double[] accuracy, double[] loss, List<Integer> alarms) {

  /** The examples in the run. */
  public int examples() {
    return accuracy.length;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Spreads per-batch values over the batch's examples, batch after batch. */
  public static final class Builder {
    private double[] accuracy = new double[64];
    private double[] loss = new double[64];
    private final List<Integer> alarms = new ArrayList<>();
    private int size;

    private Builder() {}

    /**
     * One batch of {@code examples} examples, its prequential values and whether it raised an
     * alarm.
     */
    public Builder batch(int examples, double accuracy, double loss, boolean alarm) {
      if (size + examples > this.accuracy.length) {
        int capacity = Math.max(2 * this.accuracy.length, size + examples);
        this.accuracy = Arrays.copyOf(this.accuracy, capacity);
        this.loss = Arrays.copyOf(this.loss, capacity);
      }
      Arrays.fill(this.accuracy, size, size + examples, accuracy);
      Arrays.fill(this.loss, size, size + examples, loss);
      size += examples;
      if (alarm) {
        alarms.add(size);
      }
      return this;
    }

    public Trace build() {
      return new Trace(
          Arrays.copyOf(accuracy, size), Arrays.copyOf(loss, size), List.copyOf(alarms));
    }
  }
}
