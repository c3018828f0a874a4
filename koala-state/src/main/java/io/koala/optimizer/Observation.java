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
 */
public record Observation(
    double loss, double[] exampleLosses, double[] gradient, PrequentialErrors errors) {

  /** An observation without prequential errors. */
  public Observation(double loss, double[] exampleLosses, double[] gradient) {
    this(loss, exampleLosses, gradient, null);
  }

  /** This observation carrying the batch's prequential errors. */
  public Observation withErrors(PrequentialErrors batchErrors) {
    return new Observation(loss, exampleLosses, gradient, batchErrors);
  }

  public int batchSize() {
    return exampleLosses.length;
  }
}
