package io.koala.training;

import static io.koala.training.SparseFixtures.D;
import static io.koala.training.SparseFixtures.append;
import static io.koala.training.SparseFixtures.assertSameBits;
import static io.koala.training.SparseFixtures.stream;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.koala.model.Batch;
import io.koala.model.LinearModel;
import io.koala.model.Model;
import io.koala.optimizer.Observation;
import io.koala.optimizer.Optimizer;
import io.koala.optimizer.OptimizerKind;
import io.koala.optimizer.OptimizerSpec;
import io.koala.optimizer.Optimizers;
import io.koala.optimizer.Preset;
import io.koala.optimizer.Refusal;
import io.koala.state.AdamState;
import io.koala.state.ModelState;
import io.koala.state.OptimizerState;
import io.koala.state.SgdState;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * The baselines on sparse input: plain SGD's sparse step is its dense step; the lazy SGD and Adam
 * move only the coordinates a batch touches, by the dense formulas there, on every path.
 */
class SparseBaselinesTest {

  private static final Model MODEL = LinearModel.logisticRegression(D);

  private static Optimizer<OptimizerState> optimizer(
      OptimizerKind kind, UnaryOperator<OptimizerSpec> spec) {
    return Optimizers.create(
        kind, Preset.STREAM, spec.apply(OptimizerSpec.of(MODEL.layerwiseLayout())));
  }

  private static Trainer<OptimizerState> trainer(Optimizer<OptimizerState> optimizer) {
    return new Trainer<>(MODEL, optimizer, false, 7);
  }

  /** 110 batches of 4 (their terms ordered) and 10 of 200 (summed densely). */
  private static List<Batch> batches() {
    List<Batch> out = new ArrayList<>(stream(11, 110, 4));
    out.addAll(stream(12, 10, 200));
    return out;
  }

  @Test
  void plainSgd_stepsSparse_andItsSparseStepIsTheDenseStep() {
    Trainer<OptimizerState> trainer =
        trainer(optimizer(OptimizerKind.SGD, s -> s.withMomentum(0.0).withLearningRate(0.5)));
    ModelState<OptimizerState> pure = trainer.initial();
    ModelState<OptimizerState> owned = trainer.initial();
    int sparseSteps = 0;
    for (Batch batch : batches()) {
      sparseSteps += trainer.stepsSparse(owned, batch) ? 1 : 0;
      TrainingOutcome<OptimizerState> a = trainer.train(pure, batch);
      TrainingOutcome<OptimizerState> b = trainer.trainOwned(owned, batch);
      assertSameBits(b, a, a.state().version() % 10 == 0, "sgd, momentum 0");
      pure = a.state();
      owned = b.state();
    }
    assertThat(sparseSteps).isEqualTo(120);
    // With momentum (the default) or weight decay the dense step stays.
    assertThat(optimizer(OptimizerKind.SGD, s -> s).stepsSparse()).isFalse();
    assertThat(
            optimizer(OptimizerKind.SGD, s -> s.withMomentum(0.0).withWeightDecay(0.01))
                .stepsSparse())
        .isFalse();
    assertThat(optimizer(OptimizerKind.ADAM, s -> s).stepsSparse()).isFalse();
    // Handed a sparse observation anyway, they say so rather than step.
    Observation sparse = MODEL.evaluateSparse(new double[D + 1], stream(3, 1, 2).get(0));
    for (OptimizerKind kind : new OptimizerKind[] {OptimizerKind.SGD, OptimizerKind.ADAM}) {
      Optimizer<OptimizerState> o = optimizer(kind, s -> s);
      assertThatThrownBy(() -> o.step(o.initialState(new double[D + 1]), sparse))
          .as(kind.name())
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("lazy");
    }
  }

  /**
   * From a state whose velocity or moments are not zero anywhere the stream touched, one lazy step
   * on a sparse batch equals the dense optimizer's step at the coordinates where the batch's
   * gradient is not zero, bit for bit, and keeps every other coordinate's parameter, velocity and
   * moments, which the dense step moves. The same with weight decay (applied on that support only),
   * and on both ways of summing the gradient (4 rows order their terms, 200 sum densely); a feature
   * given with the value 0 is not in the support.
   */
  @Test
  void aLazyStep_isTheDenseFormulaOnTheSupport_andKeepsEveryOtherCoordinate() {
    for (OptimizerKind kind : new OptimizerKind[] {OptimizerKind.SGD, OptimizerKind.ADAM}) {
      for (double decay : new double[] {0.0, 0.01}) {
        for (int size : new int[] {4, 200}) {
          lazyStepAgainstDense(kind, decay, size);
        }
      }
    }
  }

