package io.koala.connectors;

/**
 * The answer to an unlabelled event.
 *
 * @param key the model key
 * @param id the request's id (may be null)
 * @param prediction the value, or the predicted class
 * @param scores class probabilities (multiclass; may be null)
 * @param probability P(class 1) for binary models (NaN otherwise)
 * @param variance predictive variance from the filter state (NaN without a filter)
 * @param modelVersion the version that answered
 */
public record PredictionResult(
    String key,
    String id,
    double prediction,
    double[] scores,
    double probability,
    double variance,
    long modelVersion) {}
