package io.koala.connectors;

/**
 * One example: a dense feature row and its label (NaN when the event asks for a prediction).
 *
 * @param features the feature row, of the model's dimension
 * @param label a value, 0/1 or a class index; NaN for a prediction request
 */
public record Example(double[] features, double label) {

  public boolean labelled() {
    return !Double.isNaN(label);
  }
}