  private static void lazyStepAgainstDense(OptimizerKind kind, double decay, int size) {
    String label = kind + ", weight decay " + decay + ", B = " + size;
    Optimizer<OptimizerState> lazy = optimizer(kind, s -> s.withLazy(true).withWeightDecay(decay));
    Optimizer<OptimizerState> dense =
        optimizer(kind, s -> s.withLazy(false).withWeightDecay(decay));
    assertThat(lazy.stepsSparse()).isTrue();
    assertThat(lazy.sparseStepIsDenseStep()).isFalse();
    OptimizerState state = dense.initialState(MODEL.initialParameters(3));
    for (Batch batch : stream(21, 30, 8)) {
      state = dense.step(state, MODEL.evaluate(state.parameters(), batch.densified(D))).state();
    }
    Batch batch = stream(22, 1, size).get(0);
    int unused = D - 1;
    assertThat(SparseFixtures.SLOT).doesNotContain(unused);
    batch.indices()[0] = append(batch.indices()[0], unused);
    batch.features()[0] = append(batch.features()[0], 0.0);
    Observation sparse = MODEL.evaluateSparse(state.parameters(), batch);
    Observation full = MODEL.evaluate(state.parameters(), batch.densified(D));
    double[][] before = arrays(state);
    OptimizerState expected = dense.step(state, full).state();
    OptimizerState actual = lazy.step(lazy.detach(state), sparse).state();
    double[][] want = arrays(expected);
    double[][] got = arrays(actual);
    boolean[] support = new boolean[D + 1];
    for (int i : sparse.sparseGradient().indices()) {
      support[i] = true;
    }
    int movedByDense = 0;
    for (int i = 0; i <= D; i++) {
      assertThat(support[i])
          .as("%s: %d in the support", label, i)
          .isEqualTo(full.gradient()[i] != 0);
      for (int a = 0; a < got.length; a++) {
        double wanted = support[i] ? want[a][i] : before[a][i];
        assertThat(Double.doubleToLongBits(got[a][i]))
            .as("%s, array %d, coordinate %d (in the support: %s)", label, a, i, support[i])
            .isEqualTo(Double.doubleToLongBits(wanted));
        movedByDense += !support[i] && want[a][i] != before[a][i] ? 1 : 0;
      }
    }
    assertThat(support[unused]).as(label).isFalse();
    assertThat(movedByDense).as(label + ": coordinates the dense step moves outside").isPositive();
    assertThat(actual.step()).isEqualTo(expected.step());
  }

  /**
   * The lazy optimizers are the same on every path (handed over or copied, so the isolation of a
   * refused batch trains as the operator does), equal to the dense ones on dense input, and differ
   * from them on sparse input.
   */
  @Test
  void theLazyOptimizers_agreeOnEveryPath_andAreTheDenseOnesOnDenseInput() {
    for (OptimizerKind kind : new OptimizerKind[] {OptimizerKind.SGD, OptimizerKind.ADAM}) {
      Trainer<OptimizerState> lazy = trainer(optimizer(kind, s -> s.withLazy(true)));
      Trainer<OptimizerState> dense = trainer(optimizer(kind, s -> s));
      ModelState<OptimizerState> pure = lazy.initial();
      ModelState<OptimizerState> owned = lazy.initial();
      ModelState<OptimizerState> lazyOnDense = lazy.initial();
      ModelState<OptimizerState> denseOnDense = dense.initial();
      ModelState<OptimizerState> denseOnSparse = dense.initial();
      int sparseSteps = 0;
      for (Batch batch : batches()) {
        sparseSteps += lazy.stepsSparse(owned, batch) ? 1 : 0;
        double[] kept = pure.optimizer().parameters().clone();
        TrainingOutcome<OptimizerState> a = lazy.train(pure, batch);
        assertThat(pure.optimizer().parameters()).as("the copying path").containsExactly(kept);
        TrainingOutcome<OptimizerState> b = lazy.trainOwned(owned, batch);
        assertSameBits(b, a, a.state().version() % 10 == 0, kind + " lazy");
        pure = a.state();
        owned = b.state();
        Batch full = batch.densified(D);
        TrainingOutcome<OptimizerState> c = lazy.trainOwned(lazyOnDense, full);
        TrainingOutcome<OptimizerState> d = dense.train(denseOnDense, full);
        assertSameBits(c, d, true, kind + " lazy on dense input");
        lazyOnDense = c.state();
        denseOnDense = d.state();
        denseOnSparse = dense.trainOwned(denseOnSparse, batch).state();
      }
      assertThat(sparseSteps).isEqualTo(120);
      assertThat(
              Arrays.equals(owned.optimizer().parameters(), denseOnSparse.optimizer().parameters()))
          .as(kind + ": lazy and dense differ on sparse input")
          .isFalse();
    }
  }

