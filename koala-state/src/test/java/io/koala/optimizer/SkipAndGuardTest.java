package io.koala.optimizer;

import static org.assertj.core.api.Assertions.assertThat;

import io.koala.noise.MeasurementNoise;
import io.koala.noise.ProcessNoise;
import io.koala.noise.Target;
import io.koala.state.DriftState;
import io.koala.state.KoalaMState;
import io.koala.state.KoalaPlusPlusState;
import io.koala.state.KoalaVState;
import io.koala.state.OptimizerState;
import io.koala.testing.Optimizers;
import org.junit.jupiter.api.Test;

/** The skip rule, the all-blocks-skipped case and the divergence guard. */
class SkipAndGuardTest {

  private static final BlockLayout TWO_BLOCKS = BlockLayout.ofSizes(3, 2);
  private static final double[] THETA = {0.1, -0.2, 0.3, 0.4, -0.5};

  private static Observation observation(double loss, double... gradient) {
    return new Observation(loss, new double[] {loss, loss}, gradient);
  }

  @Test
  void koalaV_skipsABlockWithTinyGradient_andMovesTheOther() {
    KoalaV koala = new KoalaV(KoalaVConfig.reference(TWO_BLOCKS));
    KoalaVState state = koala.initialState(THETA);
    var result = koala.step(state, observation(1.0, 0.5, -0.5, 0.2, 1e-10, 0.0));
    assertThat(result.report().skippedBlocks()).isEqualTo(1);
    double[] after = result.state().parameters();
    assertThat(after[3]).isEqualTo(0.4);
    assertThat(after[4]).isEqualTo(-0.5);
    assertThat(after[0]).isNotEqualTo(0.1);
  }

  @Test
  void koalaV_allBlocksSkipped_keepsTheta_andCovarianceIsThePrediction() {
    KoalaV koala = new KoalaV(KoalaVConfig.reference(TWO_BLOCKS));
    KoalaVState state = koala.initialState(THETA);
    var result = koala.step(state, observation(1.0, 0, 0, 0, 0, 0));
    assertThat(result.report().accepted()).isTrue();
    assertThat(result.report().skippedBlocks()).isEqualTo(2);
    assertThat(result.state().parameters()).containsExactly(THETA);
    assertThat(result.state().covariance()).isEqualTo(0.1 + 1.0);
    assertThat(result.state().step()).isEqualTo(1);
  }

  @Test
  void koalaM_allBlocksSkipped_movesToThePrediction_andKeepsAverage() {
    KoalaM koala = new KoalaM(KoalaMConfig.reference(TWO_BLOCKS));
    KoalaMState start =
        new KoalaMState(
            3,
            THETA.clone(),
            new double[] {1, 1, 1, 1, 1},
            new double[] {9, 9, 9, 9, 9},
            0.1,
            0.0,
            0.1,
            0.01,
            1.0,
            DriftState.initial(0.0));
    var result = koala.step(start, observation(1.0, 0, 0, 0, 0, 0));
    KoalaMState after = result.state();
    assertThat(after.parameters()).containsExactly(1.1, 0.8, 1.3, 1.4, 0.5);
    assertThat(after.velocity()).containsExactly(0.9, 0.9, 0.9, 0.9, 0.9);
    assertThat(after.average()).containsExactly(9, 9, 9, 9, 9);
    // P = P̂ = F P Fᵀ + Q with q_w updated first.
    assertThat(after.covarianceWeights()).isEqualTo(0.1 + 0.0 + 0.1 + after.weightNoise());
    assertThat(after.covarianceCross()).isEqualTo(0.9 * 0.1);
  }

  @Test
  void koalaPlusPlus_skippedBlock_keepsItsFilterRow() {
    KoalaPlusPlus koala = new KoalaPlusPlus(KoalaPlusPlusConfig.reference(TWO_BLOCKS));
    KoalaPlusPlusState first =
        koala.step(koala.initialState(THETA), observation(1.0, 0.5, -0.5, 0.2, 0.3, 0.1)).state();
    var result = koala.step(first, observation(1.0, 0.4, -0.1, 0.2, 0.0, 0.0));
    KoalaPlusPlusState after = result.state();
    assertThat(result.report().skippedBlocks()).isEqualTo(1);
    for (int i = 3; i < 5; i++) {
      assertThat(after.parameters()[i]).isEqualTo(first.parameters()[i]);
      assertThat(after.covarianceRow()[i]).isEqualTo(first.covarianceRow()[i]);
      assertThat(after.previousGradient()[i]).isEqualTo(first.previousGradient()[i]);
    }
    assertThat(after.innovationVariance()[1]).isEqualTo(first.innovationVariance()[1]);
  }

