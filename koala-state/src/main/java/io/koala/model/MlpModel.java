package io.koala.model;

import io.koala.optimizer.BlockLayout;
import io.koala.optimizer.Observation;
import java.util.SplittableRandom;

/**
 * A one-hidden-layer perceptron a = tanh(W1 x + b1), z = W2 a + b2 under a loss head. Parameters in
 * order W1 (hidden × features, row-major), b1, W2 (outputs × hidden), b2: four layer-wise blocks.
 *
 * <p>The two large products of a batch, the pre-activations W1 x of every example and the gradient
 * of W1, run in plain loops or through ND4J's gemm (see {@link MlpBackend}): at {@link
 * MlpBackend#AUTO}, gemm when batch × features × hidden is at least {@link #ND4J_CROSSOVER}, the
 * size from which ND4J measured faster on one thread ({@code benchmarks/README.md}, "MLP: plain
 * loops or ND4J"). Below it ND4J's per-call overhead dominates, and the loops compute exactly as
 * they always have. Everything else (tanh, the output layer, the head, the bias gradients) is the
 * same Java code on both paths, so the two differ only in the summation order of those products.
 */
public final class MlpModel implements Model {

  /** At {@link MlpBackend#AUTO}, batches with batch × features × hidden from here use ND4J. */
  public static final long ND4J_CROSSOVER = 1_000_000L;

  private final int features;
  private final int hidden;
  private final int outputs;
  private final Head head;
  private final MlpBackend backend;
  private final ThreadLocal<Nd4jProducts> products;

  /** The model with plain loops at every size (the golden vectors' path). */
  public MlpModel(int features, int hidden, Head head, int classes) {
    this(features, hidden, head, classes, MlpBackend.LOOPS);
  }

  /**
   * The model with its products computed by {@code backend}.
   *
   * @throws IllegalStateException if the backend is {@link MlpBackend#ND4J} and ND4J does not load
   */
  public MlpModel(int features, int hidden, Head head, int classes, MlpBackend backend) {
    if (features < 1 || hidden < 1) {
      throw new IllegalArgumentException(
          "model.features and model.hidden must be >= 1, were " + features + " and " + hidden);
    }
    if (head == Head.SOFTMAX && classes < 2) {
      throw new IllegalArgumentException("model.classes must be >= 2 for softmax, was " + classes);
    }
    this.features = features;
    this.hidden = hidden;
    this.head = head;
    this.outputs = head.outputs(classes);
    this.backend = backend;
    if (backend == MlpBackend.ND4J) {
      requireNd4j("model.mlp.backend is nd4j");
    }
    this.products =
        backend == MlpBackend.LOOPS
            ? null
            : ThreadLocal.withInitial(() -> new Nd4jProducts(features, hidden));
  }

  /** Whether a batch of {@code size} examples goes through ND4J's gemm. */
  public boolean usesNd4j(int size) {
    return switch (backend) {
      case LOOPS -> false;
      case ND4J -> true;
      case AUTO -> (long) size * features * hidden >= ND4J_CROSSOVER;
    };
  }

  /**
   * Fails unless ND4J loads here. Called where a job starts when its batches would use ND4J, so
   * that a missing library is a configuration error, never a silent switch to other results.
   *
   * @param why what needs ND4J, for the message
   * @throws IllegalStateException if ND4J does not load
   */
  public static void requireNd4j(String why) {
    String reason = null;
    try {
      Class.forName("org.nd4j.linalg.factory.Nd4j", false, MlpModel.class.getClassLoader());
    } catch (ClassNotFoundException | LinkageError e) {
      reason = "ND4J (org.nd4j:nd4j-native-platform) is not on the class path";
    }
    if (reason == null) {
      try {
        Nd4jProducts.probe();
      } catch (RuntimeException | LinkageError e) {
        reason = "ND4J does not load here (" + e + ")";
      }
    }
    if (reason != null) {
      throw new IllegalStateException(
          why
              + " but "
              + reason
              + ": put ND4J's jars on the class path (./koala does; on a cluster, Flink's lib/)"
              + " or set model.mlp.backend to loops");
    }
  }

  private int b1() {
    return hidden * features;
  }

  private int w2() {
    return b1() + hidden;
  }

  private int b2() {
    return w2() + outputs * hidden;
  }

