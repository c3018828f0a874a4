package io.koala.state;

/**
 * KOALA-V filter state: θ, the isotropic covariance p (P = p·I), R_k and the drift tracker.
 *
 * @param step steps taken
 * @param parameters θ
 * @param covariance p_k, after the update of step k
 * @param measurementNoise R_k
 * @param drift the surprise tracker holding Q_k
 * @param tuner the auto preset's tuned Q_k and last step, or null when Q is not tuned
 */
public record KoalaVState(
    long step,
    double[] parameters,
    double covariance,
    double measurementNoise,
    DriftState drift,
    TunerState tuner)
    implements OptimizerState {

  /** A state without a process-noise tuner. */
  public KoalaVState(
      long step,
      double[] parameters,
      double covariance,
      double measurementNoise,
      DriftState drift) {
    this(step, parameters, covariance, measurementNoise, drift, null);
  }

  /** A copy that shares no array with this state (the tuner's record copied too). */
  public KoalaVState deepCopy() {
    return new KoalaVState(
        step,
        parameters.clone(),
        covariance,
        measurementNoise,
        drift,
        tuner == null ? null : new TunerState(tuner.processNoise(), tuner.lastStep().clone()));
  }
}
