package io.koala.noise;

/**
 * The measurement-noise estimator R_k (docs/algorithms.md#measurement-noise): an exponential moving
 * average of a per-batch sample m_k, R_k = β R_{k−1} + (1 − β) m_k from R_0, updated before it is
 * used; or a fixed R.
 *
 * <p>Samples: {@link Sample#MEAN_SQUARED_LOSS} is the reference code's m_k = mean ℓ_i²; {@link
 * Sample#MEAN_SQUARED_RESIDUAL} is the paper's m_k = mean (ℓ_i − L^target_k)².
 *
 * <h2>Implementation notes</h2>
 *
 * <p>Floor: R_k = max(β R_{k−1} + (1 − β) m_k, {@link #FLOOR}), FLOOR = the smallest normal double
 * (2^−1022 ≈ 2.2e-308). Without it a stream whose every loss is exactly 0 (a perfect fit) decays R
 * as β^k R_0 into the subnormals and to 0 after about 7,000 steps at β = 0.9, and from then on the
 * divergence guard refuses every step (R must be positive). R is in the units of ℓ², so any floor
 * written as a number of those units, or as a fraction of R_0, would put a scale into the filter
 * and change it on a stream whose losses are merely small. The format's smallest normal number is
 * the one floor that is scale-free in practice: it binds only where R has fallen below every square
 * of a loss the format holds at full precision (ℓ² of any ℓ ≥ 1.5e-154), where R already carries no
 * information, and keeps R positive with full relative precision. The golden vectors never reach
 * it.
 *
 * @param kind EMA or fixed
 * @param beta β_R, the EMA's memory (EMA only)
 * @param initial R_0 for the EMA, or the fixed R
 * @param sample which per-batch sample feeds the EMA
 */
public record MeasurementNoise(Kind kind, double beta, double initial, Sample sample) {

  /** The least R_k of the EMA: the smallest positive normal double (see the class notes). */
  public static final double FLOOR = Double.MIN_NORMAL;

  /** Estimated online or fixed. */
  public enum Kind {
    EMA,
    FIXED
  }

  /** The per-batch sample m_k. */
  public enum Sample {
    MEAN_SQUARED_LOSS,
    MEAN_SQUARED_RESIDUAL
  }

  public MeasurementNoise {
    if (kind == null || sample == null) {
      throw new IllegalArgumentException("measurement noise kind and sample must be set");
    }
    if (!(beta >= 0 && beta < 1)) {
      throw new IllegalArgumentException("measurementNoise.beta must be in [0, 1), was " + beta);
    }
    if (!(initial > 0) || !Double.isFinite(initial)) {
      throw new IllegalArgumentException(
          "measurementNoise initial value must be finite and > 0, was " + initial);
    }
  }

  /** The reference estimator: EMA β = 0.9 from R_0 = 1 of mean ℓ_i². */
  public static MeasurementNoise reference() {
    return new MeasurementNoise(Kind.EMA, 0.9, 1.0, Sample.MEAN_SQUARED_LOSS);
  }

  public static MeasurementNoise fixed(double value) {
    return new MeasurementNoise(Kind.FIXED, 0.0, value, Sample.MEAN_SQUARED_LOSS);
  }

  /** The same estimator with EMA memory β_R = {@code b}. */
  public MeasurementNoise withBeta(double b) {
    return new MeasurementNoise(kind, b, initial, sample);
  }

  /** R before the first batch. */
  public double initialValue() {
    return initial;
  }

  /**
   * R_k from R_{k−1} and the batch.
   *
   * @param exampleLosses the batch's per-example losses ℓ_i
   * @param targetLoss L^target_k, used only by the residual sample
   */
  public double update(double previous, double[] exampleLosses, double targetLoss) {
    if (kind == Kind.FIXED) {
      return initial;
    }
    double[] losses = exampleLosses;
    double sum = 0.0;
    if (sample == Sample.MEAN_SQUARED_LOSS) {
      for (double l : losses) {
        sum += l * l;
      }
    } else {
      for (double l : losses) {
        double residual = l - targetLoss;
        sum += residual * residual;
      }
    }
    double m = sum / losses.length;
    // max() would turn a NaN sample into the floor; a non-finite R must reach the guard.
    double r = beta * previous + (1.0 - beta) * m;
    return r < FLOOR ? FLOOR : r;
  }
}
