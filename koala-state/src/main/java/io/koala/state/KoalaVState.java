package io.koala.state;

/**
 * KOALA-V filter state: θ, the isotropic covariance p (P = p·I), R_k and the drift tracker.
 *
 * @param step steps taken
 * @param parameters θ
 * @param covariance p_k, after the update of step k
 * @param measurementNoise R_k
 * @param drift the surprise tracker holding Q_k
 */
public record KoalaVState(
    long step, double[] parameters, double covariance, double measurementNoise, DriftState drift)
    implements OptimizerState {}
