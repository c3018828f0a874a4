package io.koala.data;

/**
 * The drift measures the demo's report and the drift benchmark share, over per-example
 * prequential values (each example holds its batch's accuracy or loss).
 */
public final class DriftMetrics {

  private DriftMetrics() {}

  /** The mean of {@code values[from, to)} clipped to the array; NaN when that is empty. */
  public static double mean(double[] values, int from, int to) {
    from = Math.max(0, from);
    to = Math.min(values.length, to);
    double sum = 0;
    for (int i = from; i < to; i++) {
      sum += values[i];
    }
    return to > from ? sum / (to - from) : Double.NaN;
  }

  /**
   * Examples after a drift at {@code drift} until the mean of the last {@code window} values is
   * back within 1 point (0.01) of {@code before}, checked every {@code step} examples up to
   * {@code end}; -1 if it never is.
   */
  public static int recovery(double[] values, int drift, int end, int window, int step,
      double before) {
    for (int i = drift + window; i <= Math.min(end, values.length); i += step) {
      if (mean(values, i - window, i) >= before - 0.01) {
        return i - drift;
      }
    }
    return -1;
  }
}
