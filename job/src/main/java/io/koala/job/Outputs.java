package io.koala.job;

import io.koala.connectors.DeadLetter;
import io.koala.connectors.DriftEvent;
import io.koala.connectors.PredictionResult;
import io.koala.connectors.TrainingMetrics;
import org.apache.flink.util.OutputTag;

/** The side outputs of the job; the main output of the trainer carries model snapshots. */
public final class Outputs {

  private Outputs() {}

  public static final OutputTag<TrainingMetrics> METRICS =
      new OutputTag<>(
          "metrics",
          org.apache.flink.api.common.typeinfo.TypeInformation.of(TrainingMetrics.class)) {};
  public static final OutputTag<PredictionResult> PREDICTIONS =
      new OutputTag<>(
          "predictions",
          org.apache.flink.api.common.typeinfo.TypeInformation.of(PredictionResult.class)) {};
  public static final OutputTag<DriftEvent> DRIFT =
      new OutputTag<>(
          "drift", org.apache.flink.api.common.typeinfo.TypeInformation.of(DriftEvent.class)) {};
  public static final OutputTag<DeadLetter> DEAD_LETTERS =
      new OutputTag<>(
          "dead-letters",
          org.apache.flink.api.common.typeinfo.TypeInformation.of(DeadLetter.class)) {};
}
