package io.koala.training;

import static io.koala.training.SparseFixtures.BITS;
import static io.koala.training.SparseFixtures.D;
import static io.koala.training.SparseFixtures.stream;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.koala.model.Batch;
import io.koala.model.Head;
import io.koala.model.LinearModel;
import io.koala.model.MlpModel;
import io.koala.model.Model;
import io.koala.optimizer.OptimizerKind;
import io.koala.optimizer.OptimizerSpec;
import io.koala.optimizer.Optimizers;
import io.koala.optimizer.Preset;
import io.koala.state.ModelState;
import io.koala.state.OptimizerState;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A prediction request for a sparse row is answered over its non-zeros with the bits of the dense
 * row's answer: value, label, variances, probabilities and version; with standardisation or a model
 * that takes no sparse rows it is made dense first, as before.
 */
class SparsePredictionTest {

  private static Trainer<OptimizerState> trainer(Model model, Preset preset, boolean standardise) {
    return new Trainer<>(
        model,
        Optimizers.create(OptimizerKind.KOALA_V, preset, OptimizerSpec.of(model.layerwiseLayout())),
        standardise,
        5);
  }

  @Test
  void aSparseRequest_isAnsweredWithTheDenseRowsBits() {
    List<Model> models =
        List.of(
            LinearModel.linearRegression(D),
            LinearModel.logisticRegression(D),
            LinearModel.softmaxRegression(D, 3),
            new MlpModel(D, 4, Head.LOGISTIC, 1));
    for (Model model : models) {
      for (Preset preset : new Preset[] {Preset.AUTO, Preset.STREAM}) {
        for (boolean standardise : new boolean[] {false, true}) {
          String label = model + ", " + preset + ", standardise " + standardise;
          Trainer<OptimizerState> trainer = trainer(model, preset, standardise);
          ModelState<OptimizerState> state = trainer.initial();
          List<Batch> batches = stream(31, 40, 8);
          for (int b = 0; b < 30; b++) {
            state = trainer.train(state, batches.get(b)).state();
          }
          List<int[]> indices = new java.util.ArrayList<>();
          List<double[]> values = new java.util.ArrayList<>();
          for (Batch requests : batches.subList(30, 40)) {
            for (int i = 0; i < requests.size(); i++) {
              indices.add(requests.indices()[i]);
              values.add(requests.features()[i]);
            }
          }
          // The empty row, and explicit zeros of both signs among the values.
          indices.add(new int[0]);
          values.add(new double[0]);
          indices.add(new int[] {7, D - 1});
          values.add(new double[] {-0.0, 0.0});
          indices.add(new int[] {100, 101});
          values.add(new double[] {-1.25, -0.0});
          int asked = 0;
          for (int r = 0; r < indices.size(); r++) {
            int[] at = indices.get(r);
            double[] v = values.get(r);
            Trainer.Answer sparse = trainer.predict(state, at, v);
            double[] row = new double[D];
            for (int k = 0; k < at.length; k++) {
              row[at[k]] = v[k];
            }
            Trainer.Answer dense = trainer.predict(state, row);
            assertThat(sparse)
                .as(label + ", request " + asked++)
                .usingRecursiveComparison()
                .withComparatorForType(BITS, Double.class)
                .isEqualTo(dense);
          }
          assertThat(state.version()).as(label).isPositive();
        }
      }
    }
  }

  @Test
  void aSparseRequestWithBadIndices_isRefusedWithAClearError() {
    Model model = LinearModel.logisticRegression(D);
    Trainer<OptimizerState> trainer = trainer(model, Preset.AUTO, false);
    ModelState<OptimizerState> state = trainer.initial();
    for (int[] at : new int[][] {{3, 3}, {5, 2}, {-1}, {D}}) {
      assertThatThrownBy(() -> trainer.predict(state, at, new double[at.length]))
          .as(java.util.Arrays.toString(at))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("must increase strictly within [0, " + D + ")");
    }
    assertThatThrownBy(() -> trainer.predict(state, new int[] {1}, new double[2]))
        .hasMessageContaining("1 indices for 2 values");
  }
}
