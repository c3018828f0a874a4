package io.koala.optimizer;

/** Checks on observations, off the hot path (used only once a step has already failed). */
final class Observations {

  private Observations() {}

  static boolean isFinite(Observation observation) {
    if (!Double.isFinite(observation.loss())) {
      return false;
    }
    double[] gradient =
        observation.isSparse() ? observation.sparseGradient().values() : observation.gradient();
    for (double g : gradient) {
      if (!Double.isFinite(g)) {
        return false;
      }
    }
    return true;
  }
}
