package io.koala.state;

/**
 * KOALA-M filter state: weights and velocities, the parameter average x̄, the shared 2×2 covariance
 * [[P00, P01], [P01, P11]], the weight process-noise EMA q_w, R_k and the drift tracker.
 *
 * @param step steps taken
 * @param parameters θ
 * @param velocity v
 * @param average x̄, the EMA of θ behind KOALA-M's adaptive process noise
 * @param covarianceWeights P00
 * @param covarianceCross P01 = P10
 * @param covarianceVelocity P11
 * @param weightNoise q_w,k
 * @param measurementNoise R_k
 * @param drift the surprise tracker holding the extra process noise for drift
 */
public record KoalaMState(
    long step,
    double[] parameters,
    double[] velocity,
    double[] average,
    double covarianceWeights,
    double covarianceCross,
    double covarianceVelocity,
    double weightNoise,
    double measurementNoise,
    DriftState drift)
    implements OptimizerState {}
