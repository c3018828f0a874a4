package io.koala.training;

import static org.assertj.core.api.Assertions.assertThat;

import io.koala.model.Batch;
import io.koala.model.LinearModel;
import io.koala.model.Model;
import io.koala.optimizer.OptimizerKind;
import io.koala.optimizer.OptimizerSpec;
import io.koala.optimizer.Optimizers;
import io.koala.optimizer.Preset;
import io.koala.state.OptimizerState;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class IsolationTest {

  private static final Model MODEL = LinearModel.logisticRegression(3);
  private static final Trainer<OptimizerState> TRAINER =
      new Trainer<>(
          MODEL,
          Optimizers.create(
              OptimizerKind.KOALA_V, Preset.STREAM, OptimizerSpec.of(MODEL.layerwiseLayout())),
          false,
          42);

  private static Batch batch(int size, int hugeAt) {
    return batch(size, hugeAt, 5);
  }

  private static Batch batch(int size, int hugeAt, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    double[][] x = new double[size][];
    double[] y = new double[size];
    for (int i = 0; i < size; i++) {
      x[i] =
          i == hugeAt
              ? new double[] {1e308, -1e308, 1e308}
              : new double[] {random.nextGaussian(), random.nextGaussian(), random.nextGaussian()};
      y[i] = random.nextBoolean() ? 1 : 0;
    }
    return new Batch(x, y);
  }

  @Test
  void acceptedBatch_isOneStep_asBefore() {
    var attempts = Isolation.train(TRAINER, TRAINER.initial(), batch(8, -1));
    assertThat(attempts)
        .singleElement()
        .satisfies(
            a -> {
              assertThat(a.outcome().report().accepted()).isTrue();
              assertThat(a.batch().size()).isEqualTo(8);
            });
    var direct = TRAINER.train(TRAINER.initial(), batch(8, -1));
    assertThat(attempts.get(0).outcome().state().optimizer().parameters())
        .containsExactly(direct.state().optimizer().parameters());
  }

  @Test
  void oneOffender_isRefusedAlone_andEveryOtherExampleTrainsOnce() {
    // A model that has learnt something (at the zero start an overflowing gradient only stalls).
    var learnt = TRAINER.train(TRAINER.initial(), batch(8, -1, 9)).state();
    // The offender's label is the class the model gets wrong: its loss and gradient overflow.
    Batch batch = batch(8, 5);
    double[][] alone = {batch.features()[5]};
    boolean wrongIfOne =
        !TRAINER.train(learnt, new Batch(alone, new double[] {1})).report().accepted();
    batch.labels()[5] = wrongIfOne ? 1 : 0;
    assertThat(
            TRAINER
                .train(learnt, new Batch(alone, new double[] {batch.labels()[5]}))
                .report()
                .accepted())
        .as("the offender alone is refused")
        .isFalse();
    List<Isolation.Attempt<OptimizerState>> attempts = Isolation.train(TRAINER, learnt, batch);
    var refused = attempts.stream().filter(a -> !a.outcome().report().accepted()).toList();
    assertThat(refused)
        .singleElement()
        .satisfies(
            a -> {
              assertThat(a.offset()).isEqualTo(5);
              assertThat(a.batch().size()).isEqualTo(1);
            });
    int trained =
        attempts.stream()
            .filter(a -> a.outcome().report().accepted())
            .mapToInt(a -> a.batch().size())
            .sum();
    assertThat(trained).isEqualTo(7);
    // The parts cover the batch in order, each example once.
    int next = 0;
    for (var a : attempts) {
      assertThat(a.offset()).isEqualTo(next);
      next += a.batch().size();
    }
    assertThat(next).isEqualTo(8);
    var last = attempts.get(attempts.size() - 1).outcome().state();
    assertThat(last.examples()).isEqualTo(8 + 7);
    assertThat(java.util.Arrays.stream(last.optimizer().parameters())).allMatch(Double::isFinite);
  }
}