  @Override
  public int parameterCount() {
    return b2() + outputs;
  }

  @Override
  public int featureCount() {
    return features;
  }

  @Override
  public BlockLayout layerwiseLayout() {
    return BlockLayout.ofSizes(hidden * features, hidden, outputs * hidden, outputs);
  }

  /** Glorot-uniform weights, zero biases. */
  @Override
  public double[] initialParameters(long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    double[] p = new double[parameterCount()];
    double limit1 = Math.sqrt(6.0 / (features + hidden));
    for (int i = 0; i < b1(); i++) {
      p[i] = (2 * random.nextDouble() - 1) * limit1;
    }
    double limit2 = Math.sqrt(6.0 / (hidden + outputs));
    for (int i = w2(); i < b2(); i++) {
      p[i] = (2 * random.nextDouble() - 1) * limit2;
    }
    return p;
  }

  private void forward(double[] p, double[] x, double[] a, double[] z) {
    hiddenLayer(p, x, a);
    outputLayer(p, a, z);
  }

  private void hiddenLayer(double[] p, double[] x, double[] a) {
    int b1 = b1();
    int j = 0;
    // Four hidden units per pass over x: four independent accumulation chains instead of one
    // latency-bound chain; each sum keeps its left-to-right order, so results are unchanged.
    for (; j + 3 < hidden; j += 4) {
      int r0 = j * features;
      int r1 = r0 + features;
      int r2 = r1 + features;
      int r3 = r2 + features;
      double s0 = 0.0;
      double s1 = 0.0;
      double s2 = 0.0;
      double s3 = 0.0;
      for (int i = 0; i < features; i++) {
        double xi = x[i];
        s0 += xi * p[r0 + i];
        s1 += xi * p[r1 + i];
        s2 += xi * p[r2 + i];
        s3 += xi * p[r3 + i];
      }
      a[j] = Math.tanh(s0 + p[b1 + j]);
      a[j + 1] = Math.tanh(s1 + p[b1 + j + 1]);
      a[j + 2] = Math.tanh(s2 + p[b1 + j + 2]);
      a[j + 3] = Math.tanh(s3 + p[b1 + j + 3]);
    }
    for (; j < hidden; j++) {
      int row = j * features;
      double sum = 0.0;
      for (int i = 0; i < features; i++) {
        sum += x[i] * p[row + i];
      }
      a[j] = Math.tanh(sum + p[b1 + j]);
    }
  }

  private void outputLayer(double[] p, double[] a, double[] z) {
    int w2 = w2();
    int b2 = b2();
    for (int c = 0; c < outputs; c++) {
      int row = w2 + c * hidden;
      double sum = 0.0;
      for (int h = 0; h < hidden; h++) {
        sum += a[h] * p[row + h];
      }
      z[c] = sum + p[b2 + c];
    }
  }

  /** ∂/∂(W1 x + b1) from ∂/∂z: back through W2 and tanh. */
  /** Adds one example's gradient of W2 and b2 (output deltas dz, hidden activations a). */
  private void outputGradient(double[] dz, double[] a, double[] gradient) {
    int w2 = w2();
    int b2 = b2();
    for (int c = 0; c < outputs; c++) {
      double d = dz[c];
      int row = w2 + c * hidden;
      for (int j = 0; j < hidden; j++) {
        gradient[row + j] += d * a[j];
      }
      gradient[b2 + c] += d;
    }
  }

  private void backToHidden(double[] p, double[] a, double[] dz, double[] dPre) {
    int w2 = w2();
    for (int j = 0; j < hidden; j++) {
      double sum = 0.0;
      for (int c = 0; c < outputs; c++) {
        sum += dz[c] * p[w2 + c * hidden + j];
      }
      dPre[j] = sum * (1.0 - a[j] * a[j]);
    }
  }

  @Override
  public Observation evaluate(double[] p, Batch batch) {
    return usesNd4j(batch.size()) ? evaluateWithGemm(p, batch) : evaluateInLoops(p, batch);
  }

