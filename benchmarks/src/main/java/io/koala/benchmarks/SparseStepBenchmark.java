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
import java.util.TreeSet;
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
 * A key's whole training step on a batch of 32 sparse rows of 156 non-zeros (the spam stream's
 * mean), logistic regression, every optimizer at its defaults, against the dimension d at fixed
 * non-zeros; besides, plain SGD ({@code sgd-plain}: momentum 0) and the lazy SGD and Adam ({@code
 * sgd-lazy}, {@code adam-lazy}: {@code koala.optimizer.lazy}). {@code path=owned} is the operator's
 * ({@link Trainer#trainOwned}: the sparse gradient and in-place step of the optimizers that step
 * sparse, the state carried from call to call); {@code path=copying} is {@link Trainer#train},
 * which keeps its input and so writes a new d-vector per step.
 *
 * <pre>
 * benchmarks/run SparseStepBenchmark
 * benchmarks/run SparseStepBenchmark -p optimizer=koala-v -p path=owned,copying
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(
    value = 1,
    jvmArgsAppend = {"-Xmx6g"})
public class SparseStepBenchmark {

  /** Non-zeros per row. */
  static final int NON_ZEROS = 156;

  @Param({"1024", "16384", "262144", "1048576", "4194304"})
  int d;

  @Param({"koala-v", "koala-m", "koala-pp", "sgd", "adam", "sgd-plain", "sgd-lazy", "adam-lazy"})
  String optimizer;

  @Param({"owned"})
  String path;

  private Trainer<OptimizerState> trainer;
  private ModelState<OptimizerState> state;
  private Batch batch;

  @Setup
  public void setUp() {
    LinearModel model = LinearModel.logisticRegression(d);
    OptimizerSpec spec = OptimizerSpec.of(model.layerwiseLayout());
    String kind = optimizer;
    if (optimizer.endsWith("-lazy")) {
      kind = optimizer.substring(0, optimizer.length() - "-lazy".length());
      spec = spec.withLazy(true);
    } else if (optimizer.equals("sgd-plain")) {
      kind = "sgd";
      spec = spec.withMomentum(0.0);
    }
    trainer =
        new Trainer<>(
            model, Optimizers.create(OptimizerKind.byName(kind), Preset.AUTO, spec), false, 1);
    SplittableRandom random = new SplittableRandom(42);
    double[][] values = new double[32][];
    int[][] indices = new int[32][];
    double[] y = new double[32];
    for (int i = 0; i < values.length; i++) {
      TreeSet<Integer> at = new TreeSet<>();
      while (at.size() < NON_ZEROS) {
        at.add(random.nextInt(d));
      }
      indices[i] = at.stream().mapToInt(Integer::intValue).toArray();
      values[i] = new double[NON_ZEROS];
      java.util.Arrays.fill(values[i], 1.0);
      y[i] = random.nextBoolean() ? 1 : 0;
    }
    batch = new Batch(values, y, indices);
    state = trainer.initial();
    for (int k = 0; k < 2; k++) {
      state = trainer.train(state, batch).state();
    }
  }

  @Benchmark
  public TrainingOutcome<OptimizerState> train() {
    if (path.equals("copying")) {
      return trainer.train(state, batch);
    }
    TrainingOutcome<OptimizerState> outcome = trainer.trainOwned(state, batch);
    state = outcome.state();
    return outcome;
  }
}
