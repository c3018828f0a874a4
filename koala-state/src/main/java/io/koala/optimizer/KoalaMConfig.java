package io.koala.optimizer;

import io.koala.noise.MeasurementNoise;
import io.koala.noise.ProcessNoise;
import io.koala.noise.Target;

/**
 * KOALA-M hyperparameters (docs/algorithms.md#koala-m; reference-code names in parentheses).
 *
 * @param layout the parameter blocks
 * @param initialCovarianceWeights σ²_x,0 ({@code sw})
 * @param initialCovarianceCross σ²_c,0 ({@code sc})
 * @param initialCovarianceVelocity σ²_p,0 ({@code sv})
 * @param momentum κ ({@code a}, the velocity decay in F)
 * @param initialWeightNoise q_w,0 ({@code qw})
 * @param velocityNoise q_v ({@code qv})
 * @param weightNoiseBeta β_q of the q_w EMA
 * @param averageBeta β_x of the parameter average x̄
 * @param driftNoise extra process noise on the weights for drift, added to P̂00 (base 0: off)
 * @param measurementNoise the R_k estimator
 * @param target the loss-adaptive target
 * @param weightDecay λ
 * @param skipThreshold ε_skip on a block's raw gradient norm
 */
public record KoalaMConfig(
    BlockLayout layout,
    double initialCovarianceWeights,
    double initialCovarianceCross,
    double initialCovarianceVelocity,
    double momentum,
    double initialWeightNoise,
    double velocityNoise,
    double weightNoiseBeta,
    double averageBeta,
    ProcessNoise driftNoise,
    MeasurementNoise measurementNoise,
    Target target,
    double weightDecay,
    double skipThreshold) {

  public KoalaMConfig {
    Checks.notNull(layout, "layout");
    Checks.positive(initialCovarianceWeights, "covariance.weights");
    Checks.positive(initialCovarianceVelocity, "covariance.velocity");
    if (!Double.isFinite(initialCovarianceCross)
        || initialCovarianceCross * initialCovarianceCross
            > initialCovarianceWeights * initialCovarianceVelocity) {
      throw new IllegalArgumentException(
          "covariance.cross must keep the initial 2x2 covariance "
              + "positive semi-definite, was "
              + initialCovarianceCross);
    }
    Checks.fraction(momentum, "momentum");
    Checks.nonNegative(initialWeightNoise, "weight-noise.initial");
    Checks.nonNegative(velocityNoise, "velocity-noise");
    Checks.fraction(weightNoiseBeta, "weight-noise.beta");
    Checks.fraction(averageBeta, "average.beta");
    Checks.notNull(driftNoise, "processNoise");
    Checks.notNull(measurementNoise, "measurementNoise");
    Checks.notNull(target, "target");
    Checks.nonNegative(weightDecay, "weight-decay");
    Checks.nonNegative(skipThreshold, "skip-threshold");
  }

  /** The reference defaults: sw 0.1, sc 0, sv 0.1, κ 0.9, q_w 0.01 (EMA 0.9), q_v 0.01, β_x 0.9. */
  public static KoalaMConfig reference(BlockLayout layout) {
    return new KoalaMConfig(
        layout,
        0.1,
        0.0,
        0.1,
        0.9,
        0.01,
        0.01,
        0.9,
        0.9,
        ProcessNoise.constant(0.0),
        PresetDefaults.measurementNoise(),
        PresetDefaults.target(),
        0.0,
        PresetDefaults.SKIP_THRESHOLD);
  }

  /**
   * For drifting streams: the reference with drift noise adapted from 0.0003 per example ({@link
   * ProcessNoise#stream}).
   */
  public static KoalaMConfig stream(BlockLayout layout) {
    return reference(layout).withDriftNoise(ProcessNoise.stream(0.0003));
  }

  /**
   * A member of the auto preset's race ({@link ProcessNoiseRace}): the reference with a constant
   * drift noise per example (the race sets its level).
   */
  public static KoalaMConfig auto(BlockLayout layout) {
    return reference(layout).withDriftNoise(ProcessNoise.constant(1e-4).withPerExample(true));
  }

  public KoalaMConfig withLayout(BlockLayout l) {
    return new KoalaMConfig(
        l,
        initialCovarianceWeights,
        initialCovarianceCross,
        initialCovarianceVelocity,
        momentum,
        initialWeightNoise,
        velocityNoise,
        weightNoiseBeta,
        averageBeta,
        driftNoise,
        measurementNoise,
        target,
        weightDecay,
        skipThreshold);
  }

  /** σ²_x,0, the weights' initial variance (the KOALA-V p_0 of this variant). */
  public KoalaMConfig withInitialCovariance(double sw) {
    return new KoalaMConfig(
        layout,
        sw,
        initialCovarianceCross,
        initialCovarianceVelocity,
        momentum,
        initialWeightNoise,
        velocityNoise,
        weightNoiseBeta,
        averageBeta,
        driftNoise,
        measurementNoise,
        target,
        weightDecay,
        skipThreshold);
  }

  /** κ. */
  public KoalaMConfig withMomentum(double kappa) {
    return new KoalaMConfig(
        layout,
        initialCovarianceWeights,
        initialCovarianceCross,
        initialCovarianceVelocity,
        kappa,
        initialWeightNoise,
        velocityNoise,
        weightNoiseBeta,
        averageBeta,
        driftNoise,
        measurementNoise,
        target,
        weightDecay,
        skipThreshold);
  }

  public KoalaMConfig withDriftNoise(ProcessNoise q) {
    return new KoalaMConfig(
        layout,
        initialCovarianceWeights,
        initialCovarianceCross,
        initialCovarianceVelocity,
        momentum,
        initialWeightNoise,
        velocityNoise,
        weightNoiseBeta,
        averageBeta,
        q,
        measurementNoise,
        target,
        weightDecay,
        skipThreshold);
  }

  public KoalaMConfig withMeasurementNoise(MeasurementNoise r) {
    return new KoalaMConfig(
        layout,
        initialCovarianceWeights,
        initialCovarianceCross,
        initialCovarianceVelocity,
        momentum,
        initialWeightNoise,
        velocityNoise,
        weightNoiseBeta,
        averageBeta,
        driftNoise,
        r,
        target,
        weightDecay,
        skipThreshold);
  }

  public KoalaMConfig withTarget(Target t) {
    return new KoalaMConfig(
        layout,
        initialCovarianceWeights,
        initialCovarianceCross,
        initialCovarianceVelocity,
        momentum,
        initialWeightNoise,
        velocityNoise,
        weightNoiseBeta,
        averageBeta,
        driftNoise,
        measurementNoise,
        t,
        weightDecay,
        skipThreshold);
  }

  public KoalaMConfig withWeightDecay(double lambda) {
    return new KoalaMConfig(
        layout,
        initialCovarianceWeights,
        initialCovarianceCross,
        initialCovarianceVelocity,
        momentum,
        initialWeightNoise,
        velocityNoise,
        weightNoiseBeta,
        averageBeta,
        driftNoise,
        measurementNoise,
        target,
        lambda,
        skipThreshold);
  }

  public KoalaMConfig withSkipThreshold(double threshold) {
    return new KoalaMConfig(
        layout,
        initialCovarianceWeights,
        initialCovarianceCross,
        initialCovarianceVelocity,
        momentum,
        initialWeightNoise,
        velocityNoise,
        weightNoiseBeta,
        averageBeta,
        driftNoise,
        measurementNoise,
        target,
        weightDecay,
        threshold);
  }
}
