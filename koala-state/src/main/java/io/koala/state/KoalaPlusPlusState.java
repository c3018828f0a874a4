package io.koala.state;

import java.util.Arrays;

/**
 * KOALA++ filter state: θ and, per block, the covariance row v = H P (stored for all parameters),
 * the previous measurement Jacobian H, the innovation variance S of the last visit (NaN for a block
 * not visited yet) and the process noise that visit added.
 *
 * @param step steps taken
 * @param parameters θ
 * @param covarianceRow v_k = H_k P_{k−1}, block by block
 * @param previousGradient H_k = g + λθ, block by block
 * @param innovationVariance S_k per block; NaN until the block's first visit
 * @param measurementNoise R_k
 * @param drift the surprise tracker holding Q_k
 * @param previousProcessNoise per block, the process noise Q its last visit added to the covariance
 *     (with per-example Q already multiplied by that batch's size): the Q_{k−1} of the next visit's
 *     λ and v-recursion. NaN when not recorded (a block not visited yet, or a state restored from a
 *     format that did not keep it): the next visit then takes its own Q_k there, as before
 */
public record KoalaPlusPlusState(
    long step,
    double[] parameters,
    double[] covarianceRow,
    double[] previousGradient,
    double[] innovationVariance,
    double measurementNoise,
    DriftState drift,
    double[] previousProcessNoise)
    implements OptimizerState {

  public KoalaPlusPlusState {
    if (previousProcessNoise.length != innovationVariance.length) {
      throw new IllegalArgumentException(
          "one previous process noise per block: "
              + previousProcessNoise.length
              + " for "
              + innovationVariance.length
              + " blocks");
    }
  }

  /** A state whose previous process noise is not recorded (NaN for every block). */
  public KoalaPlusPlusState(
      long step,
      double[] parameters,
      double[] covarianceRow,
      double[] previousGradient,
      double[] innovationVariance,
      double measurementNoise,
      DriftState drift) {
    this(
        step,
        parameters,
        covarianceRow,
        previousGradient,
        innovationVariance,
        measurementNoise,
        drift,
        unrecorded(innovationVariance.length));
  }

  private static double[] unrecorded(int blocks) {
    double[] q = new double[blocks];
    Arrays.fill(q, Double.NaN);
    return q;
  }
}
