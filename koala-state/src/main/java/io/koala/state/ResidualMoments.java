package io.koala.state;

/**
 * Forgetful moments of a regression key's prequential residuals e = y − ŷ against the parameter
 * part u = p̂·‖∂ŷ/∂θ‖² of the predictive variance, both taken before the step that learns from the
 * example; they fit the predictive variance a·u + σ² (docs/algorithms.md#predictive-uncertainty).
 *
 * @param weight the moments' effective count: w ← β w + 1 per example
 * @param meanParameterVariance mean of u
 * @param meanSquaredParameterVariance mean of u²
 * @param meanSquaredResidual mean of e²
 * @param meanCross mean of u·e²
 */
public record ResidualMoments(
    double weight,
    double meanParameterVariance,
    double meanSquaredParameterVariance,
    double meanSquaredResidual,
    double meanCross) {

  /** No residual seen yet. */
  public static final ResidualMoments EMPTY = new ResidualMoments(0, 0, 0, 0, 0);
}
