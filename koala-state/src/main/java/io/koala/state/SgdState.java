package io.koala.state;

/**
 * SGD state.
 *
 * @param step steps taken
 * @param parameters θ
 * @param velocity the momentum buffer (empty without momentum)
 */
public record SgdState(long step, double[] parameters, double[] velocity)
    implements OptimizerState {

  /** A copy that shares no array with this state. */
  public SgdState deepCopy() {
    return new SgdState(step, parameters.clone(), velocity.clone());
  }
}
