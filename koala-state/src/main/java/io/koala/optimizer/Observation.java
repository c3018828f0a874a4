package io.koala.optimizer;

/**
 * One micro-batch seen as a noisy measurement of the loss, all evaluated at the optimizer's
 * {@link Optimizer#evaluationPoint evaluation point}.
 *
 * @param loss mean loss L_k over the batch
 * @param exampleLosses per-example losses ℓ_i (their count is the batch size)
 * @param gradient ∇L_k, one entry per parameter; read, never modified, by the optimizers
 */
public record Observation(double loss, double[] exampleLosses, double[] gradient) {

  public int batchSize() {
    return exampleLosses.length;
  }
}
