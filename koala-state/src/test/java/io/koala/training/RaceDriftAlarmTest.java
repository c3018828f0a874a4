package io.koala.training;

import static org.assertj.core.api.Assertions.assertThat;

import io.koala.model.Batch;
import io.koala.model.LinearModel;
import io.koala.optimizer.OptimizerKind;
import io.koala.optimizer.OptimizerSpec;
import io.koala.optimizer.Optimizers;
import io.koala.optimizer.Preset;
import io.koala.state.ModelState;
import io.koala.state.OptimizerState;
import io.koala.state.RaceState;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The auto race's drift alarms: its detector watches the lowest-Q member, so an abrupt concept jump
 * is found soon at every batch size, and an alarm sends the race to the top of its grid.
 */
class RaceDriftAlarmTest {

  private static final LinearModel MODEL = LinearModel.logisticRegression(3);

  private static Trainer<OptimizerState> trainer() {
    return new Trainer<>(
        MODEL,
        Optimizers.create(
            OptimizerKind.KOALA_V, Preset.AUTO, OptimizerSpec.of(MODEL.layerwiseLayout())),
        false,
        1);
  }

  /**
   * Logistic labels from w = (3, 0, 0), rotated by 60° in the first two features to (1.5, 2.6, 0)
   * from example {@code jumpAt} on (the two concepts' boundaries disagree on a large share of the
   * inputs).
   */
  private static Batch batch(SplittableRandom random, int first, int size, int jumpAt) {
    double[][] x = new double[size][3];
    double[] y = new double[size];
    for (int i = 0; i < size; i++) {
      for (int j = 0; j < 3; j++) {
        x[i][j] = 2 * random.nextDouble() - 1;
      }
      double z = first + i < jumpAt ? 3 * x[i][0] : 1.5 * x[i][0] + 2.598 * x[i][1];
      y[i] = random.nextDouble() < 1 / (1 + Math.exp(-2 * z)) ? 1 : 0;
    }
    return new Batch(x, y);
  }

  @Test
  void abruptConceptJump_isFoundWithin200Examples_andSendsTheRaceToTheTop() {
    Trainer<OptimizerState> trainer = trainer();
    for (int batchSize : new int[] {1, 8, 32}) {
      int found = 0;
      for (long seed = 0; seed < 10; seed++) {
        ModelState<OptimizerState> state = trainer.initial();
        SplittableRandom random = new SplittableRandom(seed);
        for (int seen = 0; seen + batchSize <= 3_200; seen += batchSize) {
          TrainingOutcome<OptimizerState> outcome =
              trainer.train(state, batch(random, seen, batchSize, 3_000));
          state = outcome.state();
          if (outcome.report().driftDetected() && seen >= 3_000) {
            // At the top: the centre one level below the grid's last.
            assertThat(((RaceState) state.optimizer()).centre()).isEqualTo(8);
            found++;
            break;
          }
        }
      }
      assertThat(found).as("B = %d", batchSize).isGreaterThanOrEqualTo(8);
    }
  }
}
