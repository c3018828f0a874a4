package io.koala.state;

/**
 * KOALA++ filter state: θ and, per block, the covariance row v = H P (stored for all parameters),
 * the previous measurement Jacobian H, and the innovation variance S of the last visit (NaN for a
 * block not visited yet).
 *
 * @param step steps taken
 * @param parameters θ
 * @param covarianceRow v_k = H_k P_{k−1}, block by block
 * @param previousGradient H_k = g + λθ, block by block
 * @param innovationVariance S_k per block; NaN until the block's first visit
 * @param measurementNoise R_k
 * @param drift the surprise tracker holding Q_k
 */
public record KoalaPlusPlusState(
    long step,
    double[] parameters,
    double[] covarianceRow,
    double[] previousGradient,
    double[] innovationVariance,
    double measurementNoise,
    DriftState drift)
    implements OptimizerState {}
