package io.koala.training;

import static io.koala.training.SparseFixtures.D;
import static io.koala.training.SparseFixtures.SLOT;
import static io.koala.training.SparseFixtures.append;
import static io.koala.training.SparseFixtures.assertSameBits;
import static io.koala.training.SparseFixtures.stream;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.koala.model.Batch;
import io.koala.model.LinearModel;
import io.koala.model.LinearModelAccess;
import io.koala.model.Model;
import io.koala.optimizer.Observation;
import io.koala.optimizer.OptimizerKind;
import io.koala.optimizer.OptimizerSpec;
import io.koala.optimizer.Optimizers;
import io.koala.optimizer.Preset;
import io.koala.state.ModelState;
import io.koala.state.OptimizerState;
import io.koala.state.RaceState;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The O(non-zeros) path: a sparse gradient and a step that writes the parameters in place give bit
 * for bit the model of the dense gradient and the copying step, through the race's moves and
 * alarms, refusals and the isolation of offending examples.
 */
class SparseStepTest {

  private static Trainer<OptimizerState> trainer(Model model, OptimizerKind kind, Preset preset) {
    return new Trainer<>(
        model,
        Optimizers.create(kind, preset, OptimizerSpec.of(model.layerwiseLayout())),
        false,
        7);
  }

  @Test
  void sparseGradient_holdsTheDenseGradientsBits_atItsIndices_andZeroElsewhere() {
    SplittableRandom random = new SplittableRandom(3);
    // 9 rows order their terms; 300 rows (more terms than parameters at d = 1,024) sum densely and
    // scan (LinearModel.DENSE_BELOW).
    for (int rows : new int[] {9, 300}) {
      for (LinearModel model :
          List.of(
              LinearModel.linearRegression(D),
              LinearModel.logisticRegression(D),
              LinearModel.softmaxRegression(D, 3),
              LinearModel.linearRegression(1 << 16),
              LinearModel.logisticRegression(1 << 16),
              LinearModel.softmaxRegression(1 << 16, 3))) {
        double[] theta = random.doubles(model.parameterCount(), -0.1, 0.1).toArray();
        Batch sparse = stream(4, 1, rows).get(0);
        double[] labels = sparse.labels().clone();
        if (model.head() == io.koala.model.Head.SQUARED) {
          for (int i = 0; i < labels.length; i++) {
            labels[i] = random.nextGaussian();
          }
        } else if (model.head() == io.koala.model.Head.SOFTMAX) {
          for (int i = 0; i < labels.length; i++) {
            labels[i] = random.nextInt(3);
          }
        }
        // A row repeating an index, and an empty row (the bias alone), are valid sparse rows too.
        double[][] values = sparse.features().clone();
        int[][] at = sparse.indices().clone();
        at[0] = new int[] {5, 5, 900};
        values[0] = new double[] {0.25, -1.5, 3.0};
        at[1] = new int[0];
        values[1] = new double[0];
        Batch batch = new Batch(values, labels, at);

        Observation dense = model.evaluate(theta, batch);
        Observation given = model.evaluateSparse(theta, batch);
        assertThat(given.isSparse()).isTrue();
        assertThat(given.gradient()).isNull();
        assertThat(given.loss()).isEqualTo(dense.loss());
        assertThat(given.exampleLosses()).containsExactly(dense.exampleLosses());
        int[] indices = given.sparseGradient().indices();
        for (int k = 1; k < indices.length; k++) {
          assertThat(indices[k]).isGreaterThan(indices[k - 1]);
        }
        double[] filled = new double[model.parameterCount()];
        for (int k = 0; k < indices.length; k++) {
          filled[indices[k]] = given.sparseGradient().values()[k];
        }
        assertThat(filled).as(model.head().name()).containsExactly(dense.gradient());
        assertThat(indices.length).isLessThan(model.parameterCount() + 1);
      }
    }
  }

  @Test
  void stableOrder_sortsByKey_keepingPositionsInOrderWithinAKey() {
    SplittableRandom random = new SplittableRandom(9);
    for (int bound : new int[] {1, 7, 3000, 1 << 22, Integer.MAX_VALUE}) {
      int[] keys = random.ints(5000, 0, bound).toArray();
      int[] order = LinearModelAccess.stableOrder(keys);
      Integer[] expected =
          java.util.stream.IntStream.range(0, keys.length).boxed().toArray(Integer[]::new);
      Arrays.sort(expected, java.util.Comparator.comparingInt(p -> keys[p]));
      assertThat(order)
          .as("keys below %d", bound)
          .containsExactly(Arrays.stream(expected).mapToInt(Integer::intValue).toArray());
    }
  }

