package io.koala.benchmarks;

import io.koala.model.Batch;
import io.koala.model.Head;
import io.koala.model.LinearModel;
import io.koala.model.MlpModel;
import io.koala.model.Model;
import io.koala.optimizer.Observation;
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
 * Loss + gradient of one micro-batch of 32 per model, at d = 100 and 1,000 features (softmax: 10
 * classes; MLP: 64 hidden units, logistic head), plus the ND4J candidate of the MLP.
 *
 * <pre>benchmarks/run ModelBenchmark</pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(
    value = 1,
    jvmArgsAppend = {"-Xmx4g"})
public class ModelBenchmark {

  private static final int BATCH = 32;
  private static final int HIDDEN = 64;

  @Param({"100", "1000"})
  int d;

  @Param({"linear", "logistic", "softmax", "mlp", "mlp-nd4j"})
  String model;

  private Model plain;
  private Nd4jMlp nd4j;
  private double[] parameters;
  private Batch batch;

  @Setup
  public void setUp() {
    plain =
        switch (model) {
          case "linear" -> LinearModel.linearRegression(d);
          case "logistic" -> LinearModel.logisticRegression(d);
          case "softmax" -> LinearModel.softmaxRegression(d, 10);
          case "mlp", "mlp-nd4j" -> new MlpModel(d, HIDDEN, Head.LOGISTIC, 2);
          default -> throw new IllegalArgumentException(model);
        };
    if (model.equals("mlp-nd4j")) {
      nd4j = new Nd4jMlp(d, HIDDEN, BATCH);
    }
    SplittableRandom random = new SplittableRandom(7);
    parameters = Floor.vector(random, plain.parameterCount(), 0.05);
    double[][] x = new double[BATCH][];
    double[] y = new double[BATCH];
    for (int i = 0; i < BATCH; i++) {
      x[i] = Floor.vector(random, d, 1.0);
      y[i] = model.equals("softmax") ? random.nextInt(10) : random.nextInt(2);
    }
    batch = new Batch(x, y);
    if (nd4j != null) {
      check(plain.evaluate(parameters, batch), nd4j.evaluate(parameters, batch));
    }
  }

  /** The candidate must compute the same thing before its speed means anything. */
  private static void check(Observation expected, Observation actual) {
    double worst = Math.abs(expected.loss() - actual.loss());
    for (int i = 0; i < expected.gradient().length; i++) {
      worst = Math.max(worst, Math.abs(expected.gradient()[i] - actual.gradient()[i]));
    }
    if (worst > 1e-9) {
      throw new IllegalStateException("ND4J MLP differs from MlpModel by " + worst);
    }
  }

  @Benchmark
  public Observation lossAndGradient() {
    return nd4j != null ? nd4j.evaluate(parameters, batch) : plain.evaluate(parameters, batch);
  }
}
