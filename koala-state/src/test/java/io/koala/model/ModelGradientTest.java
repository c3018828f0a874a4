package io.koala.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.koala.optimizer.Observation;
import io.koala.testing.Streams;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Gradients and prediction sensitivities of every model against central finite differences. */
class ModelGradientTest {

  private static final double STEP = 1e-6;

  static Stream<Arguments> models() {
    return Stream.of(
        Arguments.of("linear", LinearModel.linearRegression(6), 1),
        Arguments.of("logistic", LinearModel.logisticRegression(6), 2),
        Arguments.of("softmax", LinearModel.softmaxRegression(6, 4), 4),
        Arguments.of("mlp-squared", new MlpModel(6, 5, Head.SQUARED, 1), 1),
        Arguments.of("mlp-logistic", new MlpModel(6, 5, Head.LOGISTIC, 2), 2),
        Arguments.of("mlp-softmax", new MlpModel(6, 5, Head.SOFTMAX, 3), 3));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("models")
  void gradient_matchesFiniteDifferences(String name, Model model, int classes) {
    Batch batch = Streams.randomBatch(5, 7, model.featureCount(), classes);
    double[] theta = Streams.randomVector(9, model.parameterCount(), 0.5);
    Observation seen = model.evaluate(theta, batch);
    double mean = 0;
    for (double l : seen.exampleLosses()) {
      mean += l / batch.size();
    }
    assertThat(seen.loss()).isCloseTo(mean, within(1e-12));
    for (int i = 0; i < theta.length; i++) {
      double[] plus = theta.clone();
      double[] minus = theta.clone();
      plus[i] += STEP;
      minus[i] -= STEP;
      double numeric =
          (model.evaluate(plus, batch).loss() - model.evaluate(minus, batch).loss()) / (2 * STEP);
      assertThat(seen.gradient()[i])
          .as("%s ∂L/∂θ[%d]", name, i)
          .isCloseTo(numeric, within(1e-7 + 1e-6 * Math.abs(numeric)));
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("models")
  void predictionSensitivity_isTheSquaredNormOfTheOutputGradient(
      String name, Model model, int classes) {
    double[] x = Streams.randomVector(3, model.featureCount(), 1.0);
    double[] theta = Streams.randomVector(4, model.parameterCount(), 0.5);
    Prediction p = model.predict(theta, x);
    int reported = p.scores() == null ? -1 : (int) p.value();
    double squaredNorm = 0;
    for (int i = 0; i < theta.length; i++) {
      double[] plus = theta.clone();
      double[] minus = theta.clone();
      plus[i] += STEP;
      minus[i] -= STEP;
      double d =
          (output(model.predict(plus, x), reported) - output(model.predict(minus, x), reported))
              / (2 * STEP);
      squaredNorm += d * d;
    }
    assertThat(p.sensitivity()).as(name).isCloseTo(squaredNorm, within(1e-6 * squaredNorm + 1e-12));
    assertThat(p.variance(0.25)).isEqualTo(0.25 * p.sensitivity());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("models")
  void outputSensitivities_areTheSquaredNormsOfEachOutputsGradient(
      String name, Model model, int classes) {
    double[] x = Streams.randomVector(5, model.featureCount(), 1.0);
    double[] theta = Streams.randomVector(6, model.parameterCount(), 0.5);
    Prediction p = model.predict(theta, x);
    for (int c = 0; c < p.outputs().length; c++) {
      double squaredNorm = 0;
      for (int i = 0; i < theta.length; i++) {
        double[] plus = theta.clone();
        double[] minus = theta.clone();
        plus[i] += STEP;
        minus[i] -= STEP;
        double d =
            (model.predict(plus, x).outputs()[c] - model.predict(minus, x).outputs()[c])
                / (2 * STEP);
        squaredNorm += d * d;
      }
      assertThat(p.outputSensitivities()[c])
          .as("%s output %d", name, c)
          .isCloseTo(squaredNorm, within(1e-6 * squaredNorm + 1e-12));
    }
  }

  /** The output a prediction's sensitivity refers to: the value, or the reported class's score. */
  private static double output(Prediction p, int reportedClass) {
    return reportedClass < 0 ? p.value() : p.scores()[reportedClass];
  }

  @Test
  void logistic_isStableForHugeLogits() {
    LinearModel model = LinearModel.logisticRegression(1);
    Batch batch = new Batch(new double[][] {{1000.0}, {-1000.0}}, new double[] {0.0, 1.0});
    Observation seen = model.evaluate(new double[] {1.0, 0.0}, batch);
    assertThat(seen.exampleLosses()).containsExactly(1000.0, 1000.0);
    assertThat(seen.gradient()[0]).isCloseTo(1000.0, within(1e-9));
    Observation right =
        model.evaluate(
            new double[] {1.0, 0.0}, new Batch(new double[][] {{1000.0}}, new double[] {1.0}));
    assertThat(right.loss()).isEqualTo(0.0);
  }

  @Test
  void softmax_isStableForHugeLogits_andLabelsAreChecked() {
    LinearModel model = LinearModel.softmaxRegression(1, 3);
    Observation seen =
        model.evaluate(
            new double[] {800, -800, 0, 0, 0, 0},
            new Batch(new double[][] {{1.0}}, new double[] {1.0}));
    assertThat(seen.loss()).isCloseTo(1600.0, within(1e-9));
    assertThat(model.accepts(2.0)).isTrue();
    assertThat(model.accepts(3.0)).isFalse();
    assertThat(model.accepts(1.5)).isFalse();
    assertThat(LinearModel.logisticRegression(2).accepts(0.5)).isFalse();
    assertThat(LinearModel.linearRegression(2).accepts(Double.NaN)).isFalse();
  }

  @Test
  void layouts_coverEveryParameterOnce_inLayerOrder() {
    assertThat(LinearModel.softmaxRegression(6, 4).layerwiseLayout().offsets())
        .containsExactly(0, 24, 28);
    assertThat(new MlpModel(6, 5, Head.SOFTMAX, 3).layerwiseLayout().offsets())
        .containsExactly(0, 30, 35, 50, 53);
  }
}
