package io.koala.optimizer;

import io.koala.state.OptimizerState;

/**
 * A pure optimizer: hyperparameters fixed at construction, state an immutable record.
 *
 * <p>One training step is: evaluate the model's loss and gradient at {@link #evaluationPoint}, then
 * call {@link #step}. Neither method modifies its arguments; {@code step} returns a new state (or,
 * when the divergence guard refuses, the very state it was given) and a report.
 *
 * <pre>{@code
 * Optimizer<KoalaVState> koala = new KoalaV(KoalaVConfig.reference(model.layerwiseLayout()));
 * KoalaVState state = koala.initialState(model.initialParameters(42));
 * for (Batch batch : batches) {
 *   Observation seen = model.evaluate(koala.evaluationPoint(state), batch);
 *   state = koala.step(state, seen).state();
 * }
 * }</pre>
 */
public interface Optimizer<S extends OptimizerState> {

  /** Short stable name, as in {@code koala.optimizer}: koala-v, koala-m, koala-pp, sgd, adam. */
  String name();

  BlockLayout layout();

  /** The hyperparameters this optimizer was built with (its preset and overrides). */
  Record config();

  /** The state before the first step; {@code initialParameters} is copied. */
  S initialState(double[] initialParameters);

  /**
   * Where the loss and gradient of the next batch must be evaluated: the parameters for most
   * variants, the predicted point θ_{k−1} + v_{k−1} for KOALA-M. Callers must not modify it.
   */
  double[] evaluationPoint(S state);

  StepResult<S> step(S state, Observation observation);

  /**
   * Whether {@link #step} takes an observation with a {@link Observation#sparseGradient sparse
   * gradient}, at a cost of O(non-zeros) rather than O(d). Such a step is the one exception to the
   * rule that a step never modifies its arguments: it <b>updates the state's parameters and
   * per-coordinate buffers (velocity, moments) in place</b>, so the caller hands the state over (an
   * accepted step returns a state that shares those arrays; the state given must not be used
   * again). A refused step leaves the state as it was. Whether the result is the dense step's is
   * {@link #sparseStepIsDenseStep}.
   */
  default boolean stepsSparse() {
    return false;
  }

  /**
   * Whether the {@linkplain #stepsSparse sparse step} gives the dense step's result on the same
   * gradient, bit for bit (true for KOALA-V and plain SGD); false for the lazy variants of SGD and
   * Adam, which move only the coordinates a sparse gradient touches and so are other optimizers, to
   * be used on every path.
   */
  default boolean sparseStepIsDenseStep() {
    return true;
  }

  /**
   * A copy of {@code state} that shares no array with it, to be stepped in place while the original
   * is still held elsewhere (the race's members after a move are one state). Only optimizers that
   * {@link #stepsSparse step sparse} need it.
   */
  default S detach(S state) {
    throw new UnsupportedOperationException(name() + " does not step in place");
  }

  /**
   * This optimizer's state for a state restored from a savepoint written with another preset of the
   * same kind: the state itself, except for the {@code auto} race, which adopts one filter's state
   * as all three of its members ({@code RaceState.adopt}).
   */
  @SuppressWarnings("unchecked")
  default S adopt(OptimizerState restored) {
    return (S) restored;
  }

  /**
   * The parameters whose prequential errors feed the drift detector: the answering parameters for
   * most optimizers; for the {@code auto} race its lowest-Q member, the stable learner that keeps
   * the old concept longest, so that a jump shows in its errors first and most clearly. Callers
   * must not modify it.
   */
  default double[] monitoredPoint(S state) {
    return state.parameters();
  }

  /**
   * Where the next batch must be evaluated when the optimizer keeps several candidate models (the
   * {@code auto} preset's {@link ProcessNoiseRace}): one point per candidate; for every other
   * optimizer its single {@link #evaluationPoint}. Callers must not modify them.
   */
  default double[][] evaluationPoints(S state) {
    return new double[][] {evaluationPoint(state)};
  }

  /**
   * One step from the batch's observations at {@link #evaluationPoints}, in their order; for a
   * single-point optimizer the same as {@link #step(OptimizerState, Observation)}.
   */
  default StepResult<S> step(S state, Observation[] observations) {
    if (observations.length != 1) {
      throw new IllegalArgumentException(
          name() + " takes one observation per step, not " + observations.length);
    }
    return step(state, observations[0]);
  }

  /**
   * An isotropic summary of the parameter covariance (p for KOALA-V, P00 for KOALA-M, the mean
   * Rayleigh quotient H·v/‖H‖² over visited blocks for KOALA++), used for predictive variances; NaN
   * for optimizers without a filter.
   */
  double covariance(S state);

  /** The current measurement-noise estimate R_k (NaN without a filter). */
  double measurementNoise(S state);

  /** The process noise Q_k in use for the next step (NaN without a filter). */
  double processNoise(S state);
}
