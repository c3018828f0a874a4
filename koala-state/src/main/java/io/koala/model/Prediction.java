package io.koala.model;

/**
 * A model's answer for one example.
 *
 * @param value the regression value, the probability of class 1, or the predicted class index
 * @param scores class probabilities (softmax only; null otherwise)
 * @param sensitivity ‖∂output/∂θ‖², where output is the value (regression), the probability
 *     (binary) or the predicted class's probability (multiclass); times an isotropic parameter
 *     covariance it gives the predictive variance
 */
public record Prediction(double value, double[] scores, double sensitivity) {

  /** The predictive variance under an isotropic parameter covariance p·I. */
  public double variance(double covariance) {
    return covariance * sensitivity;
  }
}
