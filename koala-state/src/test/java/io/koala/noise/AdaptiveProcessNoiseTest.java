package io.koala.noise;

import static org.assertj.core.api.Assertions.assertThat;

import io.koala.model.Batch;
import io.koala.model.LinearModel;
import io.koala.optimizer.KoalaPlusPlus;
import io.koala.optimizer.KoalaPlusPlusConfig;
import io.koala.optimizer.KoalaV;
import io.koala.optimizer.KoalaVConfig;
import io.koala.optimizer.Optimizer;
import io.koala.optimizer.StepResult;
import io.koala.state.OptimizerState;
import io.koala.testing.Streams;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Adaptive Q_k and the drift statistic on fixed-seed regression streams whose weights jump. */
class AdaptiveProcessNoiseTest {

  private static final double[] WEIGHTS = {1.5, -2, 0.5, 3, 1};
  private static final double[] JUMPED = {-1, 2.5, -1.5, 0, -2};
  private static final int BATCHES = 600;
  private static final int JUMP = 300;
  private static final int BATCH_SIZE = 16;
  private static final LinearModel MODEL = LinearModel.linearRegression(WEIGHTS.length);

  /** Q_k and alarms of one run. */
  private record Trace(double[] processNoise, List<Integer> alarms) {}

  @SuppressWarnings("unchecked")
  private static Optimizer<OptimizerState> optimizer(String name) {
    Optimizer<?> o =
        name.equals("koala-v")
            ? new KoalaV(
                KoalaVConfig.reference(MODEL.layerwiseLayout())
                    .withProcessNoise(ProcessNoise.adaptive(1.0)))
            // An alarm's jump in Q can leave KOALA++'s least-squares S non-positive: with adaptive
            // Q
            // it runs with its reset guard (as the engine's stream defaults do).
            : new KoalaPlusPlus(
                KoalaPlusPlusConfig.reference(MODEL.layerwiseLayout())
                    .withProcessNoise(ProcessNoise.adaptive(0.1))
                    .withResetGuard(true));
    return (Optimizer<OptimizerState>) o;
  }

  private static Trace run(Optimizer<OptimizerState> optimizer, Batch[] batches) {
    OptimizerState state = optimizer.initialState(MODEL.initialParameters(1));
    double[] q = new double[batches.length];
    List<Integer> alarms = new ArrayList<>();
    for (int k = 0; k < batches.length; k++) {
      StepResult<OptimizerState> result =
          optimizer.step(state, MODEL.evaluate(optimizer.evaluationPoint(state), batches[k]));
      assertThat(result.report().accepted()).as("step %d accepted", k).isTrue();
      state = result.state();
      q[k] = optimizer.processNoise(state);
      if (result.report().driftDetected()) {
        alarms.add(k);
      }
    }
    return new Trace(q, alarms);
  }

  @ParameterizedTest
  @ValueSource(strings = {"koala-v", "koala-pp"})
  void abruptJump_raisesProcessNoiseThenDecays_andAlarmsWithinFiveBatches(String name) {
    Optimizer<OptimizerState> optimizer = optimizer(name);
    double base = optimizer.processNoise(optimizer.initialState(MODEL.initialParameters(1)));
    for (long seed = 1; seed <= 5; seed++) {
      Trace trace =
          run(optimizer, Streams.regression(seed, BATCHES, BATCH_SIZE, WEIGHTS, JUMPED, JUMP, 0.1));
      double before = max(trace.processNoise(), 50, JUMP);
      double after = max(trace.processNoise(), JUMP, JUMP + 10);
      assertThat(before).as("seed %d: Q before the jump", seed).isLessThan(2 * base);
      assertThat(after).as("seed %d: Q after the jump", seed).isGreaterThan(3 * base);
      assertThat(trace.processNoise()[JUMP + 60])
          .as("seed %d: Q 60 batches later", seed)
          .isLessThan(1.1 * base);
      assertThat(trace.alarms())
          .as("seed %d: alarms", seed)
          .anySatisfy(k -> assertThat(k).isBetween(JUMP, JUMP + 5))
          .allSatisfy(k -> assertThat(k).isGreaterThanOrEqualTo(JUMP));
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"koala-v", "koala-pp"})
  void stationaryStream_neverAlarms_andKeepsProcessNoiseNearBase(String name) {
    Optimizer<OptimizerState> optimizer = optimizer(name);
    double base = optimizer.processNoise(optimizer.initialState(MODEL.initialParameters(1)));
    for (long seed = 1001; seed <= 1005; seed++) {
      Trace trace =
          run(optimizer, Streams.regression(seed, BATCHES, BATCH_SIZE, WEIGHTS, WEIGHTS, -1, 0.1));
      assertThat(trace.alarms()).as("seed %d: alarms", seed).isEmpty();
      assertThat(max(trace.processNoise(), 0, BATCHES))
          .as("seed %d: max Q", seed)
          .isLessThan(2 * base);
    }
  }

  private static double max(double[] values, int from, int to) {
    double max = Double.NEGATIVE_INFINITY;
    for (int i = from; i < to; i++) {
      max = Math.max(max, values[i]);
    }
    return max;
  }
}
