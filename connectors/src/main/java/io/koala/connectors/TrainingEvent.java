package io.koala.connectors;

/**
 * A decoded input record: one example (labelled, or a prediction request), or a pre-batched
 * micro-batch that is trained as exactly one step.
 *
 * @param key the model key
 * @param examples the example, or the batch's examples
 * @param batch whether this is a pre-batched micro-batch
 * @param timestamp event time in epoch ms (Long.MIN_VALUE when absent)
 * @param id the caller's id, echoed in the prediction (may be null)
 * @param origin where the record came from: topic/partition/offset, or file:line
 */
public record TrainingEvent(
    String key, Example[] examples, boolean batch, long timestamp, String id, String origin) {

  public static final long NO_TIMESTAMP = Long.MIN_VALUE;

  /** A single unlabelled example: answered with a prediction, not trained on. */
  public boolean isPredictionRequest() {
    return !batch && !examples[0].labelled();
  }
}
