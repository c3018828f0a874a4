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
import java.util.Arrays;
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
 * One prediction request of 156 non-zeros (the spam stream's mean) against a logistic model at the
 * defaults: {@code sparse} is the operator's path for a sparse request ({@link
 * Trainer#predict(ModelState, int[], double[])}); {@code denseRow} is the earlier one, the row made
 * dense of d values and scored over all of them.
 *
 * <pre>
 * benchmarks/run SparsePredictBenchmark
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(
    value = 1,
    jvmArgsAppend = {"-Xmx4g"})
public class SparsePredictBenchmark {

  @Param({"1024", "262144", "1048576"})
  int d;

  private Trainer<OptimizerState> trainer;
  private ModelState<OptimizerState> state;
  private int[] indices;
  private double[] values;
  private Batch row;

  @Setup
  public void setUp() {
    LinearModel model = LinearModel.logisticRegression(d);
    trainer =
        new Trainer<>(
            model,
            Optimizers.create(
                OptimizerKind.KOALA_V, Preset.AUTO, OptimizerSpec.of(model.layerwiseLayout())),
            false,
            1);
    state = trainer.initial();
    SplittableRandom random = new SplittableRandom(42);
    TreeSet<Integer> at = new TreeSet<>();
    while (at.size() < SparseStepBenchmark.NON_ZEROS) {
      at.add(random.nextInt(d));
    }
    indices = at.stream().mapToInt(Integer::intValue).toArray();
    values = new double[indices.length];
    Arrays.fill(values, 1.0);
    row = Batch.sparseRequest(indices, values, d);
  }

  /** The operator's path for a sparse request. */
  @Benchmark
  public Trainer.Answer sparse() {
    return trainer.predict(state, indices, values);
  }

  /** The earlier path: the row made dense (as the decoder did), then scored over all d values. */
  @Benchmark
  public Trainer.Answer denseRow() {
    return trainer.predict(state, row.dense(0, d));
  }
}
