package io.koala.connectors;

/**
 * The answer to an unlabelled event (docs/streaming.md#predictions).
 *
 * @param key the model key
 * @param id the request's id (may be null)
 * @param prediction the value, or the class the predictive distribution ranks first
 * @param scores moderated class probabilities (multiclass; may be null)
 * @param probability moderated P(class 1) for binary models (NaN otherwise)
 * @param variance regression: the predictive variance of y, parameters and noise; classifiers: the
 *     variance of the predicted class's logit (NaN without a filter)
 * @param logitVariances the variance of each class's logit (multiclass; may be null)
 * @param modelVersion the version that answered
 */
public record PredictionResult(
    String key,
    String id,
    double prediction,
    double[] scores,
    double probability,
    double variance,
    double[] logitVariances,
    long modelVersion) {

  /** An answer without per-class logit variances. */
  public PredictionResult(
      String key,
      String id,
      double prediction,
      double[] scores,
      double probability,
      double variance,
      long modelVersion) {
    this(key, id, prediction, scores, probability, variance, null, modelVersion);
  }
}
