package io.koala.benchmarks;

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
 * The cheapest work a KOALA-V step can do, the baseline of {@link OptimizerStepBenchmark}: one
 * squared norm and one axpy into a new array (the state is immutable).
 *
 * <pre>benchmarks/run 'Floor|OptimizerStepBenchmark' -prof gc</pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(
    value = 1,
    jvmArgsAppend = {"-Xmx4g"})
public class Floor {

  @Param({"100", "10000", "1000000"})
  int d;

  private double[] theta;
  private double[] gradient;

  @Setup
  public void setUp() {
    SplittableRandom random = new SplittableRandom(42);
    theta = vector(random, d, 1.0);
    gradient = vector(random, d, 0.01);
  }

  @Benchmark
  public double[] dotAxpy() {
    double squared = 0.0;
    for (double gi : gradient) {
      squared += gi * gi;
    }
    double a = 0.5 / (squared + 1.0);
    double[] next = new double[theta.length];
    for (int i = 0; i < next.length; i++) {
      next[i] = theta[i] - a * gradient[i];
    }
    return next;
  }

  static double[] vector(SplittableRandom random, int n, double scale) {
    double[] v = new double[n];
    for (int i = 0; i < n; i++) {
      v[i] = scale * random.nextGaussian();
    }
    return v;
  }
}
