package io.koala.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.koala.state.ResidualMoments;
import io.koala.state.ScaleEvidence;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The predictive distribution's formulas on hand-checkable cases. */
class PredictiveDistributionTest {

  @Test
  void moderatedProbability_atLogit40WithLargeVariance_isWellInsideTheUnitInterval() {
    // 40 / √(1 + π·1000/8) = 2.0168..., sigmoid of it = 0.8826...
    double p = PredictiveDistribution.moderatedProbability(40.0, 1000.0);
    assertThat(p)
        .isCloseTo(1.0 / (1.0 + Math.exp(-40.0 / Math.sqrt(1 + Math.PI * 125))), within(1e-15));
    assertThat(p).isBetween(0.85, 0.9);
    assertThat(PredictiveDistribution.moderatedProbability(-40.0, 1000.0))
        .isCloseTo(1 - p, within(1e-12));
  }

  @Test
  void moderatedProbability_withoutVariance_isThePlugInSigmoid() {
    assertThat(PredictiveDistribution.moderatedProbability(1.5, 0.0)).isEqualTo(Head.sigmoid(1.5));
    assertThat(PredictiveDistribution.moderatedProbability(1.5, Double.NaN))
        .isEqualTo(Head.sigmoid(1.5));
  }

  @Test
  void moderatedProbabilities_areADistribution_andReduceToMacKayForTwoClasses() {
    double[] p =
        PredictiveDistribution.moderatedProbabilities(
            new double[] {40.0, 0.0}, new double[] {1000.0, 0.0});
    assertThat(p[0] + p[1]).isCloseTo(1.0, within(1e-15));
    assertThat(p[0])
        .isCloseTo(PredictiveDistribution.moderatedProbability(40.0, 1000.0), within(1e-12));
    double[] three =
        PredictiveDistribution.moderatedProbabilities(
            new double[] {50.0, -20.0, 3.0}, new double[] {400.0, 400.0, 400.0});
    assertThat(three[0] + three[1] + three[2]).isCloseTo(1.0, within(1e-12));
    assertThat(three[0]).isLessThan(0.99);
    assertThat(three[1]).isPositive();
  }

  @Test
  void outputVariances_areNeverNegative_evenForANegativeCovarianceSummary() {
    assertThat(PredictiveDistribution.outputVariances(-0.3, new double[] {2.0, 5.0}))
        .containsExactly(0.0, 0.0);
    assertThat(PredictiveDistribution.outputVariances(0.5, new double[] {2.0, 5.0}))
        .containsExactly(1.0, 2.5);
    assertThat(PredictiveDistribution.outputVariances(Double.NaN, new double[] {2.0})[0]).isNaN();
  }

  @Test
  void targetVariance_includesTheNoise_whenResidualsExceedTheParameterPart() {
    // e² = u + 0.25 exactly, u spread over [0, 1]: the fit is a = 1, σ_n² = 0.25.
    ResidualMoments m = ResidualMoments.EMPTY;
    for (int i = 0; i < 200; i++) {
      double u = (i % 10) / 10.0;
      m = PredictiveDistribution.observe(m, u, u + 0.25);
    }
    assertThat(PredictiveDistribution.targetVariance(m, 0.5)).isCloseTo(0.75, within(1e-9));
    assertThat(PredictiveDistribution.targetVariance(m, 0.0)).isCloseTo(0.25, within(1e-9));
  }

  @Test
  void targetVariance_scalesAnOverstatedParameterPartDown() {
    // The filter says u, the residuals say u / 50: the fit scales the parameter part by 1/50.
    ResidualMoments m = ResidualMoments.EMPTY;
    for (int i = 0; i < 200; i++) {
      double u = 1.0 + (i % 7);
      m = PredictiveDistribution.observe(m, u, u / 50.0);
    }
    assertThat(PredictiveDistribution.targetVariance(m, 4.0)).isCloseTo(0.08, within(1e-9));
  }

  @Test
  void targetVariance_isNeverNegative_onNoisyResiduals() {
    SplittableRandom random = new SplittableRandom(3);
    ResidualMoments m = ResidualMoments.EMPTY;
    for (int i = 0; i < 5_000; i++) {
      double u = random.nextDouble();
      double e = random.nextGaussian() * (i % 2 == 0 ? 0.01 : 3.0) * (1.5 - u);
      m = PredictiveDistribution.observe(m, u, e * e);
      assertThat(PredictiveDistribution.targetVariance(m, random.nextDouble() * 2))
          .isGreaterThanOrEqualTo(0.0);
    }
    assertThat(PredictiveDistribution.targetVariance(m, -1.0)).isGreaterThanOrEqualTo(0.0);
  }

  @Test
  void targetVariance_beforeAnyResidual_isTheParameterPart_andNaNWithoutAFilter() {
    assertThat(PredictiveDistribution.targetVariance(null, 0.3)).isEqualTo(0.3);
    assertThat(PredictiveDistribution.targetVariance(ResidualMoments.EMPTY, 0.3)).isEqualTo(0.3);
    assertThat(PredictiveDistribution.targetVariance(ResidualMoments.EMPTY, Double.NaN)).isNaN();
  }

  @Test
  void logitScale_beforeEvidence_isTheFiltersOwn_andGrowsForOverconfidentLogits() {
    assertThat(PredictiveDistribution.logitScale(null)).isEqualTo(1.0);
    assertThat(PredictiveDistribution.logitScale(PredictiveDistribution.noEvidence()))
        .isEqualTo(1.0);
    // Logit ±8 (plug-in P = 0.9997) but right only 3 times in 4: moderation pays.
    ScaleEvidence e = PredictiveDistribution.noEvidence();
    for (int i = 0; i < 400; i++) {
      e =
          PredictiveDistribution.observe(
              e, new double[] {8.0}, new double[] {1.0}, i % 4 == 0 ? 0 : 1);
    }
    double overconfident = PredictiveDistribution.logitScale(e);
    assertThat(overconfident).isGreaterThan(10.0);
    // Logit ±8 and always right: the plug-in is best, the scale the grid's least.
    ScaleEvidence right = PredictiveDistribution.noEvidence();
    for (int i = 0; i < 400; i++) {
      right = PredictiveDistribution.observe(right, new double[] {8.0}, new double[] {1.0}, 1);
    }
    assertThat(PredictiveDistribution.logitScale(right)).isEqualTo(1e-4);
  }
}
