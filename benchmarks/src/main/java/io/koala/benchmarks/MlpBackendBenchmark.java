package io.koala.benchmarks;

import io.koala.model.Batch;
import io.koala.model.Head;
import io.koala.model.MlpBackend;
import io.koala.model.MlpModel;
import io.koala.optimizer.Observation;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.nd4j.linalg.factory.Nd4j;
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
 * Loss + gradient of one micro-batch for the MLP with a logistic head, at shapes batch × features ×
 * hidden, in plain loops against ND4J's gemm on one BLAS thread: where {@link
 * MlpModel#ND4J_CROSSOVER} comes from.
 *
 * <pre>benchmarks/run MlpBackendBenchmark
 * benchmarks/run MlpBackendBenchmark -p shape=32x1000x64,64x10000x256</pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(
    value = 1,
    jvmArgsAppend = {"-Xmx4g"})
public class MlpBackendBenchmark {

  /** batch x features x hidden. */
  @Param({
    "32x100x16",
    "32x1000x16",
    "32x100x64",
    "32x300x64",
    "32x1000x32",
    "32x1000x64",
    "64x1000x64",
    "64x10000x256",
    "256x1000x1024"
  })
  String shape;

  @Param({"loops", "nd4j"})
  String backend;

  private MlpModel model;
  private double[] parameters;
  private Batch batch;

  @Setup
  public void setUp() {
    String[] parts = shape.split("x");
    int size = Integer.parseInt(parts[0]);
    int d = Integer.parseInt(parts[1]);
    int hidden = Integer.parseInt(parts[2]);
    MlpBackend chosen = backend.equals("nd4j") ? MlpBackend.ND4J : MlpBackend.LOOPS;
    model = new MlpModel(d, hidden, Head.LOGISTIC, 2, chosen);
    SplittableRandom random = new SplittableRandom(7);
    parameters = Floor.vector(random, model.parameterCount(), 0.05);
    double[][] x = new double[size][];
    double[] y = new double[size];
    for (int i = 0; i < size; i++) {
      x[i] = Floor.vector(random, d, 1.0);
      y[i] = random.nextInt(2);
    }
    batch = new Batch(x, y);
    if (chosen == MlpBackend.ND4J) {
      Observation loops =
          new MlpModel(d, hidden, Head.LOGISTIC, 2, MlpBackend.LOOPS).evaluate(parameters, batch);
      check(loops, model.evaluate(parameters, batch));
      if (Nd4j.factory().blas().getMaxThreads() != 1) {
        throw new IllegalStateException(
            "OpenBLAS runs " + Nd4j.factory().blas().getMaxThreads() + " threads, not 1");
      }
    }
  }

  /** ND4J must compute the same thing, up to summation order, before its speed means anything. */
  private static void check(Observation expected, Observation actual) {
    double scale = Math.abs(expected.loss());
    for (double g : expected.gradient()) {
      scale = Math.max(scale, Math.abs(g));
    }
    double worst = Math.abs(expected.loss() - actual.loss());
    for (int i = 0; i < expected.gradient().length; i++) {
      worst = Math.max(worst, Math.abs(expected.gradient()[i] - actual.gradient()[i]));
    }
    if (worst > 1e-10 * scale) {
      throw new IllegalStateException("ND4J differs from the loops by " + worst + " at " + scale);
    }
  }

  @Benchmark
  public Observation lossAndGradient() {
    return model.evaluate(parameters, batch);
  }
}
