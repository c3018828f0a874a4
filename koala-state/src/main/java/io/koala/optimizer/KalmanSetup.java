package io.koala.optimizer;

import io.koala.noise.MeasurementNoise;
import io.koala.noise.ProcessNoise;
import io.koala.noise.Target;
import io.koala.state.DriftState;

/**
 * What every Kalman step settles between its first pass and its per-block pass, in this order: the
 * step number k, the drift tracker after seeing the batch, the process noise Q_k the batch adds,
 * the innovation e_k = L_k − L^target_k and R_k. Also the refusals the three steps share.
 *
 * @param step k, the number of the step being taken
 * @param drift the drift tracker after observing this batch's loss
 * @param processNoise Q_k for this batch ({@link ProcessNoise#forBatch})
 * @param innovation e_k of the batch loss
 * @param targetLoss L^target_k = L_k − e_k
 * @param measurementNoise R_k
 */
record KalmanSetup(
    long step,
    DriftState drift,
    double processNoise,
    double innovation,
    double targetLoss,
    double measurementNoise) {

  /**
   * Observes the batch's loss with the drift tracker and computes Q_k, the target and R_k.
   *
   * @param priorCovariance the variant's predicted covariance without process noise (p_{k−1} for
   *     KOALA-V, P00 + 2 P01 + P11 + q_w for KOALA-M, σ for KOALA++); the tracker sees it plus the
   *     batch's Q_{k−1}
   */
  static KalmanSetup of(
      long previousStep,
      DriftState drift,
      double priorCovariance,
      Observation observation,
      ProcessNoise processNoise,
      Target target,
      MeasurementNoise measurementNoise,
      double previousMeasurementNoise) {
    long k = previousStep + 1;
    double loss = observation.loss();
    int examples = observation.batchSize();
    DriftState seen =
        processNoise.observe(
            drift,
            loss,
            priorCovariance + processNoise.forBatch(drift, examples),
            examples,
            observation.errors());
    double q = processNoise.forBatch(seen, examples);
    double innovation = target.innovation(k, loss);
    double targetLoss = loss - innovation;
    double r =
        measurementNoise.update(previousMeasurementNoise, observation.exampleLosses(), targetLoss);
    return new KalmanSetup(k, seen, q, innovation, targetLoss, r);
  }

  /** Whether the batch can be observed at all: its loss and Σ_b ‖g̃_b‖² are finite. */
  static boolean observable(double loss, BlockNorms norms) {
    return observable(loss, norms.total());
  }

  static boolean observable(double loss, double totalSquaredNorm) {
    return Double.isFinite(loss) && Double.isFinite(totalSquaredNorm);
  }

  /** The divergence guard's refusal: the unchanged state, reporting its drift statistic. */
  static <S> StepResult<S> refuse(
      S state, Refusal refusal, DriftState drift, ProcessNoise processNoise) {
    return new StepResult<>(state, StepReport.refused(refusal, processNoise.statistic(drift)));
  }

  /**
   * The divergence guard on a computed step, or null when it passes: {@code finite} and R_k finite,
   * then {@code positive} and R_k &gt; 0.
   */
  Refusal divergence(boolean finite, boolean positive) {
    if (!finite || !Double.isFinite(measurementNoise)) {
      return Refusal.NON_FINITE_STATE;
    }
    if (!positive || !(measurementNoise > 0)) {
      return Refusal.NON_POSITIVE_COVARIANCE;
    }
    return null;
  }

  /** The accepted step: the new state and its report. */
  <S> StepResult<S> accept(S after, double gain, int skippedBlocks, ProcessNoise processNoise) {
    return new StepResult<>(
        after,
        new StepReport(
            targetLoss,
            innovation,
            gain,
            skippedBlocks,
            null,
            processNoise.isAlarm(drift),
            processNoise.statistic(drift)));
  }
}
