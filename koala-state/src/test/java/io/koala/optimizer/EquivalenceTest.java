package io.koala.optimizer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.koala.model.Batch;
import io.koala.model.LinearModel;
import io.koala.noise.ProcessNoise;
import io.koala.noise.Schedule;
import io.koala.noise.Target;
import io.koala.state.AdamState;
import io.koala.state.KoalaPlusPlusState;
import io.koala.state.KoalaVState;
import io.koala.state.SgdState;
import io.koala.testing.Streams;
import org.junit.jupiter.api.Test;

/** Cases where the math says two computations must agree, and hand-checkable steps. */
class EquivalenceTest {

  private static final LinearModel MODEL = LinearModel.linearRegression(4);
  private static final Batch[] BATCHES =
      Streams.regression(11, 10, 8, new double[] {1, -1, 2, 0.5}, null, -1, 0.1);

  @Test
  void koalaV_singleBlock_covarianceIsTheScalarKalmanUpdate() {
    KoalaV koala = new KoalaV(KoalaVConfig.reference(BlockLayout.global(5)));
    KoalaVState state = koala.initialState(new double[5]);
    var seen = MODEL.evaluate(state.parameters(), BATCHES[0]);
    KoalaVState after = koala.step(state, seen).state();
    double g2 = 0;
    for (double g : seen.gradient()) {
      g2 += g * g;
    }
    double predicted = 0.1 + 1.0;
    double r = after.measurementNoise();
    // One block is the scalar Kalman update p = p̂ R / (p̂ ‖g‖² + R) (docs/algorithms.md#koala-v).
    assertThat(after.covariance()).isCloseTo(predicted * r / (predicted * g2 + r), within(1e-14));
  }

  @Test
  void koalaPlusPlus_ekfFirstStep_isAKoalaVStepWithCovarianceSigmaPlusQ() {
    BlockLayout layout = BlockLayout.global(5);
    KoalaPlusPlusConfig pp =
        new KoalaPlusPlusConfig(
            layout,
            0.1,
            ProcessNoise.constant(0.1),
            io.koala.noise.MeasurementNoise.reference(),
            Target.reference(1.0),
            0.0,
            true,
            KoalaPlusPlusConfig.Initialisation.EKF,
            1e-9,
            false);
    KoalaVConfig v =
        new KoalaVConfig(
            layout,
            0.1,
            ProcessNoise.constant(0.1),
            io.koala.noise.MeasurementNoise.reference(),
            Target.reference(1.0),
            0.0,
            Direction.RAW_GRADIENT,
            1e-9);
    double[] theta0 = {0.1, -0.2, 0.05, 0, 0.1};
    var seen = MODEL.evaluate(theta0, BATCHES[0]);
    double[] fromPp =
        new KoalaPlusPlus(pp)
            .step(new KoalaPlusPlus(pp).initialState(theta0), seen)
            .state()
            .parameters();
    double[] fromV =
        new KoalaV(v).step(new KoalaV(v).initialState(theta0), seen).state().parameters();
    for (int i = 0; i < 5; i++) {
      assertThat(fromPp[i]).isCloseTo(fromV[i], within(1e-14));
    }
  }

  @Test
  void koalaPlusPlus_symmetricAndAsymmetric_agreeOnTheFirstTwoSteps() {
    double[] theta0 = {0.1, -0.2, 0.05, 0, 0.1};
    KoalaPlusPlusConfig sym = KoalaPlusPlusConfig.reference(MODEL.layerwiseLayout());
    KoalaPlusPlusConfig asym =
        new KoalaPlusPlusConfig(
            sym.layout(),
            sym.initialCovariance(),
            sym.processNoise(),
            sym.measurementNoise(),
            sym.target(),
            0.0,
            false,
            sym.initialisation(),
            sym.skipThreshold(),
            false);
    KoalaPlusPlus a = new KoalaPlusPlus(sym);
    KoalaPlusPlus b = new KoalaPlusPlus(asym);
    KoalaPlusPlusState sa = a.initialState(theta0);
    KoalaPlusPlusState sb = b.initialState(theta0);
    for (int k = 0; k < 2; k++) {
      sa = a.step(sa, MODEL.evaluate(sa.parameters(), BATCHES[k])).state();
      sb = b.step(sb, MODEL.evaluate(sb.parameters(), BATCHES[k])).state();
      for (int i = 0; i < 5; i++) {
        assertThat(sa.parameters()[i]).isCloseTo(sb.parameters()[i], within(1e-12));
      }
    }
  }

  @Test
  void target_offsetAndRelative_giveTheirInnovations() {
    assertThat(new Target(Target.Scheme.OFFSET, Schedule.inverse(0.5)).innovation(4, 3.0))
        .isEqualTo(0.125);
    assertThat(new Target(Target.Scheme.RELATIVE, Schedule.constant(0.5)).innovation(4, 3.0))
        .isEqualTo(1.5);
  }

  @Test
  void sgd_withMomentum_matchesTheHandComputedSteps() {
    Sgd sgd = new Sgd(new Sgd.Config(BlockLayout.global(2), 0.1, 0.9, 0.0));
    SgdState s0 = sgd.initialState(new double[] {1.0, -1.0});
    SgdState s1 =
        sgd.step(s0, new Observation(1, new double[] {1}, new double[] {0.5, 0.2})).state();
    assertThat(s1.parameters()).containsExactly(1.0 - 0.05, -1.0 - 0.02);
    SgdState s2 =
        sgd.step(s1, new Observation(1, new double[] {1}, new double[] {0.5, 0.2})).state();
    // buffer = 0.9·0.5 + 0.5 = 0.95 and 0.9·0.2 + 0.2 = 0.38
    assertThat(s2.parameters()[0]).isCloseTo(0.95 - 0.095, within(1e-15));
    assertThat(s2.parameters()[1]).isCloseTo(-1.02 - 0.038, within(1e-15));
  }

  @Test
  void adam_firstStep_movesEachParameterByTheLearningRate() {
    Adam adam = new Adam(Adam.Config.defaults(BlockLayout.global(3), 0.01));
    AdamState s1 =
        adam.step(
                adam.initialState(new double[3]),
                new Observation(1, new double[] {1}, new double[] {2.0, -0.001, 50.0}))
            .state();
    // With bias correction the first step is -η·sign(g) (up to ε).
    assertThat(s1.parameters()[0]).isCloseTo(-0.01, within(1e-9));
    assertThat(s1.parameters()[1]).isCloseTo(0.01, within(1e-7));
    assertThat(s1.parameters()[2]).isCloseTo(-0.01, within(1e-9));
  }
}
