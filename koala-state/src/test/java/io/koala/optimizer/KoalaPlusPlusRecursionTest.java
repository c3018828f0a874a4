package io.koala.optimizer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.koala.model.Batch;
import io.koala.model.LinearModel;
import io.koala.noise.MeasurementNoise;
import io.koala.noise.ProcessNoise;
import io.koala.noise.Target;
import io.koala.optimizer.KoalaPlusPlusConfig.Initialisation;
import io.koala.state.DriftState;
import io.koala.state.KoalaPlusPlusState;
import io.koala.testing.Streams;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** KOALA++'s recursion when Q changes between steps, and the reset guard on uphill rows. */
class KoalaPlusPlusRecursionTest {

  private static KoalaPlusPlusConfig config(
      ProcessNoise q, double r, double sigma, boolean resetGuard) {
    return new KoalaPlusPlusConfig(
        BlockLayout.global(1),
        sigma,
        q,
        MeasurementNoise.fixed(r),
        Target.reference(1.0),
        0.0,
        true,
        Initialisation.REFERENCE,
        1e-9,
        resetGuard);
  }

  private static Observation batch(int size, double loss, double gradient) {
    double[] losses = new double[size];
    Arrays.fill(losses, loss);
    return new Observation(loss, losses, new double[] {gradient});
  }

  /**
   * With one parameter and the same gradient every step (H = h⁻, so α = 1 and w = 0) the surrogate
   * is exact: v_k = g p_{k−1} and S_k = g²(p_{k−1} + Q_k) + R of the scalar Kalman filter, also
   * when Q_k changes from step to step (per-example Q over batches of 1 and 64 examples).
   */
  @Test
  void perExampleQ_batchesOfVaryingSize_followTheScalarKalmanFilter() {
    double g = 1.0;
    double q = 0.01;
    double r = 0.01;
    double sigma = 0.1;
    KoalaPlusPlus koala =
        new KoalaPlusPlus(config(ProcessNoise.constant(q).withPerExample(true), r, sigma, false));
    KoalaPlusPlusState state = koala.initialState(new double[] {0.5});
    int[] sizes = {1, 64, 1, 64, 64, 1, 1, 64};
    // The REFERENCE first visit: a faked step 0 from σ with the first step's Q.
    double prior = sigma + q * sizes[0];
    double p = prior * r / (g * g * prior + r);
    for (int k = 0; k < sizes.length; k++) {
      double qk = q * sizes[k];
      var result = koala.step(state, batch(sizes[k], 0.3, g));
      assertThat(result.report().accepted()).as("step %d", k + 1).isTrue();
      state = result.state();
      double s = g * g * (p + qk) + r;
      assertThat(state.covarianceRow()[0])
          .as("v at step %d", k + 1)
          .isCloseTo(g * p, within(1e-12));
      assertThat(state.innovationVariance()[0])
          .as("S at step %d", k + 1)
          .isCloseTo(s, within(1e-12));
      p = (p + qk) * r / s;
    }
    assertThat(state.previousProcessNoise()).containsExactly(q * sizes[sizes.length - 1]);
  }

  /**
   * Adaptive Q on regression streams whose weights jump: an alarm raises Q between two steps. With
   * the previous step's Q in λ_k the recursion stays a Kalman update and no step needs the guard.
   */
  @Test
  void adaptiveQ_jumpingStreams_noStepIsRefused_withoutTheResetGuard() {
    LinearModel model = LinearModel.linearRegression(5);
    double[] weights = {1.5, -2, 0.5, 3, 1};
    double[] jumped = {-1, 2.5, -1.5, 0, -2};
    KoalaPlusPlus koala =
        new KoalaPlusPlus(
            KoalaPlusPlusConfig.reference(model.layerwiseLayout())
                .withProcessNoise(ProcessNoise.adaptive(0.1)));
    assertThat(koala.config().resetGuard()).isFalse();
    for (long seed = 1; seed <= 10; seed++) {
      KoalaPlusPlusState state = koala.initialState(model.initialParameters(1));
      int refused = 0;
      for (Batch batch : Streams.regression(seed, 600, 16, weights, jumped, 300, 0.1)) {
        var result = koala.step(state, model.evaluate(koala.evaluationPoint(state), batch));
        refused += result.report().accepted() ? 0 : 1;
        state = result.state();
      }
      assertThat(refused).as("seed %d: refused steps", seed).isZero();
    }
  }

  /**
   * A row that points against H with 0 &lt; S &lt; R: S is positive, yet H·v &lt; 0 and the step (v
   * + Q H)/S would go uphill. Hand-checked: h⁻ = H = 1, v⁻ = 1, S⁻ = 0.5, Q = 0, R = 2 give λ = 2,
   * v = −1, S = 1; the guard must reset (v = σH, S = σ + R) and step downhill.
   */
  @Test
  void resetGuard_rowAgainstTheGradientWithSBelowR_resetsAndStepsDownhill() {
    double sigma = 0.1;
    double r = 2.0;
    KoalaPlusPlus koala = new KoalaPlusPlus(config(ProcessNoise.constant(0.0), r, sigma, true));
    KoalaPlusPlusState uphill =
        new KoalaPlusPlusState(
            1,
            new double[] {0.0},
            new double[] {1.0},
            new double[] {1.0},
            new double[] {0.5},
            r,
            DriftState.initial(0.0));
    var result = koala.step(uphill, batch(4, 1.0, 1.0));
    assertThat(result.report().accepted()).isTrue();
    KoalaPlusPlusState after = result.state();
    assertThat(after.covarianceRow()[0]).isEqualTo(sigma);
    assertThat(after.innovationVariance()[0]).isEqualTo(sigma + r);
    // θ − e σH/(σ + R) with e = L = 1 and H = 1: downhill.
    assertThat(after.parameters()[0]).isCloseTo(-sigma / (sigma + r), within(1e-15));
  }
}
