package io.koala.noise;

import static org.assertj.core.api.Assertions.assertThat;

import io.koala.optimizer.BlockLayout;
import io.koala.optimizer.Observation;
import io.koala.optimizer.Optimizer;
import io.koala.optimizer.OptimizerKind;
import io.koala.optimizer.OptimizerSpec;
import io.koala.optimizer.Optimizers;
import io.koala.optimizer.Preset;
import io.koala.state.OptimizerState;
import org.junit.jupiter.api.Test;

/** The R_k estimator's floor: a perfect fit keeps the filter stepping. */
class MeasurementNoiseTest {

  @Test
  void update_tenThousandZeroLosses_staysAtOrAboveTheFloor() {
    MeasurementNoise r = MeasurementNoise.reference();
    double value = r.initialValue();
    for (int k = 0; k < 10_000; k++) {
      value = r.update(value, new double[] {0.0, 0.0}, 0.0);
    }
    assertThat(value).isEqualTo(MeasurementNoise.FLOOR).isPositive();
  }

  @Test
  void update_aboveTheFloor_isThePlainMovingAverage() {
    MeasurementNoise r = MeasurementNoise.reference();
    assertThat(r.update(1.0, new double[] {1e-150, 3e-150}, 0.0))
        .isEqualTo(0.9 * 1.0 + 0.1 * 5e-300);
    assertThat(r.update(Double.NaN, new double[] {1.0}, 0.0)).isNaN();
  }

  /**
   * A perfect fit (every loss and gradient exactly 0): at β_R = 0.5 the unfloored R reaches exactly
   * 0 after about 1,080 steps and the divergence guard refuses every step from then on (at β_R =
   * 0.9 it sticks at a subnormal, 2.5e-323, having lost all precision).
   */
  @Test
  void everyKoalaOptimizer_tenThousandZeroLossSteps_areAccepted_andTheStateStaysFinite() {
    BlockLayout layout = BlockLayout.ofSizes(3, 2);
    double[] theta = {0.1, -0.2, 0.3, 0.4, -0.5};
    for (OptimizerKind kind :
        new OptimizerKind[] {
          OptimizerKind.KOALA_V, OptimizerKind.KOALA_M, OptimizerKind.KOALA_PP
        }) {
      for (Preset preset : Preset.values()) {
        for (double beta : new double[] {0.5, 0.9}) {
          String name = kind + " " + preset + " β_R " + beta;
          Optimizer<OptimizerState> optimizer =
              Optimizers.create(
                  kind, preset, OptimizerSpec.of(layout).withMeasurementNoiseBeta(beta));
          OptimizerState state = optimizer.initialState(theta);
          for (int k = 0; k < 10_000; k++) {
            var result =
                step(
                    optimizer, state, new Observation(0.0, new double[] {0.0, 0.0}, new double[5]));
            assertThat(result.report().accepted()).as("%s step %d", name, k + 1).isTrue();
            state = result.state();
          }
          assertThat(state.parameters()).as(name).containsExactly(theta);
          assertThat(optimizer.measurementNoise(state))
              .as(name)
              .isGreaterThanOrEqualTo(MeasurementNoise.FLOOR);
          assertThat(optimizer.covariance(state)).as(name).isFinite().isPositive();
          // A real loss afterwards is still a finite step.
          var after =
              step(
                  optimizer,
                  state,
                  new Observation(
                      0.5, new double[] {0.5, 0.5}, new double[] {1, -1, 0.5, 0.2, 0.1}));
          assertThat(after.report().accepted()).as(name).isTrue();
          for (double p : after.state().parameters()) {
            assertThat(p).as(name).isFinite();
          }
        }
      }
    }
  }

  /** One step with the same observation at each of the optimizer's evaluation points. */
  private static io.koala.optimizer.StepResult<OptimizerState> step(
      Optimizer<OptimizerState> optimizer, OptimizerState state, Observation seen) {
    Observation[] all = new Observation[optimizer.evaluationPoints(state).length];
    java.util.Arrays.fill(all, seen);
    return optimizer.step(state, all);
  }
}
