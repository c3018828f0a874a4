package io.koala.optimizer;

/**
 * Which gradient moves KOALA-V's parameters when weight decay is on
 * (docs/algorithms.md#weight-decay).
 */
public enum Direction {
  /** The reference code: θ_b ← θ_b − γ_b g_b with the raw gradient (S_b still uses g + λθ). */
  RAW_GRADIENT,
  /** The consistent version: θ_b ← θ_b − γ_b (g_b + λθ_b). */
  REGULARISED_GRADIENT
}
