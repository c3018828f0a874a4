package io.koala.training;

import static io.koala.training.SparseFixtures.D;
import static io.koala.training.SparseFixtures.stream;
import static org.assertj.core.api.Assertions.assertThat;

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

  /** Doubles compared by their bits (NaN equal to NaN). */
  private static final java.util.Comparator<Double> BITS =
      (x, y) -> Long.compare(Double.doubleToLongBits(x), Double.doubleToLongBits(y));

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
          Trainer<OptimizerState> trainer =
              new Trainer<>(
                  model,
                  Optimizers.create(
                      OptimizerKind.KOALA_V, preset, OptimizerSpec.of(model.layerwiseLayout())),
                  standardise,
                  5);
          ModelState<OptimizerState> state = trainer.initial();
          List<Batch> batches = stream(31, 40, 8);
          for (int b = 0; b < 30; b++) {
            state = trainer.train(state, batches.get(b)).state();
          }
          int asked = 0;
          for (Batch requests : batches.subList(30, 40)) {
            for (int i = 0; i < requests.size(); i++) {
              Trainer.Answer sparse =
                  trainer.predict(state, requests.indices()[i], requests.features()[i]);
              Trainer.Answer dense = trainer.predict(state, requests.dense(i, D));
              assertThat(sparse)
                  .as(label + ", request " + asked++)
                  .usingRecursiveComparison()
                  .withComparatorForType(BITS, Double.class)
                  .isEqualTo(dense);
            }
          }
          assertThat(state.version()).as(label).isPositive();
        }
      }
    }
  }
}
