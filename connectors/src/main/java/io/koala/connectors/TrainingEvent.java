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
   * @param features the feature row, of the model's dimension; for a sparse row its values at
   *     {@code indices}
   * @param id the caller's id, echoed in the prediction (may be null)
   * @param indices a sparse row's feature indices, increasing (null: a dense row)
   */
  record PredictionRequest(
      String key, double[] features, long timestamp, String id, String origin, int[] indices)
      implements TrainingEvent {

    public PredictionRequest {
      if (indices != null && indices.length != features.length) {
        throw new IllegalArgumentException(
            "a sparse request needs one index per value: "
                + indices.length
                + " indices, "
                + features.length
                + " values");
      }
    }

    /** A dense row. */
    public PredictionRequest(
        String key, double[] features, long timestamp, String id, String origin) {
      this(key, features, timestamp, id, origin, null);
    }

    /** A request for the example's row, sparse or dense as the example is. */
    public static PredictionRequest of(
        String key, Example row, long timestamp, String id, String origin) {
      return new PredictionRequest(key, row.features(), timestamp, id, origin, row.indices());
    }

    public boolean isSparse() {
      return indices != null;
    }

    /** The row as a dense vector of {@code dimension} (itself when dense). */
    public double[] dense(int dimension) {
      return indices == null
          ? features
          : Example.sparse(indices, features, Double.NaN).dense(dimension);
    }
  }

  /**
   * A micro-batch chosen by the producer: trained as exactly one step.
   *
   * @param examples the batch's labelled examples (at least one)
   */
  record PreBatched(String key, Example[] examples, long timestamp, String origin)
      implements TrainingEvent {}
}
