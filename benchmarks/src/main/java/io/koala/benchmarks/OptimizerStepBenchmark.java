package io.koala.benchmarks;

import io.koala.optimizer.BlockLayout;
import io.koala.optimizer.Observation;
import io.koala.optimizer.Optimizer;
import io.koala.optimizer.OptimizerKind;
import io.koala.optimizer.OptimizerSpec;
import io.koala.optimizer.Optimizers;
import io.koala.optimizer.Preset;
import io.koala.optimizer.StepResult;
import io.koala.state.OptimizerState;
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
 * Cost of one optimizer step at d parameters, one block ("global") or two blocks ("layerwise": 99 %
 * weights, 1 % biases), beside the floor every KOALA-V step must pay: a squared norm plus an axpy
 * into a new array (immutable state). Each optimizer runs its reference preset unless {@code -p
 * preset=auto} (the race's three member steps on one observation each, without the model
 * evaluations: {@code -p optimizer=koala-v -p d=10000 -p preset=reference,auto}; the whole
 * per-batch cost with the evaluations is {@link TrainerStepBenchmark}'s).
 *
 * <pre>benchmarks/run OptimizerStepBenchmark -prof gc</pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(
    value = 1,
    jvmArgsAppend = {"-Xmx4g"})
public class OptimizerStepBenchmark {

  @Param({"100", "10000", "1000000"})
  int d;

  @Param({"global", "layerwise"})
  String layout;

  @Param({"koala-v", "koala-m", "koala-pp", "sgd", "adam"})
  String optimizer;

  /** The preset (reference: constant Q; auto: the race over Q, {@code -p preset=auto}). */
  @Param({"reference"})
  String preset;

  private Optimizer<OptimizerState> opt;
  private OptimizerState state;
  private Observation observation;
  private Observation[] observations;

  @Setup
  public void setUp() {
    BlockLayout blocks =
        layout.equals("global")
            ? BlockLayout.global(d)
            : BlockLayout.ofSizes(d - Math.max(1, d / 100), Math.max(1, d / 100));
    opt =
        Optimizers.create(
            OptimizerKind.byName(optimizer),
            Preset.valueOf(preset.toUpperCase(java.util.Locale.ROOT)),
            OptimizerSpec.of(blocks));
    SplittableRandom random = new SplittableRandom(42);
    double[] theta = Floor.vector(random, d, 1.0);
    double[] gradient = Floor.vector(random, d, 0.01);
    double[] losses = new double[32];
    java.util.Arrays.fill(losses, 0.5);
    observation = new Observation(0.5, losses, gradient);
    state = opt.initialState(theta);
    observations = new Observation[opt.evaluationPoints(state).length];
    java.util.Arrays.fill(observations, observation);
    // Two steps so that KOALA++ runs its recursion, not its first visit.
    for (int k = 0; k < 2; k++) {
      state = opt.step(state, observations).state();
    }
  }

  @Benchmark
  public StepResult<OptimizerState> step() {
    return opt.step(state, observations);
  }
}
