package io.koala.state;

/**
 * Per-key state of the loss-surprise tracker that adapts the process noise Q_k, and of the drift
 * detector on the prequential errors.
 *
 * @param processNoise Q_k in use for the next step
 * @param lossLevel m_k, smoothed level of the prequential loss
 * @param surpriseVariance s²_k, baseline variance of the loss around its level
 * @param cusum C_k, the one-sided CUSUM of the standardised loss against {@code reference} (the
 *     fallback statistic when no per-example errors are given)
 * @param observations batches seen
 * @param alarms drift alarms raised so far
 * @param reference r_k, the loss CUSUM's reference level: follows m_k, held while C_k &gt; 0
 * @param pendingLoss the summed loss of the examples seen since the last observation (batches
 *     smaller than the tracker's minimum are pooled until it is reached)
 * @param pendingExamples how many examples that sum holds
 * @param errorRate p̂₀, the detector's estimate of the in-control error rate
 * @param residualScale σ̂₀², the detector's estimate of the in-control mean squared residual
 *     (regression; 0 for classifiers)
 * @param errorCusum S, the Bernoulli CUSUM of the log-likelihood ratio of the errors
 * @param monitoredExamples examples the detector has seen since the start or its last alarm
 * @param alarm whether the batch that produced this state raised a drift alarm
 */
public record DriftState(
    double processNoise,
    double lossLevel,
    double surpriseVariance,
    double cusum,
    long observations,
    long alarms,
    double reference,
    double pendingLoss,
    long pendingExamples,
    double errorRate,
    double residualScale,
    double errorCusum,
    long monitoredExamples,
    boolean alarm) {

  /** Before the first batch, with Q_0 = {@code processNoise}. */
  public static DriftState initial(double processNoise) {
    return new DriftState(processNoise, 0.0, 0.0, 0.0, 0, 0, 0.0, 0.0, 0, 0.0, 0.0, 0.0, 0, false);
  }

  /** The state with the loss tracker's fields replaced and the detector's kept. */
  public DriftState withTracker(
      double processNoise,
      double lossLevel,
      double surpriseVariance,
      double cusum,
      long observations,
      long alarms,
      double reference,
      double pendingLoss,
      long pendingExamples) {
    return new DriftState(
        processNoise,
        lossLevel,
        surpriseVariance,
        cusum,
        observations,
        alarms,
        reference,
        pendingLoss,
        pendingExamples,
        errorRate,
        residualScale,
        errorCusum,
        monitoredExamples,
        alarm);
  }

  /** The state with the detector's fields replaced and the loss tracker's kept. */
  public DriftState withDetector(
      double errorRate,
      double residualScale,
      double errorCusum,
      long monitoredExamples,
      boolean alarm,
      long alarms) {
    return new DriftState(
        processNoise,
        lossLevel,
        surpriseVariance,
        cusum,
        observations,
        alarms,
        reference,
        pendingLoss,
        pendingExamples,
        errorRate,
        residualScale,
        errorCusum,
        monitoredExamples,
        alarm);
  }

  /** The state with the alarm flag set to {@code raised}. */
  public DriftState withAlarm(boolean raised) {
    return withDetector(errorRate, residualScale, errorCusum, monitoredExamples, raised, alarms);
  }

  /** The state with a batch pooled (not yet an observation) and the loss CUSUM at {@code c}. */
  public DriftState withPending(double c, double loss, long examples) {
    return withTracker(
        processNoise,
        lossLevel,
        surpriseVariance,
        c,
        observations,
        alarms,
        reference,
        loss,
        examples);
  }

  boolean isFinite() {
    return Double.isFinite(processNoise)
        && Double.isFinite(lossLevel)
        && Double.isFinite(surpriseVariance)
        && Double.isFinite(cusum)
        && Double.isFinite(reference)
        && Double.isFinite(pendingLoss)
        && Double.isFinite(errorRate)
        && Double.isFinite(residualScale)
        && Double.isFinite(errorCusum);
  }
}
