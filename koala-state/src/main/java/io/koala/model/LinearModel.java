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
 * its non-zeros rather than in the dimension. {@link #evaluate} returns a dense gradient; {@link
 * #evaluateSparse} only its non-zero entries, with the same bits.
 */
public final class LinearModel implements Model {

  /**
   * The sparse gradient sums densely when the parameters number at most this many times the
   * gradient's terms (rows × outputs × non-zeros), else it orders the terms. Either way the bits
   * are the same; the factor only moves the cost. Chosen by JMH (SparseStepBenchmark, 32 rows of
   * 156 non-zeros, KOALA-V at auto): ordering costs 157 against 176 µs at d = 16,384, 152 against
   * 285 µs at d = 65,536; the dense sum 95 µs at d = 4,096.
   */
  static final long DENSE_BELOW = 1;

  private static final int RADIX_BITS = 11;
  private static final int RADIX = 1 << RADIX_BITS;

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
   * one term per example in example order, starting from 0; here the batch's non-zeros are put in
   * order of their feature index by a stable radix sort (rows in order within an index), and each
   * parameter's terms summed in that order from 0: the same additions, so the same bits, in
   * O(non-zeros). With few parameters for the terms ({@link #DENSE_BELOW}) the dense sum is scanned
   * instead.
   */
  @Override
  public Observation evaluateSparse(double[] parameters, Batch batch) {
    return evaluateSparse(new double[][] {parameters}, batch)[0];
  }

  /** As {@link #evaluateSparse(double[], Batch)} at several points; the order is sorted once. */
  @Override
  public Observation[] evaluateSparse(double[][] points, Batch batch) {
    int size = batch.size();
    int[] offset = new int[size + 1];
    for (int e = 0; e < size; e++) {
      if (!batch.isSparse(e)) {
        throw new IllegalArgumentException("row " + e + " of the batch is dense");
      }
      offset[e + 1] = offset[e] + batch.indices()[e].length;
    }
    int n = offset[size];
    Observation[] out = new Observation[points.length];
    if ((long) parameterCount() <= DENSE_BELOW * n * outputs) {
      // Few parameters for the terms: the dense sum and one scan for its non-zeros cost less than
      // ordering the terms, and list exactly the entries that move a parameter.
      for (int m = 0; m < points.length; m++) {
        Observation dense = evaluate(points[m], batch);
        out[m] =
            Observation.sparse(dense.loss(), dense.exampleLosses(), nonZeros(dense.gradient()));
      }
      return out;
    }
    int[] keys = new int[n];
    int[] rowOf = new int[n];
    double[] flat = new double[n];
    for (int e = 0; e < size; e++) {
      int[] at = batch.indices()[e];
      System.arraycopy(at, 0, keys, offset[e], at.length);
      System.arraycopy(batch.features()[e], 0, flat, offset[e], at.length);
      Arrays.fill(rowOf, offset[e], offset[e + 1], e);
    }
    int[] order = stableOrder(keys);
    // In that order, shared by every point: each non-zero's row and value, and the runs of one
    // feature index.
    int[] rowAt = new int[n];
    double[] xAt = new double[n];
    int[] runStart = new int[n + 1];
    int[] runIndex = new int[n];
    int runs = 0;
    for (int t = 0; t < n; t++) {
      int position = order[t];
      rowAt[t] = rowOf[position];
      xAt[t] = flat[position];
      if (t == 0 || keys[position] != runIndex[runs - 1]) {
        runIndex[runs] = keys[position];
        runStart[runs++] = t;
      }
    }
    runStart[runs] = n;
    int biasOffset = outputs * features;
    for (int m = 0; m < points.length; m++) {
      double[] parameters = points[m];
      double[] losses = new double[size];
      double[] dz = new double[size * outputs];
      double[] z = new double[outputs];
      double[] dzRow = new double[outputs];
      double[] bias = new double[outputs];
      double total = 0.0;
      for (int e = 0; e < size; e++) {
        sparseScores(parameters, batch.indices()[e], batch.features()[e], z);
        double loss = head.loss(z, outputs, batch.labels()[e], dzRow);
        losses[e] = loss;
        total += loss;
        for (int c = 0; c < outputs; c++) {
          dz[e * outputs + c] = dzRow[c];
          bias[c] += dzRow[c];
        }
      }
      int[] indices = new int[outputs * runs + outputs];
      double[] values = new double[indices.length];
      int k = 0;
      for (int c = 0; c < outputs; c++) {
        int first = c * features;
        for (int r = 0; r < runs; r++) {
          double sum = 0.0;
          for (int t = runStart[r]; t < runStart[r + 1]; t++) {
            sum += dz[rowAt[t] * outputs + c] * xAt[t];
          }
          k = entry(indices, values, k, first + runIndex[r], sum / size);
        }
      }
      for (int c = 0; c < outputs; c++) {
        k = entry(indices, values, k, biasOffset + c, bias[c] / size);
      }
      if (k < indices.length) {
        indices = Arrays.copyOf(indices, k);
        values = Arrays.copyOf(values, k);
      }
      out[m] = Observation.sparse(total / size, losses, new SparseGradient(indices, values));
    }
    return out;
  }

  /**
   * Lists the gradient's entry at {@code index} unless it is zero, so that both ways of summing
   * list the same entries (those that move a parameter, as {@link #nonZeros}); returns the next
   * free slot.
   */
  private static int entry(int[] indices, double[] values, int k, int index, double value) {
    if (value == 0.0) {
      return k;
    }
    indices[k] = index;
    values[k] = value;
    return k + 1;
  }

  /**
   * The positions 0 … n−1 ordered by {@code keys[position]} (non-negative), positions with equal
   * keys in increasing order: a least-significant-digit radix sort, 11 bits per pass, as many
   * passes as the largest key needs.
   */
  static int[] stableOrder(int[] keys) {
    int n = keys.length;
    int bits = 0;
    for (int key : keys) {
      bits |= key;
    }
    int[] order = new int[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    int[] next = new int[n];
    int[] count = new int[RADIX + 1];
    for (int shift = 0; shift < 32 && (bits >>> shift) != 0; shift += RADIX_BITS) {
      Arrays.fill(count, 0);
      for (int i = 0; i < n; i++) {
        count[((keys[order[i]] >>> shift) & (RADIX - 1)) + 1]++;
      }
      for (int b = 0; b < RADIX; b++) {
        count[b + 1] += count[b];
      }
      for (int i = 0; i < n; i++) {
        int p = order[i];
        next[count[(keys[p] >>> shift) & (RADIX - 1)]++] = p;
      }
      int[] swap = order;
      order = next;
      next = swap;
    }
    return order;
  }

  /** The entries of {@code gradient} that are not zero (a −0 moves no parameter either). */
  private static SparseGradient nonZeros(double[] gradient) {
    int n = 0;
    for (double g : gradient) {
      if (g != 0.0) {
        n++;
      }
    }
    int[] indices = new int[n];
    double[] values = new double[n];
    int k = 0;
    for (int i = 0; i < gradient.length; i++) {
      if (gradient[i] != 0.0) {
        indices[k] = i;
        values[k++] = gradient[i];
      }
    }
    return new SparseGradient(indices, values);
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
