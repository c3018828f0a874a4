package io.koala.model;

import io.koala.optimizer.BlockLayout;
import io.koala.optimizer.Observation;
import io.koala.optimizer.SparseGradient;
import java.util.Arrays;

/**
 * A generalised linear model z = W x + b under a loss head: linear regression (squared loss),
 * logistic regression, or softmax regression. Parameters: W row-major (outputs × features), then b.
 *
 * <p>Sums run left to right over features and then over examples, the order the golden vectors were
 * computed in, so results match them bit for bit. A sparse row is summed over its non-zeros in the
 * same order, which gives the bits of its dense form (the skipped terms are zeros), at a cost in
 * its non-zeros rather than in the dimension; the gradient is still a dense vector.
 */
public final class LinearModel implements Model {

  private final int features;
  private final int outputs;
  private final Head head;

  /**
   * @param features input dimension
   * @param head the loss
   * @param classes number of classes (softmax; ignored otherwise)
   */
  public LinearModel(int features, Head head, int classes) {
    if (features < 1) {
      throw new IllegalArgumentException("model.features must be >= 1, was " + features);
    }
    if (head == Head.SOFTMAX && classes < 2) {
      throw new IllegalArgumentException("model.classes must be >= 2 for softmax, was " + classes);
    }
    this.features = features;
    this.head = head;
    this.outputs = head.outputs(classes);
  }

  public static LinearModel linearRegression(int features) {
    return new LinearModel(features, Head.SQUARED, 1);
  }

  public static LinearModel logisticRegression(int features) {
    return new LinearModel(features, Head.LOGISTIC, 2);
  }

  public static LinearModel softmaxRegression(int features, int classes) {
    return new LinearModel(features, Head.SOFTMAX, classes);
  }

  public Head head() {
    return head;
  }

  @Override
  public int parameterCount() {
    return outputs * features + outputs;
  }

  @Override
  public int featureCount() {
    return features;
  }

  @Override
  public BlockLayout layerwiseLayout() {
    return BlockLayout.ofSizes(outputs * features, outputs);
  }

  @Override
  public double[] initialParameters(long seed) {
    return new double[parameterCount()];
  }

  @Override
  public Observation evaluate(double[] parameters, Batch batch) {
    int size = batch.size();
    int biasOffset = outputs * features;
    double[] gradient = new double[parameterCount()];
    double[] losses = new double[size];
    double[] z = new double[outputs];
    double[] dz = new double[outputs];
    double total = 0.0;
    for (int e = 0; e < size; e++) {
      double[] x = batch.features()[e];
      int[] at = batch.isSparse(e) ? batch.indices()[e] : null;
      if (at == null) {
        scores(parameters, x, z);
      } else {
        sparseScores(parameters, at, x, z);
      }
      double loss = head.loss(z, outputs, batch.labels()[e], dz);
      losses[e] = loss;
      total += loss;
      for (int c = 0; c < outputs; c++) {
        double d = dz[c];
        int row = c * features;
        if (at == null) {
          for (int j = 0; j < features; j++) {
            gradient[row + j] += d * x[j];
          }
        } else {
          for (int k = 0; k < at.length; k++) {
            gradient[row + at[k]] += d * x[k];
          }
        }
        gradient[biasOffset + c] += d;
      }
    }
    return Head.meanOver(size, total, losses, gradient);
  }

  @Override
  public boolean evaluatesSparse() {
    return true;
  }

