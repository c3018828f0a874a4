package io.koala.noise;

/**
 * The loss-adaptive target L^target_k, given by the innovation e_k = L_k − L^target_k it implies.
 *
 * <p>Schemes (docs/algorithms.md#target): {@link Scheme#RELATIVE} is (b), L^target = (1 − ε_k) L, e
 * = ε_k L; the reference code is (b) with ε_k = η_k, and η = 1 gives the target 0. {@link
 * Scheme#OFFSET} is (a), L^target = L − ε_k, e = ε_k, independent of the loss (the GAN target is
 * (a) with ε = 4).
 *
 * @param scheme relative (b, the reference) or offset (a)
 * @param epsilon ε_k as a schedule: constant, or c / k (Σε = ∞, Σε² < ∞, as Theorem 1 needs)
 */
public record Target(Scheme scheme, Schedule epsilon) {

  /** How the target relates to the loss. */
  public enum Scheme {
    /** (a): L^target = L − ε_k. */
    OFFSET,
    /** (b) and the reference: L^target = (1 − ε_k) L. */
    RELATIVE
  }

  public Target {
    if (scheme == null || epsilon == null) {
      throw new IllegalArgumentException("target scheme and epsilon must be set");
    }
  }

  /** The reference target of all official code: (1 − η) L with a constant learning rate η. */
  public static Target reference(double learningRate) {
    return new Target(Scheme.RELATIVE, Schedule.constant(learningRate));
  }

  /** The innovation e_k for a (block) loss at iteration k. */
  public double innovation(long k, double loss) {
    double eps = epsilon.at(k);
    return scheme == Scheme.OFFSET ? eps : eps * loss;
  }
}