  @Test
  void trainOwned_trainsTheSameBits_asTheCopyingPath_everyKindAndPreset() {
    Model model = LinearModel.logisticRegression(D);
    for (OptimizerKind kind : OptimizerKind.values()) {
      for (Preset preset : Preset.values()) {
        Trainer<OptimizerState> trainer = trainer(model, kind, preset);
        ModelState<OptimizerState> pure = trainer.initial();
        ModelState<OptimizerState> owned = trainer.initial();
        int sparseSteps = 0;
        // Batches of 4 order their terms; the last ten, of 200 rows, sum densely.
        List<Batch> batches = new java.util.ArrayList<>(stream(11, 110, 4));
        batches.addAll(stream(12, 10, 200));
        for (Batch batch : batches) {
          sparseSteps += trainer.stepsSparse(owned, batch) ? 1 : 0;
          TrainingOutcome<OptimizerState> a = trainer.train(pure, batch);
          TrainingOutcome<OptimizerState> b = trainer.trainOwned(owned, batch);
          assertSameBits(b, a, a.state().version() % 10 == 0, kind + " " + preset);
          pure = a.state();
          owned = b.state();
        }
        boolean koalaV = kind == OptimizerKind.KOALA_V;
        assertThat(sparseSteps).as(kind + " " + preset).isEqualTo(koalaV ? 120 : 0);
        assertThat(owned.version()).isPositive();
      }
    }
  }

  @Test
  void theRace_inPlace_throughMovesAndAlarms_equalsTheCopyingRace_atEveryBatchSize() {
    Model model = LinearModel.logisticRegression(D);
    Trainer<OptimizerState> trainer = trainer(model, OptimizerKind.KOALA_V, Preset.AUTO);
    for (int size : new int[] {1, 4, 16}) {
      ModelState<OptimizerState> pure = trainer.initial();
      ModelState<OptimizerState> owned = trainer.initial();
      int moves = 0;
      int alarms = 0;
      int shared = 0;
      int centre = ((RaceState) pure.optimizer()).centre();
      for (Batch batch : stream(13, 4_000 / size, size)) {
        TrainingOutcome<OptimizerState> a = trainer.train(pure, batch);
        TrainingOutcome<OptimizerState> b = trainer.trainOwned(owned, batch);
        assertSameBits(b, a, a.state().version() % 100 == 0, "B = " + size);
        RaceState race = (RaceState) a.state().optimizer();
        moves += race.centre() != centre ? 1 : 0;
        centre = race.centre();
        alarms += a.report().driftDetected() ? 1 : 0;
        OptimizerState[] m = race.members();
        shared +=
            m[0].parameters() == m[1].parameters() || m[1].parameters() == m[2].parameters()
                ? 1
                : 0;
        pure = a.state();
        owned = b.state();
      }
      // The path that copies a shared member before stepping it in place was taken.
      assertThat(moves).as("moves at B = %d", size).isPositive();
      assertThat(alarms).as("alarms at B = %d", size).isPositive();
      assertThat(shared).as("steps after a move, members shared, B = %d", size).isPositive();
    }
  }

  @Test
  void anAcceptedSparseStep_writesInPlace_aDenseOneCopies() {
    Model model = LinearModel.logisticRegression(D);
    Trainer<OptimizerState> trainer = trainer(model, OptimizerKind.KOALA_V, Preset.STREAM);
    ModelState<OptimizerState> state = trainer.initial();
    Batch sparse = stream(5, 1, 4).get(0);
    double[] before = state.optimizer().parameters();
    TrainingOutcome<OptimizerState> outcome = trainer.trainOwned(state, sparse);
    assertThat(outcome.report().accepted()).isTrue();
    assertThat(outcome.state().optimizer().parameters()).isSameAs(before);
    assertThat(outcome.state().version()).isEqualTo(1);

    Batch dense = sparse.densified(D);
    ModelState<OptimizerState> next = outcome.state();
    TrainingOutcome<OptimizerState> copied = trainer.trainOwned(next, dense);
    assertThat(copied.state().optimizer().parameters()).isNotSameAs(before);
    // The pure path never writes in place.
    double[] kept = copied.state().optimizer().parameters().clone();
    trainer.train(copied.state(), sparse);
    assertThat(copied.state().optimizer().parameters()).containsExactly(kept);
  }

