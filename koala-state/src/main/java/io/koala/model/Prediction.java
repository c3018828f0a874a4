package io.koala.model;

/**
 * A model's answer for one example, with what a predictive distribution needs.
 *
 * @param value the regression value, the probability of class 1, or the predicted class index
 *     (plug-in: at the parameters, without their uncertainty)
 * @param scores class probabilities (softmax only; null otherwise), plug-in
 * @param sensitivity ‖∂output/∂θ‖², where output is the value (regression), the probability
 *     (binary) or the predicted class's probability (multiclass): the delta method's factor
 * @param outputs the model's outputs z: the regression value, the logit, or one logit per class
 * @param outputSensitivities ‖∂z_c/∂θ‖² per output: times an isotropic parameter covariance p·I,
 *     the variance of each output (docs/algorithms.md#predictive-uncertainty)
 */
public record Prediction(
    double value,
    double[] scores,
    double sensitivity,
    double[] outputs,
    double[] outputSensitivities) {

  /** A prediction without outputs (tests and callers that need only the point prediction). */
  public Prediction(double value, double[] scores, double sensitivity) {
    this(value, scores, sensitivity, null, null);
  }

  /** The delta-method variance of the reported output under a parameter covariance p·I. */
  public double variance(double covariance) {
    return covariance * sensitivity;
  }
}
