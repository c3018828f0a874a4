package io.koala.job;

import io.koala.connectors.DeadLetter;
import io.koala.connectors.DriftEvent;
import io.koala.connectors.JsonOutput;
import io.koala.connectors.ModelSnapshot;
import io.koala.connectors.PredictionResult;
import io.koala.connectors.TrainingMetrics;
import io.koala.model.Batch;
import io.koala.model.Model;
import io.koala.optimizer.Optimizer;
import io.koala.optimizer.StepReport;
import io.koala.state.ModelState;
import io.koala.state.OptimizerState;
import io.koala.training.Trainer;
import io.koala.training.TrainingOutcome;
import java.nio.charset.StandardCharsets;

/**
 * Builds the job's output records from a key's state and what the trainer returned: pure, no Flink
 * types, so the training operator only decides what to emit and when.
 */
final class OutputRecords {

  /** The dead-letter reason of a batch whose step the divergence guard refused. */
  static final String STEP_REFUSED = "STEP_REFUSED";

  private final Model model;
  private final Optimizer<OptimizerState> optimizer;
  private final String modelType;
  private final double driftThreshold;

  OutputRecords(
      Model model, Optimizer<OptimizerState> optimizer, String modelType, double driftThreshold) {
    this.model = model;
    this.optimizer = optimizer;
    this.modelType = modelType;
    this.driftThreshold = driftThreshold;
  }

  static OutputRecords of(Trainer<OptimizerState> trainer, TrainingSettings settings) {
    return new OutputRecords(
        trainer.model(), trainer.optimizer(), settings.modelType(), settings.driftThreshold());
  }

  /** The metrics of one trained (or refused) batch. */
  TrainingMetrics metrics(String key, TrainingOutcome<OptimizerState> outcome, long ts) {
    ModelState<OptimizerState> next = outcome.state();
    OptimizerState s = next.optimizer();
    StepReport report = outcome.report();
    return new TrainingMetrics(
        key,
        next.version(),
        outcome.examples(),
        outcome.loss(),
        outcome.accuracy(),
        report.target(),
        optimizer.measurementNoise(s),
        optimizer.processNoise(s),
        optimizer.covariance(s),
        report.driftDetected(),
        !report.accepted(),
        ts);
  }

  /**
   * A refused batch as a dead letter: the refusal's message, the origins it spans, and the batch in
   * the input format so that it can be replayed after inspection.
   */
  DeadLetter refused(
      String key,
      TrainingOutcome<OptimizerState> outcome,
      Batch batch,
      String firstOrigin,
      String lastOrigin) {
    return refused(key, outcome, batch, null, firstOrigin, lastOrigin);
  }

  /**
   * A refused step over {@code part} of a batch (null: the whole batch) as a dead letter, with the
   * refused examples in the input format.
   */
  DeadLetter refused(
      String key,
      TrainingOutcome<OptimizerState> outcome,
      Batch batch,
      String part,
      String firstOrigin,
      String lastOrigin) {
    String source =
        firstOrigin.equals(lastOrigin) ? firstOrigin : firstOrigin + " .. " + lastOrigin;
    String why = outcome.report().refusal().message();
    return new DeadLetter(
        STEP_REFUSED,
        part == null ? why : why + " (" + part + ")",
        source,
        JsonOutput.encodeBatch(key, batch).getBytes(StandardCharsets.UTF_8));
  }

  /** The drift event of a batch whose step raised the drift alarm. */
  DriftEvent drift(String key, TrainingOutcome<OptimizerState> outcome, long ts) {
    return new DriftEvent(
        key, outcome.state().version(), outcome.report().driftStatistic(), driftThreshold, ts);
  }

  /**
   * The answer to a prediction request: the label and probabilities of the predictive distribution
   * (moderated by the parameters' uncertainty), its variance, and for softmax each logit's
   * variance.
   */
  PredictionResult prediction(String key, String id, Trainer.Answer answer) {
    boolean multiclass = answer.probabilities() != null;
    return new PredictionResult(
        key,
        id,
        answer.label(),
        answer.probabilities(),
        answer.probability(),
        answer.variance(),
        multiclass ? answer.outputVariances() : null,
        answer.modelVersion());
  }

  /** A snapshot of a key's model. */
  ModelSnapshot snapshot(String key, ModelState<OptimizerState> state, long ts) {
    OptimizerState s = state.optimizer();
    return new ModelSnapshot(
        key,
        state.version(),
        state.examples(),
        optimizer.name(),
        modelType,
        s.parameters().clone(),
        optimizer.covariance(s),
        optimizer.measurementNoise(s),
        optimizer.processNoise(s),
        ts);
  }
}
