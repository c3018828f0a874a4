package io.koala.optimizer;

/** Checks on observations, off the hot path (used only once a step has already failed). */
final class Observations {

  private Observations() {}

  /**
   * The refusal of a step without a filter (SGD, Adam) whose new values are not finite: for the
   * observation when it is not finite itself, else for the state it would make.
   */
  static <S> StepResult<S> refuse(S state, Observation observation) {
    Refusal why = isFinite(observation) ? Refusal.NON_FINITE_STATE : Refusal.NON_FINITE_OBSERVATION;
    return new StepResult<>(state, StepReport.refused(why, Double.NaN));
  }

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
