package io.koala.optimizer;

import io.koala.noise.MeasurementNoise;
import io.koala.noise.Target;

/** The defaults the KOALA presets share, each written once. */
final class PresetDefaults {

  /** ε_skip: a block whose raw gradient norm is below it is left untouched. */
  static final double SKIP_THRESHOLD = 1e-9;

  /** η of the reference target (1 − η) L: 1, the target 0 of all official code. */
  static final double LEARNING_RATE = 1.0;

  private PresetDefaults() {}

  /** The reference target (1 − η) L with η = {@link #LEARNING_RATE}. */
  static Target target() {
    return Target.reference(LEARNING_RATE);
  }

  /** The reference R_k: an EMA of mean ℓ² (see {@link MeasurementNoise#reference}). */
  static MeasurementNoise measurementNoise() {
    return MeasurementNoise.reference();
  }
}
