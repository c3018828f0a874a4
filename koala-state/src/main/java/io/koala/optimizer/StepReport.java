package io.koala.optimizer;

/**
 * What one step did, for metrics and drift events; the new state itself travels beside it.
 *
 * @param target the loss-adaptive target L^target_k (NaN for optimizers without one)
 * @param innovation e_k = L_k − L^target_k (NaN for optimizers without one)
 * @param gain the largest effective step size over the blocks (γ_b for KOALA-V, K_x for KOALA-M,
 *     e_b/S_b for KOALA++, the learning rate for the baselines)
 * @param skippedBlocks how many blocks the skip rule left untouched
 * @param refusal why the divergence guard refused the step, or null when it was taken
 * @param driftDetected whether the drift statistic crossed its threshold at this step
 * @param driftStatistic the drift statistic after this step, in units of its alarm threshold (NaN
 *     when not tracked)
 */
public record StepReport(
    double target,
    double innovation,
    double gain,
    int skippedBlocks,
    Refusal refusal,
    boolean driftDetected,
    double driftStatistic) {

  public boolean accepted() {
    return refusal == null;
  }

  /** An accepted step of an optimizer without a filter, reporting its step size as the gain. */
  static StepReport unfiltered(double stepSize) {
    return new StepReport(Double.NaN, Double.NaN, stepSize, 0, null, false, Double.NaN);
  }

  static StepReport refused(Refusal refusal, double driftStatistic) {
    return new StepReport(Double.NaN, Double.NaN, 0.0, 0, refusal, false, driftStatistic);
  }
}
