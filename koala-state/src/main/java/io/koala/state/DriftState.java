package io.koala.state;

/**
 * Per-key state of the loss-surprise tracker that adapts the process noise Q_k and detects drift.
 *
 * @param processNoise Q_k in use for the next step
 * @param lossLevel m_k, smoothed level of the prequential loss
 * @param surpriseVariance s²_k, baseline variance of the loss around its level
 * @param cusum C_k, the one-sided CUSUM of the standardised loss against {@code reference}
 * @param observations batches seen
 * @param alarms drift alarms raised so far
 * @param reference r_k, the CUSUM's reference level: follows m_k, held while C_k &gt; 0
 * @param pendingLoss the summed loss of the examples seen since the last observation (batches
 *     smaller than the tracker's minimum are pooled until it is reached)
 * @param pendingExamples how many examples that sum holds
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
    long pendingExamples) {

  /** Before the first batch, with Q_0 = {@code processNoise}. */
  public static DriftState initial(double processNoise) {
    return new DriftState(processNoise, 0.0, 0.0, 0.0, 0, 0, 0.0, 0.0, 0);
  }

  boolean isFinite() {
    return Double.isFinite(processNoise)
        && Double.isFinite(lossLevel)
        && Double.isFinite(surpriseVariance)
        && Double.isFinite(cusum)
        && Double.isFinite(reference)
        && Double.isFinite(pendingLoss);
  }
}
