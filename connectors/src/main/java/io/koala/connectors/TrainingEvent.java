package io.koala.connectors;

import org.apache.flink.api.common.typeinfo.TypeInfo;

/**
 * A decoded input record: a labelled example to train on, a prediction request to answer, or a
 * pre-batched micro-batch that is trained as exactly one step.
 *
 * <p>Flink carries it with {@link TrainingEventSerializer} (declared by {@link TypeInfo}), never
 * Kryo: a sealed interface is no POJO.
 */
@TypeInfo(TrainingEventTypeInfo.Factory.class)
public sealed interface TrainingEvent
    permits TrainingEvent.Labelled, TrainingEvent.PredictionRequest, TrainingEvent.PreBatched {

  /** The timestamp of an event that carried none. */
  long NO_TIMESTAMP = Long.MIN_VALUE;

  /** The model key. */
  String key();

  /** Event time in epoch ms, or {@link #NO_TIMESTAMP}. */
  long timestamp();

  /** Where the record came from: topic/partition/offset, or file:line. */
  String origin();

  /**
   * One labelled example, collected into the key's open micro-batch.
   *
   * @param example the feature row and its label
   */
  record Labelled(String key, Example example, long timestamp, String origin)
      implements TrainingEvent {}

  /**
   * One unlabelled feature row: answered with a prediction, not trained on.
   *
   * @param features the feature row, of the model's dimension
   * @param id the caller's id, echoed in the prediction (may be null)
   */
  record PredictionRequest(String key, double[] features, long timestamp, String id, String origin)
      implements TrainingEvent {}

  /**
   * A micro-batch chosen by the producer: trained as exactly one step.
   *
   * @param examples the batch's labelled examples (at least one)
   */
  record PreBatched(String key, Example[] examples, long timestamp, String origin)
      implements TrainingEvent {}
}
