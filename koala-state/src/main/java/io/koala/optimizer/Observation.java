package io.koala.optimizer;

import io.koala.noise.PrequentialErrors;

/**
 * One micro-batch seen as a noisy measurement of the loss, all evaluated at the optimizer's {@link
 * Optimizer#evaluationPoint evaluation point}.
 *
 * @param loss mean loss L_k over the batch
 * @param exampleLosses per-example losses ℓ_i (their count is the batch size)
 * @param gradient ∇L_k, one entry per parameter; never modified by the optimizers, which may keep
 *     it in the state they return (KOALA++ stores it as H when λ = 0): the caller hands the array
 *     over and must not modify it after the step
 * @param errors the batch's per-example prequential errors for the drift detector, or null (then
 *     the drift alarm falls back to the loss CUSUM)
 * @param sparseGradient the gradient as its non-zero entries, with {@code gradient} null; only for
 *     an optimizer that {@link Optimizer#stepsSparse steps sparse}, and it hands the state over
 */
public record Observation(
    double loss,
    double[] exampleLosses,
    double[] gradient,
    PrequentialErrors errors,
    SparseGradient sparseGradient) {

  /** An observation with a dense gradient. */
  public Observation(
      double loss, double[] exampleLosses, double[] gradient, PrequentialErrors errors) {
    this(loss, exampleLosses, gradient, errors, null);
  }

  /** An observation with a dense gradient, without prequential errors. */
  public Observation(double loss, double[] exampleLosses, double[] gradient) {
    this(loss, exampleLosses, gradient, null, null);
  }

  /** An observation whose gradient is given by its non-zero entries. */
  public static Observation sparse(double loss, double[] exampleLosses, SparseGradient gradient) {
    return new Observation(loss, exampleLosses, null, null, gradient);
  }

  /** This observation carrying the batch's prequential errors. */
  public Observation withErrors(PrequentialErrors batchErrors) {
    return new Observation(loss, exampleLosses, gradient, batchErrors, sparseGradient);
  }

  /** Whether the gradient is given sparse ({@link #sparseGradient}) rather than dense. */
  public boolean isSparse() {
    return sparseGradient != null;
  }

  public int batchSize() {
    return exampleLosses.length;
  }
}
