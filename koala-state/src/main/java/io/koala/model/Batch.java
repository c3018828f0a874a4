package io.koala.model;

/**
 * A micro-batch of labelled examples.
 *
 * @param features one row of features per example
 * @param labels the target per example: a value (regression), 0/1 (binary) or a class index
 */
public record Batch(double[][] features, double[] labels) {

  public Batch {
    if (features.length != labels.length || features.length == 0) {
      throw new IllegalArgumentException(
          "a batch needs as many labels as rows, and at least one: "
              + features.length
              + " rows, "
              + labels.length
              + " labels");
    }
  }

  public int size() {
    return labels.length;
  }
}
