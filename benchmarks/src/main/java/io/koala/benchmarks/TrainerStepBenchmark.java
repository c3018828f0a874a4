package io.koala.benchmarks;

import io.koala.model.Batch;
import io.koala.model.LinearModel;
import io.koala.optimizer.OptimizerKind;
import io.koala.optimizer.OptimizerSpec;
import io.koala.optimizer.Optimizers;
import io.koala.optimizer.Preset;
import io.koala.state.ModelState;
import io.koala.state.OptimizerState;
import io.koala.training.Trainer;
import io.koala.training.TrainingOutcome;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The whole per-batch cost of a key's training step ({@link Trainer#train}: scoring, the model's
 * loss and gradient at every evaluation point, the step), logistic regression over d features, one
 * batch of 32, no standardisation: the default {@code auto} race against a single filter at
 * constant Q ({@code reference}) in the same run.
 *
 * <pre>benchmarks/run TrainerStepBenchmark</pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(
    value = 1,
    jvmArgsAppend = {"-Xmx4g"})
public class TrainerStepBenchmark {

  @Param({"100", "10000"})
  int d;

  @Param({"koala-v"})
  String optimizer;

  @Param({"reference", "auto"})
  String preset;

  private Trainer<OptimizerState> trainer;
  private ModelState<OptimizerState> state;
  private Batch batch;

  @Setup
  public void setUp() {
    LinearModel model = LinearModel.logisticRegression(d);
    trainer =
        new Trainer<>(
            model,
            Optimizers.create(
                OptimizerKind.byName(optimizer),
                Preset.valueOf(preset.toUpperCase(java.util.Locale.ROOT)),
                OptimizerSpec.of(model.layerwiseLayout())),
            false,
            1);
    SplittableRandom random = new SplittableRandom(42);
    double[][] x = new double[32][];
    double[] y = new double[32];
    for (int i = 0; i < x.length; i++) {
      x[i] = Floor.vector(random, d, 1.0);
      y[i] = random.nextBoolean() ? 1 : 0;
    }
    batch = new Batch(x, y);
    state = trainer.initial();
    for (int k = 0; k < 2; k++) {
      state = trainer.train(state, batch).state();
    }
  }

  @Benchmark
  public TrainingOutcome<OptimizerState> train() {
    return trainer.train(state, batch);
  }
}
