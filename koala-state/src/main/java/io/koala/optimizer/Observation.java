package io.koala.optimizer;

/**
 * One micro-batch seen as a noisy measurement of the loss, all evaluated at the optimizer's {@link
 * Optimizer#evaluationPoint evaluation point}.
 *
 * @param loss mean loss L_k over the batch
 * @param exampleLosses per-example losses ℓ_i (their count is the batch size)
 * @param gradient ∇L_k, one entry per parameter; never modified by the optimizers, which may keep
 *     it in the state they return (KOALA++ stores it as H when λ = 0): the caller hands the array
 *     over and must not modify it after the step
 */
public record Observation(double loss, double[] exampleLosses, double[] gradient) {

  public int batchSize() {
    return exampleLosses.length;
  }
}
