package io.koala.benchmarks;

import io.koala.optimizer.BlockLayout;
import io.koala.optimizer.Observation;
import io.koala.optimizer.Optimizer;
import io.koala.optimizer.StepReport;
import io.koala.optimizer.StepResult;
import io.koala.state.KoalaVState;

/**
 * The floor of the throughput harness: KOALA-V's state and evaluation point, but a step that only
 * counts (same parameters, version + 1). Everything around the step stays as in the real job.
 */
final class NoOpUpdate implements Optimizer<KoalaVState> {

  private static final StepReport NOTHING =
      new StepReport(Double.NaN, Double.NaN, 0.0, 0, null, false, 0.0);

  private final Optimizer<KoalaVState> shape;

  NoOpUpdate(Optimizer<KoalaVState> shape) {
    this.shape = shape;
  }

  @Override
  public String name() {
    return "no-op";
  }

  @Override
  public BlockLayout layout() {
    return shape.layout();
  }

  @Override
  public Record config() {
    return shape.config();
  }

  @Override
  public KoalaVState initialState(double[] initialParameters) {
    return shape.initialState(initialParameters);
  }

  /** As KOALA-V's: the floor takes the same sparse path (its step reads no gradient at all). */
  @Override
  public boolean stepsSparse() {
    return shape.stepsSparse();
  }

  @Override
  public double[] evaluationPoint(KoalaVState state) {
    return state.parameters();
  }

  @Override
  public StepResult<KoalaVState> step(KoalaVState state, Observation observation) {
    return new StepResult<>(
        new KoalaVState(
            state.step() + 1,
            state.parameters(),
            state.covariance(),
            state.measurementNoise(),
            state.drift()),
        NOTHING);
  }

  @Override
  public double covariance(KoalaVState state) {
    return state.covariance();
  }

  @Override
  public double measurementNoise(KoalaVState state) {
    return state.measurementNoise();
  }

  @Override
  public double processNoise(KoalaVState state) {
    return 1.0;
  }
}