  @Test
  void aRefusedBatch_leavesTheStateAsItWas_andItsIsolationEqualsTheCopyingOne() {
    Model model = LinearModel.logisticRegression(D);
    for (Preset preset : new Preset[] {Preset.AUTO, Preset.STREAM}) {
      Trainer<OptimizerState> trainer = trainer(model, OptimizerKind.KOALA_V, preset);
      ModelState<OptimizerState> pure = trainer.initial();
      ModelState<OptimizerState> owned = trainer.initial();
      for (Batch batch : stream(17, 40, 8)) {
        pure = trainer.train(pure, batch).state();
        owned = trainer.trainOwned(owned, batch).state();
      }
      Batch poisoned = stream(19, 1, 8).get(0);
      // Row 5 gains 1e308 at a feature no word maps to (its weight is 0, so the row's score stays
      // moderate): its gradient's square overflows, and every filter refuses the batch.
      int unused = D - 1;
      assertThat(SLOT).doesNotContain(unused);
      poisoned.indices()[5] = append(poisoned.indices()[5], unused);
      poisoned.features()[5] = append(poisoned.features()[5], 1e308);
      double[] kept = owned.optimizer().parameters().clone();
      TrainingOutcome<OptimizerState> refused = trainer.trainOwned(owned, poisoned);
      assertThat(refused.report().accepted()).as(preset.name()).isFalse();
      assertThat(owned.optimizer().parameters()).containsExactly(kept);

      List<Isolation.Attempt<OptimizerState>> a = Isolation.train(trainer, pure, poisoned);
      List<Isolation.Attempt<OptimizerState>> b = Isolation.trainOwned(trainer, owned, poisoned);
      assertThat(b).hasSize(a.size()).hasSizeGreaterThan(1);
      for (int i = 0; i < a.size(); i++) {
        assertSameBits(b.get(i).outcome(), a.get(i).outcome(), true, "attempt " + i);
        assertThat(b.get(i).offset()).isEqualTo(a.get(i).offset());
      }
      // Every accepted attempt keeps the state it made: later attempts (trained without handing
      // over) write new arrays. A refused attempt's state is the one before it.
      for (int i = 0; i + 1 < b.size(); i++) {
        if (b.get(i + 1).outcome().report().accepted()) {
          boolean same =
              b.get(i).outcome().state().optimizer().parameters()
                  == b.get(i + 1).outcome().state().optimizer().parameters();
          assertThat(same).as("attempts %d and %d share parameters", i, i + 1).isFalse();
        }
      }
    }
  }

  /**
   * A step refused only after its new values are computed (θ_3 = −max, pushed past it: a non-finite
   * state) writes none of them, and reports as the dense step does.
   */
  @Test
  void aLateRefusal_ofTheSparseStep_writesNothing_andReportsAsTheDenseStep() {
    Model model = LinearModel.logisticRegression(D);
    var koala =
        Optimizers.create(
            OptimizerKind.KOALA_V,
            Preset.STREAM,
            OptimizerSpec.of(model.layerwiseLayout()).withMeasurementNoise(1e-300));
    double[] theta = new double[D + 1];
    theta[3] = -Double.MAX_VALUE;
    theta[D] = 0.25;
    OptimizerState start = koala.initialState(theta);
    double[] gradient = new double[D + 1];
    gradient[3] = 1.0;
    gradient[D] = 0.5;
    double[] losses = {1e300};
    var dense = koala.step(start, new Observation(1e300, losses, gradient));
    var sparse =
        koala.step(
            koala.detach(start),
            Observation.sparse(
                1e300,
                losses,
                new io.koala.optimizer.SparseGradient(new int[] {3, D}, new double[] {1.0, 0.5})));
    assertThat(dense.report().refusal()).isEqualTo(io.koala.optimizer.Refusal.NON_FINITE_STATE);
    assertThat(sparse.report()).isEqualTo(dense.report());
    assertThat(sparse.state().parameters()).containsExactly(theta);
    assertThat(sparse.state()).usingRecursiveComparison().isEqualTo(start);
  }

  @Test
  void aSparseObservation_isRefusedByAnOptimizerThatCannotTakeIt() {
    Model model = LinearModel.logisticRegression(D);
    var optimizer =
        Optimizers.create(
            OptimizerKind.KOALA_V,
            Preset.STREAM,
            OptimizerSpec.of(model.layerwiseLayout()).withWeightDecay(0.01));
    assertThat(optimizer.stepsSparse()).isFalse();
    Observation sparse = model.evaluateSparse(model.initialParameters(1), stream(3, 1, 2).get(0));
    assertThatThrownBy(() -> optimizer.step(optimizer.initialState(new double[D + 1]), sparse))
        .hasMessageContaining("weight-decay");
  }
}
