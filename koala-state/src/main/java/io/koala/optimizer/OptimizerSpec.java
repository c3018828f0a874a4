package io.koala.optimizer;

/**
 * What a caller sets on top of a {@link Preset}: the parameter blocks and overrides, each null when
 * the preset's value stands. A value only applies to the optimizers that have it.
 *
 * @param layout the parameter blocks (required)
 * @param learningRate η: the target's (1 − η) L for the KOALA variants, the step size of SGD and
 *     Adam
 * @param covariance the initial covariance (p_0, σ²_x,0 for KOALA-M, σ for KOALA++)
 * @param processNoise Q_0 of the KOALA variants (the drift noise's base for KOALA-M)
 * @param adaptive whether Q adapts to the loss surprise
 * @param perExample whether Q (and its bounds) is per example
 * @param processNoiseMin q_min of an adaptive Q
 * @param processNoiseMax q_max of an adaptive Q
 * @param measurementNoise a fixed R (else R_k is estimated)
 * @param measurementNoiseBeta β_R of the estimated R_k
 * @param weightDecay λ
 * @param momentum κ of KOALA-M, μ of SGD
 * @param symmetric KOALA++'s symmetric surrogate
 */
public record OptimizerSpec(
    BlockLayout layout,
    Double learningRate,
    Double covariance,
    Double processNoise,
    Boolean adaptive,
    Boolean perExample,
    Double processNoiseMin,
    Double processNoiseMax,
    Double measurementNoise,
    Double measurementNoiseBeta,
    Double weightDecay,
    Double momentum,
    Boolean symmetric) {

  public OptimizerSpec {
    Checks.notNull(layout, "layout");
  }

  /** The preset as it is, over {@code layout}. */
  public static OptimizerSpec of(BlockLayout layout) {
    return new OptimizerSpec(
        layout, null, null, null, null, null, null, null, null, null, null, null, null);
  }

  public OptimizerSpec withLearningRate(Double eta) {
    return new OptimizerSpec(
        layout,
        eta,
        covariance,
        processNoise,
        adaptive,
        perExample,
        processNoiseMin,
        processNoiseMax,
        measurementNoise,
        measurementNoiseBeta,
        weightDecay,
        momentum,
        symmetric);
  }

  public OptimizerSpec withCovariance(Double p0) {
    return new OptimizerSpec(
        layout,
        learningRate,
        p0,
        processNoise,
        adaptive,
        perExample,
        processNoiseMin,
        processNoiseMax,
        measurementNoise,
        measurementNoiseBeta,
        weightDecay,
        momentum,
        symmetric);
  }

  public OptimizerSpec withProcessNoise(Double q0) {
    return new OptimizerSpec(
        layout,
        learningRate,
        covariance,
        q0,
        adaptive,
        perExample,
        processNoiseMin,
        processNoiseMax,
        measurementNoise,
        measurementNoiseBeta,
        weightDecay,
        momentum,
        symmetric);
  }

  public OptimizerSpec withAdaptive(Boolean on) {
    return new OptimizerSpec(
        layout,
        learningRate,
        covariance,
        processNoise,
        on,
        perExample,
        processNoiseMin,
        processNoiseMax,
        measurementNoise,
        measurementNoiseBeta,
        weightDecay,
        momentum,
        symmetric);
  }

  public OptimizerSpec withPerExample(Boolean on) {
    return new OptimizerSpec(
        layout,
        learningRate,
        covariance,
        processNoise,
        adaptive,
        on,
        processNoiseMin,
        processNoiseMax,
        measurementNoise,
        measurementNoiseBeta,
        weightDecay,
        momentum,
        symmetric);
  }

  public OptimizerSpec withProcessNoiseBounds(Double min, Double max) {
    return new OptimizerSpec(
        layout,
        learningRate,
        covariance,
        processNoise,
        adaptive,
        perExample,
        min,
        max,
        measurementNoise,
        measurementNoiseBeta,
        weightDecay,
        momentum,
        symmetric);
  }

  public OptimizerSpec withMeasurementNoise(Double fixedR) {
    return new OptimizerSpec(
        layout,
        learningRate,
        covariance,
        processNoise,
        adaptive,
        perExample,
        processNoiseMin,
        processNoiseMax,
        fixedR,
        measurementNoiseBeta,
        weightDecay,
        momentum,
        symmetric);
  }

  public OptimizerSpec withMeasurementNoiseBeta(Double beta) {
    return new OptimizerSpec(
        layout,
        learningRate,
        covariance,
        processNoise,
        adaptive,
        perExample,
        processNoiseMin,
        processNoiseMax,
        measurementNoise,
        beta,
        weightDecay,
        momentum,
        symmetric);
  }

  public OptimizerSpec withWeightDecay(Double lambda) {
    return new OptimizerSpec(
        layout,
        learningRate,
        covariance,
        processNoise,
        adaptive,
        perExample,
        processNoiseMin,
        processNoiseMax,
        measurementNoise,
        measurementNoiseBeta,
        lambda,
        momentum,
        symmetric);
  }

  public OptimizerSpec withMomentum(Double m) {
    return new OptimizerSpec(
        layout,
        learningRate,
        covariance,
        processNoise,
        adaptive,
        perExample,
        processNoiseMin,
        processNoiseMax,
        measurementNoise,
        measurementNoiseBeta,
        weightDecay,
        m,
        symmetric);
  }

  public OptimizerSpec withSymmetric(Boolean on) {
    return new OptimizerSpec(
        layout,
        learningRate,
        covariance,
        processNoise,
        adaptive,
        perExample,
        processNoiseMin,
        processNoiseMax,
        measurementNoise,
        measurementNoiseBeta,
        weightDecay,
        momentum,
        on);
  }
}
