package io.koala.model;

import io.koala.state.StandardiserState;

/**
 * Online feature standardisation: running mean and variance per feature (Welford's algorithm), for
 * streams whose features arrive unnormalised.
 *
 * <pre>
 *   n ← n + 1;  δ = x − μ;  μ ← μ + δ / n;  M2 ← M2 + δ (x − μ)          σ² = M2 / n
 *   standardised x = (x − μ) / σ, with σ = 1 while n &lt; 2 or σ² ≤ 1e-12
 * </pre>
 */
public final class Standardiser {

  private Standardiser() {}

  public static StandardiserState initial(int features) {
    return new StandardiserState(0, new double[features], new double[features]);
  }

  /** The state after also seeing every row of {@code rows}. */
  public static StandardiserState update(StandardiserState state, double[][] rows) {
    double[] mean = state.mean().clone();
    double[] m2 = state.squaredDeviations().clone();
    long n = state.count();
    for (double[] x : rows) {
      n++;
      for (int j = 0; j < mean.length; j++) {
        double delta = x[j] - mean[j];
        mean[j] += delta / n;
        m2[j] += delta * (x[j] - mean[j]);
      }
    }
    return new StandardiserState(n, mean, m2);
  }

  /** A standardised copy of {@code x}. */
  public static double[] apply(StandardiserState state, double[] x) {
    double[] mean = state.mean();
    double[] m2 = state.squaredDeviations();
    long n = state.count();
    double[] out = new double[x.length];
    for (int j = 0; j < x.length; j++) {
      double variance = n >= 2 ? m2[j] / n : 0.0;
      double scale = variance > 1e-12 ? Math.sqrt(variance) : 1.0;
      out[j] = (x[j] - mean[j]) / scale;
    }
    return out;
  }

  /** A standardised copy of every row. */
  public static double[][] apply(StandardiserState state, double[][] rows) {
    double[][] out = new double[rows.length][];
    for (int i = 0; i < rows.length; i++) {
      out[i] = apply(state, rows[i]);
    }
    return out;
  }

  /** Variance of feature j (population), or NaN before two examples. */
  public static double variance(StandardiserState state, int j) {
    return state.count() >= 2 ? state.squaredDeviations()[j] / state.count() : Double.NaN;
  }
}
