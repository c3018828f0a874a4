package io.koala.optimizer;

/** Hyperparameter validation that names the offending key. */
final class Checks {

  private Checks() {}

  static void notNull(Object value, String name) {
    if (value == null) {
      throw new IllegalArgumentException(name + " must be set");
    }
  }

  static void positive(double value, String name) {
    if (!(value > 0) || !Double.isFinite(value)) {
      throw new IllegalArgumentException(name + " must be finite and > 0, was " + value);
    }
  }

  static void nonNegative(double value, String name) {
    if (!(value >= 0) || !Double.isFinite(value)) {
      throw new IllegalArgumentException(name + " must be finite and >= 0, was " + value);
    }
  }

  static void fraction(double value, String name) {
    if (!(value >= 0 && value < 1)) {
      throw new IllegalArgumentException(name + " must be in [0, 1), was " + value);
    }
  }

  /** A sparse gradient's indices: strictly increasing, in [0, size). */
  static void sparseIndices(int[] indices, int size) {
    for (int k = 0; k < indices.length; k++) {
      if (indices[k] < 0 || indices[k] >= size) {
        throw new IllegalArgumentException("sparse gradient indices outside the layout");
      }
      if (k > 0 && indices[k] <= indices[k - 1]) {
        throw new IllegalArgumentException("sparse gradient indices must increase strictly");
      }
    }
  }

  static void sameSize(double[] parameters, BlockLayout layout) {
    if (parameters.length != layout.parameterCount()) {
      throw new IllegalArgumentException(
          "expected "
              + layout.parameterCount()
              + " parameters for "
              + layout
              + ", got "
              + parameters.length);
    }
  }
}
