package io.koala.testing;

import io.koala.model.Batch;
import java.util.SplittableRandom;

/** Fixed-seed synthetic micro-batch streams for tests. */
public final class Streams {

  private Streams() {}

  /**
   * Linear regression batches y = x·w + b + noise, x ~ U(−1, 1)^d, whose true weights jump to
   * {@code jumped} from batch {@code jumpAt} on (never when jumpAt < 0).
   */
  public static Batch[] regression(
      long seed,
      int batches,
      int batchSize,
      double[] weights,
      double[] jumped,
      int jumpAt,
      double noise) {
    SplittableRandom random = new SplittableRandom(seed);
    Batch[] out = new Batch[batches];
    for (int k = 0; k < batches; k++) {
      double[] w = jumpAt >= 0 && k >= jumpAt ? jumped : weights;
      double[][] x = new double[batchSize][w.length];
      double[] y = new double[batchSize];
      for (int i = 0; i < batchSize; i++) {
        double sum = 0.0;
        for (int j = 0; j < w.length; j++) {
          x[i][j] = 2 * random.nextDouble() - 1;
          sum += x[i][j] * w[j];
        }
        y[i] = sum + 0.5 + noise * random.nextGaussian();
      }
      out[k] = new Batch(x, y);
    }
    return out;
  }

  /** Binary labels from a logistic model with weights w (labels drawn, so not separable). */
  public static Batch[] logistic(long seed, int batches, int batchSize, double[] w) {
    SplittableRandom random = new SplittableRandom(seed);
    Batch[] out = new Batch[batches];
    for (int k = 0; k < batches; k++) {
      double[][] x = new double[batchSize][w.length];
      double[] y = new double[batchSize];
      for (int i = 0; i < batchSize; i++) {
        double z = 0.0;
        for (int j = 0; j < w.length; j++) {
          x[i][j] = random.nextGaussian();
          z += x[i][j] * w[j];
        }
        y[i] = random.nextDouble() < 1.0 / (1.0 + Math.exp(-z)) ? 1.0 : 0.0;
      }
      out[k] = new Batch(x, y);
    }
    return out;
  }

  /** Random feature rows with labels drawn uniformly from {@code classes} classes. */
  public static Batch randomBatch(long seed, int size, int features, int classes) {
    SplittableRandom random = new SplittableRandom(seed);
    double[][] x = new double[size][features];
    double[] y = new double[size];
    for (int i = 0; i < size; i++) {
      for (int j = 0; j < features; j++) {
        x[i][j] = random.nextGaussian();
      }
      y[i] = classes <= 1 ? random.nextGaussian() : random.nextInt(classes);
    }
    return new Batch(x, y);
  }

  public static double[] randomVector(long seed, int n, double scale) {
    SplittableRandom random = new SplittableRandom(seed);
    double[] v = new double[n];
    for (int i = 0; i < n; i++) {
      v[i] = scale * random.nextGaussian();
    }
    return v;
  }
}
