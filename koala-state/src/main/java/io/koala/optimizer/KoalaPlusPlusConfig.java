package io.koala.optimizer;

import io.koala.noise.MeasurementNoise;
import io.koala.noise.ProcessNoise;
import io.koala.noise.Target;

/**
 * KOALA++ hyperparameters (docs/algorithms.md#koala-pp; the job's values: #presets).
 *
 * @param layout the parameter blocks
 * @param initialCovariance σ²_0 ({@code sigma}: the code multiplies H by it, so it is a variance)
 * @param processNoise Q: constant (reference) or adaptive
 * @param measurementNoise the R_k estimator
 * @param target the loss-adaptive target
 * @param weightDecay λ (included in H = g + λθ, hence in the recursion and the direction)
 * @param symmetric the symmetric least-squares surrogate of P_{k−2} (else the asymmetric one)
 * @param initialisation which reading of the first visit of a block
 *     (docs/algorithms.md#first-visit-of-a-block)
 * @param skipThreshold ε_skip on a block's raw gradient norm
 * @param resetGuard the optional guard (docs/algorithms.md#reset-guard): a block whose S_k ≤
 *     Q_k‖H‖² + R_k (the row v points against H, H·v ≤ 0, and the step could go uphill) is reset to
 *     v = σH and takes a KOALA-V step (off in the reference; when off a step with S_k ≤ 0 is
 *     refused by the divergence guard)
 */
public record KoalaPlusPlusConfig(
    BlockLayout layout,
    double initialCovariance,
    ProcessNoise processNoise,
    MeasurementNoise measurementNoise,
    Target target,
    double weightDecay,
    boolean symmetric,
    Initialisation initialisation,
    double skipThreshold,
    boolean resetGuard) {

  /** The three readings of KOALA++'s first step (docs/algorithms.md#first-visit-of-a-block). */
  public enum Initialisation {
    /** The official code: fake a previous visit with h⁻ = H_1, v⁻ = σH_1, then recurse and step. */
    REFERENCE,
    /** v_1 = σH_1, S_1 = H_1·v_1 + Q‖H_1‖² + R_1, and a step with them (a KOALA-V step). */
    EKF,
    /** As EKF, but the first visit only initialises v_1 and S_1; θ does not move. */
    BOX
  }

  public KoalaPlusPlusConfig {
    Checks.notNull(layout, "layout");
    Checks.positive(initialCovariance, "covariance.initial");
    Checks.notNull(processNoise, "processNoise");
    Checks.notNull(measurementNoise, "measurementNoise");
    Checks.notNull(target, "target");
    Checks.nonNegative(weightDecay, "weight-decay");
    Checks.notNull(initialisation, "initialisation");
    Checks.nonNegative(skipThreshold, "skip-threshold");
  }

  /** The CIFAR harness defaults of the official code: σ = Q = 0.1, η = 1, symmetric. */
  public static KoalaPlusPlusConfig reference(BlockLayout layout) {
    return new KoalaPlusPlusConfig(
        layout,
        0.1,
        ProcessNoise.constant(0.1),
        PresetDefaults.measurementNoise(),
        PresetDefaults.target(),
        0.0,
        true,
        Initialisation.REFERENCE,
        PresetDefaults.SKIP_THRESHOLD,
        false);
  }

  /**
   * For drifting streams: the reference with Q adapted from 0.003 per example ({@link
   * ProcessNoise#stream}) and the reset guard on, which the adaptive Q's alarms need.
   */
  public static KoalaPlusPlusConfig stream(BlockLayout layout) {
    return reference(layout).withProcessNoise(ProcessNoise.stream(0.003)).withResetGuard(true);
  }

  /**
   * A member of the auto preset's race ({@link ProcessNoiseRace}): the reference with a constant Q
   * per example (the race sets its level) and the reset guard on.
   */
  public static KoalaPlusPlusConfig auto(BlockLayout layout) {
    return reference(layout)
        .withProcessNoise(ProcessNoise.constant(1e-4).withPerExample(true))
        .withResetGuard(true);
  }

  public KoalaPlusPlusConfig withLayout(BlockLayout l) {
    return new KoalaPlusPlusConfig(
        l,
        initialCovariance,
        processNoise,
        measurementNoise,
        target,
        weightDecay,
        symmetric,
        initialisation,
        skipThreshold,
        resetGuard);
  }

  public KoalaPlusPlusConfig withInitialCovariance(double sigma) {
    return new KoalaPlusPlusConfig(
        layout,
        sigma,
        processNoise,
        measurementNoise,
        target,
        weightDecay,
        symmetric,
        initialisation,
        skipThreshold,
        resetGuard);
  }

  public KoalaPlusPlusConfig withProcessNoise(ProcessNoise q) {
    return new KoalaPlusPlusConfig(
        layout,
        initialCovariance,
        q,
        measurementNoise,
        target,
        weightDecay,
        symmetric,
        initialisation,
        skipThreshold,
        resetGuard);
  }

  public KoalaPlusPlusConfig withMeasurementNoise(MeasurementNoise r) {
    return new KoalaPlusPlusConfig(
        layout,
        initialCovariance,
        processNoise,
        r,
        target,
        weightDecay,
        symmetric,
        initialisation,
        skipThreshold,
        resetGuard);
  }

  public KoalaPlusPlusConfig withTarget(Target t) {
    return new KoalaPlusPlusConfig(
        layout,
        initialCovariance,
        processNoise,
        measurementNoise,
        t,
        weightDecay,
        symmetric,
        initialisation,
        skipThreshold,
        resetGuard);
  }

  public KoalaPlusPlusConfig withWeightDecay(double lambda) {
    return new KoalaPlusPlusConfig(
        layout,
        initialCovariance,
        processNoise,
        measurementNoise,
        target,
        lambda,
        symmetric,
        initialisation,
        skipThreshold,
        resetGuard);
  }

  public KoalaPlusPlusConfig withSymmetric(boolean on) {
    return new KoalaPlusPlusConfig(
        layout,
        initialCovariance,
        processNoise,
        measurementNoise,
        target,
        weightDecay,
        on,
        initialisation,
        skipThreshold,
        resetGuard);
  }

  public KoalaPlusPlusConfig withInitialisation(Initialisation first) {
    return new KoalaPlusPlusConfig(
        layout,
        initialCovariance,
        processNoise,
        measurementNoise,
        target,
        weightDecay,
        symmetric,
        first,
        skipThreshold,
        resetGuard);
  }

  public KoalaPlusPlusConfig withSkipThreshold(double threshold) {
    return new KoalaPlusPlusConfig(
        layout,
        initialCovariance,
        processNoise,
        measurementNoise,
        target,
        weightDecay,
        symmetric,
        initialisation,
        threshold,
        resetGuard);
  }

  public KoalaPlusPlusConfig withResetGuard(boolean on) {
    return new KoalaPlusPlusConfig(
        layout,
        initialCovariance,
        processNoise,
        measurementNoise,
        target,
        weightDecay,
        symmetric,
        initialisation,
        skipThreshold,
        on);
  }
}
