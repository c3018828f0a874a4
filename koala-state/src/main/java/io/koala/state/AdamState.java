package io.koala.state;

/**
 * Adam state.
 *
 * @param step steps taken (t in the bias corrections)
 * @param parameters θ
 * @param firstMoment m
 * @param secondMoment v
 */
public record AdamState(long step, double[] parameters, double[] firstMoment, double[] secondMoment)
    implements OptimizerState {

  /** A copy that shares no array with this state. */
  public AdamState deepCopy() {
    return new AdamState(step, parameters.clone(), firstMoment.clone(), secondMoment.clone());
  }
}
