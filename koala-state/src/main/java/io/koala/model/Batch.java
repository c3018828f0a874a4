package io.koala.model;

import java.util.Arrays;

/**
 * A micro-batch of labelled examples, each row dense or sparse.
 *
 * <p>A sparse row i has {@code indices[i]} (strictly increasing feature indices) and holds in
 * {@code features[i]} the values at those indices only; a dense row has {@code indices[i] == null}
 * (or no {@code indices} at all) and holds a value per feature. A sparse row stands for the dense
 * row with zeros elsewhere, and every model computes the same bits from either form.
 *
 * @param features one row of features per example: all values (dense) or the non-zeros (sparse)
 * @param labels the target per example: a value (regression), 0/1 (binary) or a class index
 * @param indices per row, its feature indices when sparse, null when dense; null when every row is
 */
public record Batch(double[][] features, double[] labels, int[][] indices) {

  public Batch {
    if (features.length != labels.length || features.length == 0) {
      throw new IllegalArgumentException(
          "a batch needs as many labels as rows, and at least one: "
              + features.length
              + " rows, "
              + labels.length
              + " labels");
    }
    if (indices != null) {
      if (indices.length != features.length) {
        throw new IllegalArgumentException(
            "a batch needs an index row per feature row: "
                + indices.length
                + " index rows, "
                + features.length
                + " rows");
      }
      for (int i = 0; i < indices.length; i++) {
        if (indices[i] != null && indices[i].length != features[i].length) {
          throw new IllegalArgumentException(
              "sparse row "
                  + i
                  + " has "
                  + indices[i].length
                  + " indices and "
                  + features[i].length
                  + " values");
        }
      }
    }
  }

  /** A batch of dense rows. */
  public Batch(double[][] features, double[] labels) {
    this(features, labels, null);
  }

  /**
   * The one unlabelled sparse row of a prediction request, checked: one value per index, indices
   * strictly increasing within [0, dimension).
   */
  public static Batch sparseRequest(int[] indices, double[] values, int dimension) {
    if (indices.length != values.length) {
      throw new IllegalArgumentException(
          indices.length + " indices for " + values.length + " values in a sparse request");
    }
    for (int k = 0; k < indices.length; k++) {
      if (indices[k] < 0 || indices[k] >= dimension || (k > 0 && indices[k] <= indices[k - 1])) {
        throw new IllegalArgumentException(
            "a sparse request's indices must increase strictly within [0, "
                + dimension
                + "); index "
                + k
                + " is "
                + indices[k]);
      }
    }
    return new Batch(new double[][] {values}, new double[] {Double.NaN}, new int[][] {indices});
  }

  public int size() {
    return labels.length;
  }

  /** Whether row i is sparse. */
  public boolean isSparse(int i) {
    return indices != null && indices[i] != null;
  }

  /** Whether any row is sparse. */
  public boolean anySparse() {
    if (indices != null) {
      for (int[] row : indices) {
        if (row != null) {
          return true;
        }
      }
    }
    return false;
  }

  /** Row i as a dense vector of {@code dimension} values (the row itself when dense). */
  public double[] dense(int i, int dimension) {
    if (!isSparse(i)) {
      return features[i];
    }
    double[] x = new double[dimension];
    int[] at = indices[i];
    double[] values = features[i];
    for (int k = 0; k < at.length; k++) {
      x[at[k]] = values[k];
    }
    return x;
  }

  /** This batch with every row dense (itself when no row is sparse). */
  public Batch densified(int dimension) {
    if (!anySparse()) {
      return this;
    }
    double[][] rows = new double[size()][];
    for (int i = 0; i < rows.length; i++) {
      rows[i] = dense(i, dimension);
    }
    return new Batch(rows, labels);
  }

  /** Rows {@code from} (inclusive) to {@code to} (exclusive). */
  public Batch slice(int from, int to) {
    return new Batch(
        Arrays.copyOfRange(features, from, to),
        Arrays.copyOfRange(labels, from, to),
        indices == null ? null : Arrays.copyOfRange(indices, from, to));
  }
}