  @Test
  void everyOptimizer_refusesNonFiniteObservations_andReturnsTheSameState() {
    for (Optimizer<OptimizerState> optimizer : Optimizers.all(TWO_BLOCKS, true)) {
      OptimizerState state = optimizer.initialState(THETA);
      for (Observation bad :
          new Observation[] {
            observation(Double.NaN, 0.1, 0.1, 0.1, 0.1, 0.1),
            observation(1.0, 0.1, Double.POSITIVE_INFINITY, 0.1, 0.1, 0.1),
            observation(1.0, 0.1, 0.1, 0.1, 0.1, Double.NaN)
          }) {
        var result = optimizer.step(state, bad);
        assertThat(result.report().accepted()).as(optimizer.name()).isFalse();
        assertThat(result.state()).as(optimizer.name()).isSameAs(state);
      }
    }
  }

  @Test
  void everyOptimizer_refusesAStepThatWouldOverflow() {
    for (Optimizer<OptimizerState> optimizer : Optimizers.all(TWO_BLOCKS, false)) {
      if (optimizer.name().equals("sgd")) {
        continue; // θ − 0.05·1e300 is finite: SGD rightly takes that step; see the next test
      }
      OptimizerState state = optimizer.initialState(THETA);
      double huge = 1e307;
      Observation exploding =
          new Observation(
              huge, new double[] {huge, huge}, new double[] {1e-3, 1e300, 1e-3, 1e-3, 1e-3});
      var result = optimizer.step(state, exploding);
      assertThat(result.report().accepted()).as(optimizer.name()).isFalse();
      assertThat(result.state()).as(optimizer.name()).isSameAs(state);
    }
  }

  @Test
  void sgd_refusesAStepPastTheLargestDouble() {
    Sgd sgd = new Sgd(new Sgd.Config(TWO_BLOCKS, 10.0, 0.0, 0.0));
    var state = sgd.initialState(THETA);
    var result = sgd.step(state, observation(1.0, 0.1, 0.1, Double.MAX_VALUE, 0.1, 0.1));
    assertThat(result.report().refusal()).isEqualTo(Refusal.NON_FINITE_STATE);
    assertThat(result.state()).isSameAs(state);
  }

  @Test
  void koalaV_hugeLossWithTinyGradient_isRefusedAsNonFinite() {
    KoalaV koala = new KoalaV(KoalaVConfig.reference(TWO_BLOCKS));
    KoalaVState state = koala.initialState(THETA);
    var result =
        koala.step(
            state,
            new Observation(
                1e300, new double[] {1e300, 1e300}, new double[] {1e-8, 1e-8, 1e-8, 1e-8, 1e-8}));
    assertThat(result.report().refusal()).isEqualTo(Refusal.NON_FINITE_STATE);
    assertThat(result.state()).isSameAs(state);
  }

  /**
   * A state whose surrogate row points against H makes S negative (docs/algorithms.md#reset-guard).
   */
  private static KoalaPlusPlusState againstTheGradient(double[] h) {
    double[] v = new double[h.length];
    for (int i = 0; i < h.length; i++) {
      v[i] = -h[i];
    }
    return new KoalaPlusPlusState(
        1, THETA.clone(), v, h.clone(), new double[] {1.0}, 1e-12, DriftState.initial(0.0));
  }

  @Test
  void koalaPlusPlus_nonPositiveInnovationVariance_isRefused_orResetWithTheGuard() {
    double[] h = {0.5, -0.5, 0.2, 0.3, 0.1};
    BlockLayout one = BlockLayout.global(5);
    KoalaPlusPlusConfig config =
        new KoalaPlusPlusConfig(
            one,
            0.1,
            ProcessNoise.constant(0.0),
            MeasurementNoise.fixed(1e-12),
            Target.reference(1.0),
            0.0,
            true,
            KoalaPlusPlusConfig.Initialisation.REFERENCE,
            1e-9,
            false);
    KoalaPlusPlusState state = againstTheGradient(h);
    var refused = new KoalaPlusPlus(config).step(state, observation(1.0, h));
    assertThat(refused.report().refusal()).isEqualTo(Refusal.NON_POSITIVE_COVARIANCE);
    assertThat(refused.state()).isSameAs(state);

    KoalaPlusPlusConfig guarded =
        new KoalaPlusPlusConfig(
            one,
            0.1,
            ProcessNoise.constant(0.0),
            MeasurementNoise.fixed(1e-12),
            Target.reference(1.0),
            0.0,
            true,
            KoalaPlusPlusConfig.Initialisation.REFERENCE,
            1e-9,
            true);
    var reset = new KoalaPlusPlus(guarded).step(state, observation(1.0, h));
    assertThat(reset.report().accepted()).isTrue();
    assertThat(reset.state().innovationVariance()[0]).isPositive();
    assertThat(reset.state().covarianceRow()[0]).isEqualTo(0.1 * 0.5);
  }
}
