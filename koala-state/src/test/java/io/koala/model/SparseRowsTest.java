package io.koala.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.koala.optimizer.Observation;
import io.koala.optimizer.OptimizerKind;
import io.koala.optimizer.OptimizerSpec;
import io.koala.optimizer.Optimizers;
import io.koala.optimizer.Preset;
import io.koala.state.ModelState;
import io.koala.state.OptimizerState;
import io.koala.training.Trainer;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * A sparse row stands for its dense form: every model and the trainer compute the same bits from
 * either, so hashed or explicitly sparse input trains exactly the model its dense input would.
 */
class SparseRowsTest {

  private static final int D = 40;

  /** A batch of rows with about a fifth of the features non-zero, sparse and dense forms. */
  private static Batch[] batches(SplittableRandom random, int size, int classes) {
    double[][] values = new double[size][];
    int[][] indices = new int[size][];
    double[][] dense = new double[size][D];
    double[] labels = new double[size];
    for (int i = 0; i < size; i++) {
      List<Integer> at = new ArrayList<>();
      for (int j = 0; j < D; j++) {
        if (random.nextInt(5) == 0) {
          at.add(j);
        }
      }
      indices[i] = at.stream().mapToInt(Integer::intValue).toArray();
      values[i] = new double[indices[i].length];
      for (int k = 0; k < indices[i].length; k++) {
        values[i][k] = random.nextGaussian() * 3;
        dense[i][indices[i][k]] = values[i][k];
      }
      labels[i] = classes == 0 ? random.nextGaussian() : random.nextInt(classes);
    }
    // Every other row dense: a batch may mix both forms.
    for (int i = 1; i < size; i += 2) {
      values[i] = dense[i];
      indices[i] = null;
    }
    return new Batch[] {new Batch(values, labels, indices), new Batch(dense, labels)};
  }

  private static List<LinearModel> models() {
    return List.of(
        LinearModel.linearRegression(D),
        LinearModel.logisticRegression(D),
        LinearModel.softmaxRegression(D, 4));
  }

  private static int classes(LinearModel m) {
    return m.head() == Head.SQUARED ? 0 : m.head() == Head.LOGISTIC ? 2 : 4;
  }

  @Test
  void linearModels_giveTheSameBits_forSparseAndDenseRows() {
    SplittableRandom random = new SplittableRandom(11);
    for (LinearModel model : models()) {
      double[] theta = random.doubles(model.parameterCount(), -1, 1).toArray();
      Batch[] b = batches(random, 16, classes(model));
      assertThat(b[0].anySparse()).isTrue();
      Observation sparse = model.evaluate(theta, b[0]);
      Observation dense = model.evaluate(theta, b[1]);
      assertThat(sparse.loss()).isEqualTo(dense.loss());
      assertThat(sparse.gradient()).containsExactly(dense.gradient());
      assertThat(sparse.exampleLosses()).containsExactly(dense.exampleLosses());
      for (int i = 0; i < b[0].size(); i++) {
        Prediction ps = model.predict(theta, b[0], i);
        Prediction pd = model.predict(theta, b[1].features()[i]);
        assertThat(ps.value()).isEqualTo(pd.value());
        assertThat(ps.outputs()).containsExactly(pd.outputs());
        assertThat(ps.outputSensitivities()).containsExactly(pd.outputSensitivities());
      }
    }
  }

  @Test
  void trainer_trainsTheSameModel_fromSparseAndDenseBatches_everyOptimizer_andTheMlp() {
    for (OptimizerKind kind : OptimizerKind.values()) {
      for (Model model :
          List.<Model>of(LinearModel.logisticRegression(D), new MlpModel(D, 5, Head.LOGISTIC, 2))) {
        Trainer<OptimizerState> trainer =
            new Trainer<>(
                model,
                Optimizers.create(kind, Preset.AUTO, OptimizerSpec.of(model.layerwiseLayout())),
                false,
                3);
        ModelState<OptimizerState> sparse = trainer.initial();
        ModelState<OptimizerState> dense = trainer.initial();
        SplittableRandom random = new SplittableRandom(5);
        for (int k = 0; k < 30; k++) {
          Batch[] b = batches(random, 8, 2);
          sparse = trainer.train(sparse, b[0]).state();
          dense = trainer.train(dense, b[1]).state();
        }
        assertThat(sparse.optimizer().parameters())
            .as(kind + " " + model.getClass().getSimpleName())
            .containsExactly(dense.optimizer().parameters());
        assertThat(sparse.version()).isEqualTo(dense.version()).isPositive();
      }
    }
  }

  @Test
  void standardisedTraining_fillsSparseRowsIn_andStillMatchesTheDenseRun() {
    Model model = LinearModel.logisticRegression(D);
    Trainer<OptimizerState> trainer =
        new Trainer<>(
            model,
            Optimizers.create(
                OptimizerKind.KOALA_V, Preset.AUTO, OptimizerSpec.of(model.layerwiseLayout())),
            true,
            3);
    ModelState<OptimizerState> sparse = trainer.initial();
    ModelState<OptimizerState> dense = trainer.initial();
    SplittableRandom random = new SplittableRandom(8);
    for (int k = 0; k < 20; k++) {
      Batch[] b = batches(random, 8, 2);
      sparse = trainer.train(sparse, b[0]).state();
      dense = trainer.train(dense, b[1]).state();
    }
    assertThat(sparse.optimizer().parameters()).containsExactly(dense.optimizer().parameters());
  }

  @Test
  void aSlice_keepsItsRowsForms() {
    Batch b = batches(new SplittableRandom(2), 6, 2)[0];
    Batch tail = b.slice(3, 6);
    assertThat(tail.size()).isEqualTo(3);
    assertThat(tail.isSparse(1)).isEqualTo(b.isSparse(4));
    assertThat(tail.dense(1, D)).containsExactly(b.dense(4, D));
  }
}
