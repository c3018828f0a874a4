package io.koala.optimizer;

import io.koala.noise.MeasurementNoise;
import io.koala.noise.ProcessNoise;
import io.koala.noise.Target;

/**
 * KOALA-V hyperparameters.
 *
 * @param layout the parameter blocks
 * @param initialCovariance p_0 ({@code sigma} in the reference code)
 * @param processNoise Q: constant (reference) or adaptive
 * @param measurementNoise the R_k estimator
 * @param target the loss-adaptive target
 * @param weightDecay λ
 * @param direction the gradient that moves θ when λ > 0
 * @param skipThreshold ε_skip on a block's raw gradient norm
 */
public record KoalaVConfig(
    BlockLayout layout,
    double initialCovariance,
    ProcessNoise processNoise,
    MeasurementNoise measurementNoise,
    Target target,
    double weightDecay,
    Direction direction,
    double skipThreshold) {

  public KoalaVConfig {
    Checks.notNull(layout, "layout");
    Checks.positive(initialCovariance, "covariance.initial");
    Checks.notNull(processNoise, "processNoise");
    Checks.notNull(measurementNoise, "measurementNoise");
    Checks.notNull(target, "target");
    Checks.nonNegative(weightDecay, "weight-decay");
    Checks.notNull(direction, "direction");
    Checks.nonNegative(skipThreshold, "skip-threshold");
  }

  /** The paper experiments' defaults: p_0 = 0.1, Q = 1, adaptive R (β 0.9 from 1), η = 1, λ = 0. */
  public static KoalaVConfig reference(BlockLayout layout) {
    return new KoalaVConfig(
        layout,
        0.1,
        ProcessNoise.constant(1.0),
        PresetDefaults.measurementNoise(),
        PresetDefaults.target(),
        0.0,
        Direction.RAW_GRADIENT,
        PresetDefaults.SKIP_THRESHOLD);
  }

  /**
   * For drifting streams: the reference with p_0 = 1 and an adaptive Q from 0.0003 per example
   * ({@link ProcessNoise#stream}).
   */
  public static KoalaVConfig stream(BlockLayout layout) {
    return reference(layout)
        .withInitialCovariance(1.0)
        .withProcessNoise(ProcessNoise.stream(0.0003));
  }

  /**
   * A member of the auto preset's race ({@link ProcessNoiseRace}): the reference with a constant Q
   * per example (the race sets its level).
   */
  public static KoalaVConfig auto(BlockLayout layout) {
    return reference(layout).withProcessNoise(ProcessNoise.constant(1e-4).withPerExample(true));
  }

  public KoalaVConfig withLayout(BlockLayout l) {
    return new KoalaVConfig(
        l,
        initialCovariance,
        processNoise,
        measurementNoise,
        target,
        weightDecay,
        direction,
        skipThreshold);
  }

  public KoalaVConfig withInitialCovariance(double p0) {
    return new KoalaVConfig(
        layout, p0, processNoise, measurementNoise, target, weightDecay, direction, skipThreshold);
  }

  public KoalaVConfig withProcessNoise(ProcessNoise q) {
    return new KoalaVConfig(
        layout,
        initialCovariance,
        q,
        measurementNoise,
        target,
        weightDecay,
        direction,
        skipThreshold);
  }

  public KoalaVConfig withMeasurementNoise(MeasurementNoise r) {
    return new KoalaVConfig(
        layout, initialCovariance, processNoise, r, target, weightDecay, direction, skipThreshold);
  }

  public KoalaVConfig withTarget(Target t) {
    return new KoalaVConfig(
        layout,
        initialCovariance,
        processNoise,
        measurementNoise,
        t,
        weightDecay,
        direction,
        skipThreshold);
  }

  public KoalaVConfig withWeightDecay(double lambda) {
    return new KoalaVConfig(
        layout,
        initialCovariance,
        processNoise,
        measurementNoise,
        target,
        lambda,
        direction,
        skipThreshold);
  }

  public KoalaVConfig withDirection(Direction d) {
    return new KoalaVConfig(
        layout,
        initialCovariance,
        processNoise,
        measurementNoise,
        target,
        weightDecay,
        d,
        skipThreshold);
  }

  public KoalaVConfig withSkipThreshold(double threshold) {
    return new KoalaVConfig(
        layout,
        initialCovariance,
        processNoise,
        measurementNoise,
        target,
        weightDecay,
        direction,
        threshold);
  }
}
