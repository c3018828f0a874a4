package io.koala.connectors;

/**
 * One labelled example: a dense feature row, or a sparse one, and its label.
 *
 * @param features the feature row, of the model's dimension (dense); the values at {@code indices}
 *     (sparse)
 * @param label a value, 0/1 or a class index
 * @param indices null for a dense row; for a sparse row its strictly increasing feature indices,
 *     one per value
 */
public record Example(double[] features, double label, int[] indices) {

  public Example {
    if (indices != null && indices.length != features.length) {
      throw new IllegalArgumentException(
          "a sparse example needs one index per value: "
              + indices.length
              + " indices, "
              + features.length
              + " values");
    }
  }

  /** A dense example. */
  public Example(double[] features, double label) {
    this(features, label, null);
  }

  /** A sparse example: the values at strictly increasing indices, zeros elsewhere. */
  public static Example sparse(int[] indices, double[] values, double label) {
    return new Example(values, label, indices);
  }

  public boolean isSparse() {
    return indices != null;
  }

  /** The dense row of {@code dimension} values (the row itself when dense). */
  public double[] dense(int dimension) {
    if (indices == null) {
      return features;
    }
    double[] x = new double[dimension];
    for (int k = 0; k < indices.length; k++) {
      x[indices[k]] = features[k];
    }
    return x;
  }

  /** A deep copy. */
  public Example copy() {
    return new Example(features.clone(), label, indices == null ? null : indices.clone());
  }
}
