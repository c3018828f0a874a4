package io.koala.state;

/**
 * Forgetful mean prequential log loss of a classifier key's moderated probabilities, one per scale
 * a_j of the logit variance on a fixed grid; the key answers with the best scale
 * (docs/algorithms.md#predictive-uncertainty).
 *
 * @param weight the means' effective count: w ← β w + 1 per example
 * @param meanLogLoss mean −log P(true class) with logit variances a_j·σ², per grid scale
 */
public record ScaleEvidence(double weight, double[] meanLogLoss) {}
