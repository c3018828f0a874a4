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
    return new KoalaVConfig(layout, 0.1, ProcessNoise.constant(1.0), MeasurementNoise.reference(),
        Target.reference(1.0), 0.0, Direction.RAW_GRADIENT, 1e-9);
  }

  public KoalaVConfig withProcessNoise(ProcessNoise q) {
    return new KoalaVConfig(layout, initialCovariance, q, measurementNoise, target, weightDecay,
        direction, skipThreshold);
  }

  public KoalaVConfig withTarget(Target t) {
    return new KoalaVConfig(layout, initialCovariance, processNoise, measurementNoise, t,
        weightDecay, direction, skipThreshold);
  }
}
