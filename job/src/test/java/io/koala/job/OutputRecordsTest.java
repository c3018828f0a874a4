package io.koala.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.koala.connectors.DeadLetter;
import io.koala.connectors.ModelSnapshot;
import io.koala.connectors.PredictionResult;
import io.koala.connectors.TrainingMetrics;
import io.koala.model.Batch;
import io.koala.optimizer.Optimizer;
import io.koala.state.OptimizerState;
import io.koala.training.Trainer;
import io.koala.training.TrainingOutcome;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class OutputRecordsTest {

  private static final Batch BATCH =
      new Batch(
          new double[][] {{1, 0, -1}, {0.5, 2, 0}, {-1, 1, 1}, {0, 0, 2}},
          new double[] {1, 0, 1, 0});

  private static Trainer<OptimizerState> trainer(JobConfig config) {
    return config.trainer();
  }

  private static OutputRecords records(JobConfig config) {
    return OutputRecords.of(trainer(config), TrainingSettings.of(config));
  }

  @Test
  void metrics_carryTheOutcome_andTheOptimizersNoiseAfterTheStep() {
    JobConfig config = Fixtures.config("koala-v");
    Trainer<OptimizerState> trainer = trainer(config);
    TrainingOutcome<OptimizerState> outcome = trainer.train(trainer.initial(), BATCH);
    TrainingMetrics m = records(config).metrics("k", outcome, 42);
    Optimizer<OptimizerState> optimizer = trainer.optimizer();
    OptimizerState s = outcome.state().optimizer();
    assertThat(m.key()).isEqualTo("k");
    assertThat(m.version()).isEqualTo(1);
    assertThat(m.examples()).isEqualTo(4);
    assertThat(m.loss()).isEqualTo(outcome.loss());
    assertThat(m.accuracy()).isEqualTo(outcome.accuracy());
    assertThat(m.target()).isEqualTo(outcome.report().target());
    assertThat(m.measurementNoise()).isEqualTo(optimizer.measurementNoise(s));
    assertThat(m.processNoise()).isEqualTo(optimizer.processNoise(s));
    assertThat(m.covariance()).isEqualTo(optimizer.covariance(s));
    assertThat(m.rejected()).isFalse();
    assertThat(m.ts()).isEqualTo(42);
  }

  @Test
  void snapshot_namesOptimizerAndModelType_andOwnsItsParameters() {
    JobConfig config = Fixtures.config("adam");
    Trainer<OptimizerState> trainer = trainer(config);
    var state = trainer.train(trainer.initial(), BATCH).state();
    ModelSnapshot s = records(config).snapshot("k", state, 7);
    assertThat(s.optimizer()).isEqualTo(trainer.optimizer().name());
    assertThat(s.modelType()).isEqualTo("logistic");
    assertThat(s.version()).isEqualTo(1);
    assertThat(s.examples()).isEqualTo(4);
    assertThat(s.params())
        .containsExactly(state.optimizer().parameters())
        .isNotSameAs(state.optimizer().parameters());
    assertThat(s.ts()).isEqualTo(7);
  }

  @Test
  void refusedBatch_isADeadLetter_withTheBatchInTheInputFormat() {
    JobConfig config = Fixtures.config("koala-v", "koala.batch.size", "2");
    Trainer<OptimizerState> trainer = trainer(config);
    Batch huge =
        new Batch(
            new double[][] {{1e300, 1e300, 1e300}, {1e300, -1e300, 1e300}}, new double[] {1, 0});
    TrainingOutcome<OptimizerState> outcome = trainer.train(trainer.initial(), huge);
    assertThat(outcome.report().accepted()).isFalse();
    OutputRecords records = records(config);
    DeadLetter d = records.refused("key-0", outcome, huge, "x:1", "x:2");
    assertThat(d.reason()).isEqualTo(OutputRecords.STEP_REFUSED);
    assertThat(d.message()).isEqualTo(outcome.report().refusal().message());
    assertThat(d.source()).isEqualTo("x:1 .. x:2");
    assertThat(new String(d.payload(), StandardCharsets.UTF_8))
        .isEqualTo(
            "{\"key\":\"key-0\","
                + "\"batch\":[{\"features\":[1.0E300,1.0E300,1.0E300],\"label\":1.0},"
                + "{\"features\":[1.0E300,-1.0E300,1.0E300],\"label\":0.0}]}");
    assertThat(records.refused("key-0", outcome, huge, "x:1", "x:1").source()).isEqualTo("x:1");
    assertThat(records.metrics("key-0", outcome, 0).rejected()).isTrue();
  }

  @Test
  void prediction_ofABinaryClassifier_hasAProbability_ofOtherModelsNone() {
    JobConfig logistic = Fixtures.config("koala-v");
    Trainer<OptimizerState> trainer = trainer(logistic);
    Trainer.Answer answer = trainer.predict(trainer.initial(), new double[] {1, -1, 0.5});
    PredictionResult p = records(logistic).prediction("k", "q-1", answer);
    assertThat(p.id()).isEqualTo("q-1");
    assertThat(p.probability()).isEqualTo(answer.probability());
    assertThat(p.prediction()).isEqualTo(p.probability() >= 0.5 ? 1.0 : 0.0);
    assertThat(p.variance()).isEqualTo(answer.variance()).isPositive();
    assertThat(p.scores()).isNull();
    assertThat(p.logitVariances()).isNull();
    assertThat(p.modelVersion()).isZero();

    JobConfig linear = Fixtures.config("koala-v", "koala.model.type", "linear");
    Trainer<OptimizerState> regression = trainer(linear);
    PredictionResult value =
        records(linear)
            .prediction(
                "k", null, regression.predict(regression.initial(), new double[] {1, 0, 0}));
    assertThat(value.probability()).isNaN();
    assertThat(value.variance()).isPositive();
  }

  @Test
  void prediction_ofASoftmaxClassifier_hasModeratedScoresAndALogitVariancePerClass() {
    JobConfig softmax =
        Fixtures.config("koala-v", "koala.model.type", "softmax", "koala.model.classes", "3");
    Trainer<OptimizerState> trainer = trainer(softmax);
    Trainer.Answer answer = trainer.predict(trainer.initial(), new double[] {1, -1, 0.5});
    PredictionResult p = records(softmax).prediction("k", "q", answer);
    assertThat(p.probability()).isNaN();
    assertThat(p.scores()).containsExactly(answer.probabilities());
    assertThat(p.logitVariances()).hasSize(3).containsExactly(answer.outputVariances());
    assertThat(p.variance()).isEqualTo(answer.outputVariances()[(int) p.prediction()]);
  }

  @Test
  void driftEvent_reportsTheConfiguredThreshold() {
    JobConfig config = Fixtures.config("koala-v");
    Trainer<OptimizerState> trainer = trainer(config);
    TrainingOutcome<OptimizerState> outcome = trainer.train(trainer.initial(), BATCH);
    var drift = records(config).drift("k", outcome, 3);
    assertThat(drift.threshold()).isEqualTo(config.driftThreshold());
    assertThat(drift.statistic()).isEqualTo(outcome.report().driftStatistic());
    assertThat(drift.version()).isEqualTo(1);
    assertThat(drift.ts()).isEqualTo(3);
  }
}
