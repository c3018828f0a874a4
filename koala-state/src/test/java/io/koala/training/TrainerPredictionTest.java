package io.koala.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.koala.model.Batch;
import io.koala.model.LinearModel;
import io.koala.optimizer.KoalaPlusPlus;
import io.koala.optimizer.KoalaPlusPlusConfig;
import io.koala.optimizer.KoalaV;
import io.koala.optimizer.KoalaVConfig;
import io.koala.state.KoalaPlusPlusState;
import io.koala.state.KoalaVState;
import io.koala.state.ModelState;
import io.koala.testing.Streams;
import org.junit.jupiter.api.Test;

/** The trainer's answers: the predictive covariance p + Q, moderation, and the noise of y. */
class TrainerPredictionTest {

  private static Trainer<KoalaVState> koalaV(LinearModel model) {
    return new Trainer<>(model, new KoalaV(KoalaVConfig.stream(model.layerwiseLayout())), false, 1);
  }

  @Test
  void predictiveCovariance_isThePosteriorPlusTheProcessNoiseOfOneExample() {
    LinearModel model = LinearModel.logisticRegression(2);
    Trainer<KoalaVState> trainer = koalaV(model);
    KoalaVState state = trainer.initial().optimizer();
    double q = trainer.optimizer().processNoise(state);
    assertThat(q).isPositive();
    assertThat(trainer.predictiveCovariance(state)).isEqualTo(state.covariance() + q);
  }

  @Test
  void koalaPlusPlusAnswer_withANegativeRayleighQuotient_hasNoNegativeVariance() {
    LinearModel model = LinearModel.linearRegression(1);
    Trainer<KoalaPlusPlusState> trainer =
        new Trainer<>(
            model,
            new KoalaPlusPlus(KoalaPlusPlusConfig.stream(model.layerwiseLayout())),
            false,
            1);
    KoalaPlusPlusState initial = trainer.initial().optimizer();
    // v = −h in both blocks: H·v/‖H‖² = −1, a covariance summary below 0.
    KoalaPlusPlusState negative =
        new KoalaPlusPlusState(
            3,
            new double[] {0.5, 0.1},
            new double[] {-1.0, -2.0},
            new double[] {1.0, 2.0},
            new double[] {0.5, 0.5},
            1.0,
            initial.drift());
    assertThat(trainer.optimizer().covariance(negative)).isNegative();
    Trainer.Answer answer =
        trainer.predict(new ModelState<>(negative, null, 3, 0), new double[] {2.0});
    assertThat(trainer.predictiveCovariance(negative))
        .isEqualTo(trainer.optimizer().processNoise(negative));
    assertThat(answer.variance()).isGreaterThanOrEqualTo(0.0);
    assertThat(answer.outputVariances()[0]).isGreaterThanOrEqualTo(0.0);
  }

  @Test
  void logisticAnswer_atLogit40WithLargeCovariance_isModerated() {
    LinearModel model = LinearModel.logisticRegression(1);
    Trainer<KoalaVState> trainer = koalaV(model);
    ModelState<KoalaVState> initial = trainer.initial();
    KoalaVState confident =
        new KoalaVState(1, new double[] {40.0, 0.0}, 100.0, 1.0, initial.optimizer().drift());
    Trainer.Answer answer =
        trainer.predict(new ModelState<>(confident, null, 1, 0), new double[] {1.0});
    // σ_z² = (100 + Q)·(1² + 1) ≈ 200: P = sigmoid(40 / √(1 + 25π)) ≈ 0.986, not 1.
    assertThat(answer.variance()).isCloseTo(200.0, within(0.01));
    assertThat(answer.probability()).isBetween(0.9, 0.995);
    assertThat(answer.label()).isEqualTo(1.0);
    assertThat(answer.prediction().value()).isEqualTo(1.0); // the plug-in sigmoid saturates
  }

  @Test
  void regressionAnswer_includesTheNoiseOfY() {
    LinearModel model = LinearModel.linearRegression(3);
    Trainer<KoalaVState> trainer = koalaV(model);
    double noise = 0.5;
    ModelState<KoalaVState> state = trainer.initial();
    for (Batch b : Streams.regression(7, 600, 8, new double[] {1, -2, 0.5}, null, -1, noise)) {
      state = trainer.train(state, b).state();
    }
    Trainer.Answer answer = trainer.predict(state, new double[] {0.1, 0.2, -0.3});
    assertThat(state.residuals()).isNotNull();
    assertThat(answer.variance()).isGreaterThanOrEqualTo(0.0);
    // The noise's variance is 0.25; once the weights are learnt the variance of y is about that.
    assertThat(answer.variance()).isBetween(0.2, 0.32);
  }

  @Test
  void softmaxAnswer_carriesModeratedProbabilitiesAndAVariancePerClass() {
    LinearModel model = LinearModel.softmaxRegression(2, 3);
    Trainer<KoalaVState> trainer = koalaV(model);
    Trainer.Answer answer = trainer.predict(trainer.initial(), new double[] {0.5, -1});
    assertThat(answer.probabilities()).hasSize(3);
    assertThat(answer.outputVariances()).hasSize(3);
    for (double v : answer.outputVariances()) {
      assertThat(v).isPositive();
    }
    double sum = 0;
    for (double p : answer.probabilities()) {
      sum += p;
    }
    assertThat(sum).isCloseTo(1.0, within(1e-12));
  }
}
