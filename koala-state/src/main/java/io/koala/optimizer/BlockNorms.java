package io.koala.optimizer;

/**
 * The first pass of the Kalman steps: per block b the squared norms ‖g_b‖² (raw gradient), ‖g̃_b‖²
 * with g̃ = g + λθ (regularised gradient) and ‖θ_b‖², and Σ_b ‖g̃_b‖² to check the observation is
 * finite.
 */
final class BlockNorms {

  /** Doubles per block in an array filled by {@link #accumulate}: raw, regularised, parameters. */
  static final int STRIDE = 3;

  private final double[] norms;
  private final double total;

  private BlockNorms(double[] norms, double total) {
    this.norms = norms;
    this.total = total;
  }

  /** The three squared norms of every block, g̃ = g + λθ. */
  static BlockNorms of(BlockLayout layout, double[] g, double[] theta, double decay) {
    int blocks = layout.blockCount();
    double[] norms = new double[STRIDE * blocks];
    double total = 0.0;
    for (int b = 0; b < blocks; b++) {
      accumulate(g, theta, decay, layout.start(b), layout.end(b), norms, STRIDE * b);
      total += norms[STRIDE * b + 1];
    }
    return new BlockNorms(norms, total);
  }

  /**
   * The squared norms when λ = 0: g̃ = g and ‖θ_b‖² only enters through λ, so one squared norm per
   * block is all a step needs (‖θ_b‖² is reported as 0).
   */
  static BlockNorms withoutDecay(BlockLayout layout, double[] g) {
    int blocks = layout.blockCount();
    double[] norms = new double[STRIDE * blocks];
    double total = 0.0;
    for (int b = 0; b < blocks; b++) {
      double raw = 0.0;
      for (int i = layout.start(b), end = layout.end(b); i < end; i++) {
        double gi = g[i];
        raw += gi * gi;
      }
      norms[STRIDE * b] = raw;
      norms[STRIDE * b + 1] = raw;
      norms[STRIDE * b + 2] = 0.0;
      total += raw;
    }
    return new BlockNorms(norms, total);
  }

  /**
   * Writes ‖g‖², ‖g + λθ‖² and ‖θ‖² over [start, end) to {@code out[o]}, {@code out[o + 1]} and
   * {@code out[o + 2]}, each summed left to right.
   */
  static void accumulate(
      double[] g, double[] theta, double decay, int start, int end, double[] out, int o) {
    double raw = 0.0;
    double reg = 0.0;
    double par = 0.0;
    for (int i = start; i < end; i++) {
      double gi = g[i];
      double ti = theta[i];
      double ri = gi + decay * ti;
      raw += gi * gi;
      reg += ri * ri;
      par += ti * ti;
    }
    out[o] = raw;
    out[o + 1] = reg;
    out[o + 2] = par;
  }

  /** Σ_b ‖g̃_b‖²: not finite when the gradient (or λθ) is not. */
  double total() {
    return total;
  }

  /** Whether the skip rule leaves block b untouched: ‖g_b‖ &lt; ε_skip on the raw gradient. */
  boolean skips(int b, double skipThreshold) {
    return Math.sqrt(norms[STRIDE * b]) < skipThreshold;
  }

  /** ‖g̃_b‖². */
  double regularised(int b) {
    return norms[STRIDE * b + 1];
  }

  /** ‖θ_b‖² (0 from {@link #withoutDecay}). */
  double parameters(int b) {
    return norms[STRIDE * b + 2];
  }
}
