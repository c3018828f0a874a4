package io.koala.state;

/**
 * Everything one key's model needs between batches.
 *
 * @param optimizer the optimizer state (parameters, filter, step count = model version)
 * @param standardiser running feature moments, or null when standardisation is off
 * @param examples labelled examples trained on so far
 * @param rejectedBatches batches whose step the divergence guard refused
 * @param residuals the prequential residual moments behind a regression model's predictive
 *     variance, or null (classifiers, optimizers without a filter, state restored from before they
 *     were kept)
 */
public record ModelState<S extends OptimizerState>(
    S optimizer,
    StandardiserState standardiser,
    long examples,
    long rejectedBatches,
    ResidualMoments residuals,
    ScaleEvidence logitScale) {

  /** A state without calibration evidence. */
  public ModelState(
      S optimizer, StandardiserState standardiser, long examples, long rejectedBatches) {
    this(optimizer, standardiser, examples, rejectedBatches, null, null);
  }

  /** The model version: the number of steps taken. */
  public long version() {
    return optimizer.step();
  }
}
