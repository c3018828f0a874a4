package io.koala.noise;

import io.koala.state.DriftState;

/**
 * The fallback drift statistic of {@link ProcessNoise} when a caller gives only batch losses: a
 * one-sided CUSUM [1] of the standardised shift of the log loss from a reference held while it
 * holds evidence. Its null is not calibrated (the log of a small batch's loss is skewed), so κ = 1,
 * h = 18 and z_max = 6 were fitted once to the multi-key concept stream; with per-example errors
 * the {@link DriftDetector} raises the alarms instead.
 *
 * <pre>
 *   z_k = (x_k − r_{k−1}) / s_{k−1}
 *   C_k = max(0, C'_{k−1} + min(z_k, z_max) − κ),   alarm when C_k &gt; h; C' = 0 after an alarm
 *   r_k = x_k after an alarm; r_{k−1} while C_k &gt; 0; the loss level m_k otherwise
 * </pre>
 *
 * <p>[1] E. S. Page, Continuous inspection schemes, Biometrika 41, 1954.
 */
final class LossCusum {

  static final double REFERENCE = 1.0;
  static final double THRESHOLD = 18.0;
  static final double CAP = 6.0;

  private LossCusum() {}

  /** C_k, whether it alarms, and r_k. */
  record Step(double cusum, boolean alarm, double reference) {}

  /** The statistic after observing log loss {@code x} (baseline variance s²_{k−1}, level m_k). */
  static Step step(DriftState state, double x, double previousVariance, double level) {
    double z =
        previousVariance > 0
            ? (x - state.reference()) / Math.sqrt(previousVariance)
            : (x > state.reference() ? CAP : 0.0);
    double cusum = Math.max(0.0, restart(state) + Math.min(z, CAP) - REFERENCE);
    boolean alarm = cusum > THRESHOLD;
    return new Step(cusum, alarm, alarm ? x : cusum > 0 ? state.reference() : level);
  }

  /** C' : the statistic, restarted after an alarm. */
  static double restart(DriftState state) {
    return state.cusum() > THRESHOLD ? 0.0 : state.cusum();
  }
}