  /**
   * The gradient of {@link #evaluate} as its non-zero entries. The dense sum adds, per parameter,
   * one term per example in example order, starting from 0; here every weight term is tagged with
   * its parameter and its place in that order, the tags sorted, and each parameter's terms summed
   * in the same order from 0: the same additions, so the same bits, at O(n log n) for n terms.
   */
  @Override
  public Observation evaluateSparse(double[] parameters, Batch batch) {
    int size = batch.size();
    int biasOffset = outputs * features;
    int terms = 0;
    for (int e = 0; e < size; e++) {
      if (!batch.isSparse(e)) {
        throw new IllegalArgumentException("row " + e + " of the batch is dense");
      }
      terms += outputs * batch.indices()[e].length;
    }
    long[] tags = new long[terms];
    double[] term = new double[terms];
    double[] bias = new double[outputs];
    double[] losses = new double[size];
    double[] z = new double[outputs];
    double[] dz = new double[outputs];
    double total = 0.0;
    int n = 0;
    for (int e = 0; e < size; e++) {
      double[] x = batch.features()[e];
      int[] at = batch.indices()[e];
      sparseScores(parameters, at, x, z);
      double loss = head.loss(z, outputs, batch.labels()[e], dz);
      losses[e] = loss;
      total += loss;
      for (int c = 0; c < outputs; c++) {
        double d = dz[c];
        long row = (long) c * features;
        for (int k = 0; k < at.length; k++) {
          tags[n] = ((row + at[k]) << 32) | n;
          term[n] = d * x[k];
          n++;
        }
        bias[c] += d;
      }
    }
    Arrays.sort(tags);
    int[] indices = new int[terms + outputs];
    double[] values = new double[terms + outputs];
    int unique = 0;
    for (int t = 0; t < terms; ) {
      int index = (int) (tags[t] >>> 32);
      double sum = 0.0;
      while (t < terms && (int) (tags[t] >>> 32) == index) {
        sum += term[(int) tags[t]];
        t++;
      }
      indices[unique] = index;
      values[unique] = sum / size;
      unique++;
    }
    for (int c = 0; c < outputs; c++) {
      indices[unique] = biasOffset + c;
      values[unique] = bias[c] / size;
      unique++;
    }
    return Observation.sparse(
        total / size,
        losses,
        new SparseGradient(Arrays.copyOf(indices, unique), Arrays.copyOf(values, unique)));
  }

  private void scores(double[] parameters, double[] x, double[] z) {
    int biasOffset = outputs * features;
    for (int c = 0; c < outputs; c++) {
      int row = c * features;
      double sum = 0.0;
      for (int j = 0; j < features; j++) {
        sum += x[j] * parameters[row + j];
      }
      z[c] = sum + parameters[biasOffset + c];
    }
  }

  private void sparseScores(double[] parameters, int[] at, double[] x, double[] z) {
    int biasOffset = outputs * features;
    for (int c = 0; c < outputs; c++) {
      int row = c * features;
      double sum = 0.0;
      for (int k = 0; k < at.length; k++) {
        sum += x[k] * parameters[row + at[k]];
      }
      z[c] = sum + parameters[biasOffset + c];
    }
  }

  @Override
  public boolean acceptsSparse() {
    return true;
  }

  @Override
  public Prediction predict(double[] parameters, Batch batch, int row) {
    return batch.isSparse(row)
        ? predict(parameters, batch.indices()[row], batch.features()[row])
        : predict(parameters, batch.features()[row]);
  }

  @Override
  public Prediction predict(double[] parameters, double[] x) {
    return predict(parameters, null, x);
  }

  /** A prediction for a dense row ({@code at} null) or the non-zeros {@code x} at {@code at}. */
  private Prediction predict(double[] parameters, int[] at, double[] x) {
    double[] z = new double[outputs];
    double[] dOutput = new double[outputs];
    double[] scores = head == Head.SOFTMAX ? new double[outputs] : null;
    if (at == null) {
      scores(parameters, x, z);
    } else {
      sparseScores(parameters, at, x, z);
    }
    double value = head.output(z, outputs, dOutput, scores);
    double xx = 1.0;
    for (double v : x) {
      xx += v * v;
    }
    double dd = 0.0;
    for (double d : dOutput) {
      dd += d * d;
    }
    // Output c depends on its own row of W and its own bias: ∂z_c/∂θ = [x, 1] in that block.
    double[] outputSensitivities = new double[outputs];
    Arrays.fill(outputSensitivities, xx);
    return new Prediction(value, scores, dd * xx, z, outputSensitivities);
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