  private Observation evaluateInLoops(double[] p, Batch batch) {
    int size = batch.size();
    double[] gradient = new double[parameterCount()];
    double[] losses = new double[size];
    double[] a = new double[hidden];
    double[] z = new double[outputs];
    double[] dz = new double[outputs];
    double[] dPre = new double[hidden];
    int b1 = b1();
    double total = 0.0;
    for (int e = 0; e < size; e++) {
      double[] x = batch.features()[e];
      forward(p, x, a, z);
      double loss = head.loss(z, outputs, batch.labels()[e], dz);
      losses[e] = loss;
      total += loss;
      outputGradient(dz, a, gradient);
      backToHidden(p, a, dz, dPre);
      for (int j = 0; j < hidden; j++) {
        double d = dPre[j];
        int row = j * features;
        for (int i = 0; i < features; i++) {
          gradient[row + i] += d * x[i];
        }
        gradient[b1 + j] += d;
      }
    }
    return Head.meanOver(size, total, losses, gradient);
  }

  /**
   * As {@link #evaluateInLoops}, with W1 x of all rows in one gemm before the examples and the
   * gradient of W1 in one gemm after them; the rest runs per example in the same order.
   */
  private Observation evaluateWithGemm(double[] p, Batch batch) {
    int size = batch.size();
    Nd4jProducts gemm;
    try {
      gemm = products.get();
    } catch (LinkageError e) {
      requireNd4j("a batch of " + size + " × " + features + " × " + hidden + " picks ND4J");
      throw e;
    }
    double[] pre = new double[size * hidden];
    gemm.preActivations(p, batch.features(), size, pre);
    double[] gradient = new double[parameterCount()];
    double[] losses = new double[size];
    double[] a = new double[hidden];
    double[] z = new double[outputs];
    double[] dz = new double[outputs];
    double[] dPre = new double[hidden];
    double[] delta = new double[size * hidden];
    int b1 = b1();
    double total = 0.0;
    for (int e = 0; e < size; e++) {
      int offset = e * hidden;
      for (int j = 0; j < hidden; j++) {
        a[j] = Math.tanh(pre[offset + j] + p[b1 + j]);
      }
      outputLayer(p, a, z);
      double loss = head.loss(z, outputs, batch.labels()[e], dz);
      losses[e] = loss;
      total += loss;
      outputGradient(dz, a, gradient);
      backToHidden(p, a, dz, dPre);
      System.arraycopy(dPre, 0, delta, offset, hidden);
      for (int j = 0; j < hidden; j++) {
        gradient[b1 + j] += dPre[j];
      }
    }
    gemm.weightGradient(delta, gradient);
    return Head.meanOver(size, total, losses, gradient);
  }

  @Override
  public Prediction predict(double[] p, double[] x) {
    double[] a = new double[hidden];
    double[] z = new double[outputs];
    double[] dOutput = new double[outputs];
    double[] dPre = new double[hidden];
    double[] scores = head == Head.SOFTMAX ? new double[outputs] : null;
    forward(p, x, a, z);
    double value = head.output(z, outputs, dOutput, scores);
    backToHidden(p, a, dOutput, dPre);
    // ‖∂out/∂θ‖² = ‖dOut‖² (‖a‖² + 1) + ‖dPre‖² (‖x‖² + 1): outer products with [a, 1] and [x, 1].
    double aa = 1.0;
    for (double v : a) {
      aa += v * v;
    }
    double xx = 1.0;
    for (double v : x) {
      xx += v * v;
    }
    double dd = 0.0;
    for (double d : dOutput) {
      dd += d * d;
    }
    double pp = 0.0;
    for (double d : dPre) {
      pp += d * d;
    }
    // Per output c: ∂z_c/∂θ is [a, 1] in W2's row c and b2_c, and W2[c, j](1 − a_j²)·[x, 1] in
    // hidden unit j's row of W1 and b1_j.
    double[] outputSensitivities = new double[outputs];
    int w2 = w2();
    for (int c = 0; c < outputs; c++) {
      double hiddenPart = 0.0;
      for (int j = 0; j < hidden; j++) {
        double back = p[w2 + c * hidden + j] * (1.0 - a[j] * a[j]);
        hiddenPart += back * back;
      }
      outputSensitivities[c] = aa + hiddenPart * xx;
    }
    return new Prediction(value, scores, dd * aa + pp * xx, z, outputSensitivities);
  }

  @Override
  public boolean accepts(double label) {
    return head.accepts(label, outputs);
  }

  @Override
  public boolean isClassifier() {
    return head != Head.SQUARED;
  }
}
