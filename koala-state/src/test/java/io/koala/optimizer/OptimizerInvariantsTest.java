package io.koala.optimizer;

import static org.assertj.core.api.Assertions.assertThat;

import io.koala.model.Batch;
import io.koala.model.LinearModel;
import io.koala.state.OptimizerState;
import io.koala.testing.Optimizers;
import io.koala.testing.Streams;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** What must hold for every optimizer, with constant and with adaptive process noise. */
class OptimizerInvariantsTest {

  private static final double[] TRUE_WEIGHTS = {2.0, -1.0, 0.5, 0.0, 3.0, -2.0};

  @ParameterizedTest
  @ValueSource(booleans = {false, true})
  void everyStep_isFinite_positive_pure_andCounted(boolean adaptive) {
    LinearModel model = LinearModel.logisticRegression(TRUE_WEIGHTS.length);
    Batch[] batches = Streams.logistic(7, 300, 16, TRUE_WEIGHTS);
    for (Optimizer<OptimizerState> optimizer : Optimizers.all(model.layerwiseLayout(), adaptive)) {
      OptimizerState state = optimizer.initialState(model.initialParameters(3));
      double firstLoss = Double.NaN;
      double lastLoss = Double.NaN;
      for (int k = 0; k < batches.length; k++) {
        double[] before = state.parameters().clone();
        double[] point = optimizer.evaluationPoint(state);
        var seen = model.evaluate(point, batches[k]);
        double[] gradient = seen.gradient().clone();
        var result = optimizer.step(state, seen);
        String at = optimizer.name() + " step " + (k + 1);
        assertThat(result.report().accepted()).as(at).isTrue();
        assertThat(state.parameters()).as(at + ": input state untouched").containsExactly(before);
        assertThat(seen.gradient()).as(at + ": observation untouched").containsExactly(gradient);
        state = result.state();
        assertThat(state.step()).as(at).isEqualTo(k + 1);
        assertThat(java.util.Arrays.stream(state.parameters())).as(at).allMatch(Double::isFinite);
        if (!Double.isNaN(optimizer.covariance(state))) {
          assertThat(optimizer.covariance(state)).as(at + ": covariance").isPositive();
          assertThat(optimizer.measurementNoise(state)).as(at + ": R").isPositive();
          assertThat(optimizer.processNoise(state)).as(at + ": Q").isGreaterThanOrEqualTo(0);
        }
        if (k == 0) {
          firstLoss = seen.loss();
        }
        if (k >= batches.length - 20) {
          lastLoss = k == batches.length - 20 ? seen.loss() / 20 : lastLoss + seen.loss() / 20;
        }
      }
      assertThat(lastLoss).as(optimizer.name() + ": it learns").isLessThan(0.6 * firstLoss);
    }
  }
}
