package io.koala.state;

/**
 * Everything one key's model needs between batches.
 *
 * @param optimizer the optimizer state (parameters, filter, step count = model version)
 * @param standardiser running feature moments, or null when standardisation is off
 * @param examples labelled examples trained on so far
 * @param rejectedBatches batches whose step the divergence guard refused
 */
public record ModelState<S extends OptimizerState>(
    S optimizer, StandardiserState standardiser, long examples, long rejectedBatches) {

  /** The model version: the number of steps taken. */
  public long version() {
    return optimizer.step();
  }
}