  /**
   * A lazy step refused after its values were computed (Adam's second moment overflows from a
   * finite gradient: a non-finite state) and one refused for its observation (a row scored NaN)
   * leave θ and the moments as they were; the isolation of the offending row is the same handed
   * over and copied.
   */
  @Test
  void aRefusedLazyStep_leavesTheStateAsItWas() {
    Object[][] cases = {
      {OptimizerKind.ADAM, new double[] {1e200}, Refusal.NON_FINITE_STATE},
      {OptimizerKind.SGD, new double[] {Double.NaN}, Refusal.NON_FINITE_OBSERVATION},
    };
    for (Object[] c : cases) {
      OptimizerKind kind = (OptimizerKind) c[0];
      double[] poison = (double[]) c[1];
      Trainer<OptimizerState> trainer = trainer(optimizer(kind, s -> s.withLazy(true)));
      ModelState<OptimizerState> pure = trainer.initial();
      ModelState<OptimizerState> owned = trainer.initial();
      for (Batch batch : stream(17, 40, 8)) {
        pure = trainer.train(pure, batch).state();
        owned = trainer.trainOwned(owned, batch).state();
      }
      Batch poisoned = stream(19, 1, 8).get(0);
      int unused = D - 1;
      assertThat(SparseFixtures.SLOT).doesNotContain(unused);
      for (int r = 0; r < poison.length; r++) {
        poisoned.indices()[5 + r] = append(poisoned.indices()[5 + r], unused);
        poisoned.features()[5 + r] = append(poisoned.features()[5 + r], poison[r]);
      }
      double[][] kept = copies(arrays(owned.optimizer()));
      TrainingOutcome<OptimizerState> refused = trainer.trainOwned(owned, poisoned);
      assertThat(refused.report().accepted()).as(kind.name()).isFalse();
      assertThat(refused.report().refusal()).as(kind.name()).isEqualTo(c[2]);
      assertThat(arrays(owned.optimizer())).as(kind.name()).isDeepEqualTo(kept);

      List<Isolation.Attempt<OptimizerState>> a = Isolation.train(trainer, pure, poisoned);
      List<Isolation.Attempt<OptimizerState>> b = Isolation.trainOwned(trainer, owned, poisoned);
      assertThat(b).hasSize(a.size()).hasSizeGreaterThan(1);
      for (int i = 0; i < a.size(); i++) {
        assertSameBits(b.get(i).outcome(), a.get(i).outcome(), true, kind + " attempt " + i);
      }
    }
  }

  /** The state's per-coordinate arrays: θ and the velocity, or θ, m and v. */
  private static double[][] arrays(OptimizerState state) {
    if (state instanceof SgdState s) {
      return new double[][] {s.parameters(), s.velocity()};
    }
    AdamState s = (AdamState) state;
    return new double[][] {s.parameters(), s.firstMoment(), s.secondMoment()};
  }

  private static double[][] copies(double[][] arrays) {
    double[][] out = new double[arrays.length][];
    for (int a = 0; a < arrays.length; a++) {
      out[a] = arrays[a].clone();
    }
    return out;
  }
}
