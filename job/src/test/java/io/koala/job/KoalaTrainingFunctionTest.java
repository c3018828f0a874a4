package io.koala.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.koala.connectors.DeadLetter;
import io.koala.connectors.Example;
import io.koala.connectors.ModelSnapshot;
import io.koala.connectors.PredictionResult;
import io.koala.connectors.TrainingEvent;
import io.koala.connectors.TrainingMetrics;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.api.common.typeinfo.Types;
import org.junit.jupiter.api.Test;

class KoalaTrainingFunctionTest {

  private static KeyedOneInputStreamOperatorTestHarness<String, TrainingEvent, ModelSnapshot>
      harness(JobConfig config) throws Exception {
    var h = new KeyedOneInputStreamOperatorTestHarness<>(
        new KeyedProcessOperator<>(new KoalaTrainingFunction(config)), TrainingEvent::key,
        Types.STRING);
    h.open();
    return h;
  }

  private static void feed(
      KeyedOneInputStreamOperatorTestHarness<String, TrainingEvent, ModelSnapshot> h,
      List<TrainingEvent> events) throws Exception {
    for (TrainingEvent e : events) {
      h.processElement(new StreamRecord<>(e, e.timestamp()));
    }
  }

  /** Final parameters per key, from the snapshots emitted at the end of input. */
  private static Map<String, double[]> finalModels(
      KeyedOneInputStreamOperatorTestHarness<String, TrainingEvent, ModelSnapshot> h)
      throws Exception {
    h.processWatermark(new Watermark(Long.MAX_VALUE));
    Map<String, double[]> models = new TreeMap<>();
    for (ModelSnapshot s : h.extractOutputValues()) {
      models.put(s.key(), s.params());
    }
    return models;
  }

  @Test
  void keysTrainIndependently_andMetricsComeOncePerBatch() throws Exception {
    JobConfig config = Fixtures.config("koala-v");
    var together = harness(config);
    feed(together, Fixtures.stream(3, 2, 40));
    Map<String, double[]> both = finalModels(together);

    var alone = harness(config);
    feed(alone, Fixtures.stream(3, 2, 40).stream().filter(e -> e.key().equals("key-1")).toList());
    Map<String, double[]> one = finalModels(alone);

    assertThat(both.get("key-1")).containsExactly(one.get("key-1"));
    assertThat(both.get("key-0")).isNotEqualTo(both.get("key-1"));
    List<TrainingMetrics> metrics = sideOutput(together, Outputs.METRICS);
    assertThat(metrics).hasSize(2 * 40 / 4);
    assertThat(metrics).allSatisfy(m -> assertThat(m.rejected()).isFalse());
    assertThat(metrics.stream().filter(m -> m.key().equals("key-0")).map(TrainingMetrics::version))
        .containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L);
  }

  @Test
  void stateHoldsOneModelPerKey_andPendingRowsUntilABatchCloses() throws Exception {
    var h = harness(Fixtures.config("koala-pp"));
    feed(h, Fixtures.stream(5, 3, 6));
    // 3 keys: model + pending bookkeeping + pending rows (6 events: one closed batch, 2 waiting).
    assertThat(h.numKeyedStateEntries()).isEqualTo(3 * 3);
    feed(h, Fixtures.stream(6, 3, 2));
    // Every key closed its second batch: only the models remain.
    assertThat(h.numKeyedStateEntries()).isEqualTo(3);
    // One end-of-input timer per key.
    assertThat(h.numEventTimeTimers()).isEqualTo(3);
  }

  @Test
  void snapshotsEveryTwoBatches_andAtTheEndForEveryKey() throws Exception {
    var h = harness(Fixtures.config("koala-v"));
    feed(h, Fixtures.stream(7, 2, 18));
    List<ModelSnapshot> periodic = h.extractOutputValues();
    // 18 events per key: 4 full batches → versions 2 and 4 snapshot; 2 examples still pending.
    assertThat(periodic).extracting(ModelSnapshot::version).containsExactly(2L, 2L, 4L, 4L);
    h.processWatermark(new Watermark(Long.MAX_VALUE));
    List<ModelSnapshot> all = h.extractOutputValues();
    // The end of input trains the partial batch (version 5) and snapshots each key.
    assertThat(all.subList(4, all.size())).extracting(ModelSnapshot::version)
        .containsExactly(5L, 5L);
    assertThat(all.get(4).examples()).isEqualTo(18);
  }

  @Test
  void predictionRequests_areAnsweredWithVarianceAndVersion() throws Exception {
    var h = harness(Fixtures.config("koala-v"));
    feed(h, Fixtures.stream(9, 1, 8));
    h.processElement(new StreamRecord<>(Fixtures.request("key-0", new double[] {1, -1, 0.5}, "q-1")));
    h.processElement(new StreamRecord<>(Fixtures.request("fresh", new double[] {1, -1, 0.5}, "q-2")));
    List<PredictionResult> answers = sideOutput(h, Outputs.PREDICTIONS);
    assertThat(answers).hasSize(2);
    PredictionResult trained = answers.get(0);
    assertThat(trained.id()).isEqualTo("q-1");
    assertThat(trained.modelVersion()).isEqualTo(2);
    assertThat(trained.probability()).isBetween(0.0, 1.0);
    assertThat(trained.prediction()).isEqualTo(trained.probability() >= 0.5 ? 1.0 : 0.0);
    assertThat(trained.variance()).isPositive();
    assertThat(answers.get(1).modelVersion()).isZero();
    assertThat(answers.get(1).probability()).isEqualTo(0.5);
  }

  @Test
  void eventTimeFlush_trainsAPartialBatchOnceTheWatermarkPassesItsDelay() throws Exception {
    var h = harness(Fixtures.config("koala-v", "koala.batch.max-delay", "1 s"));
    h.processElement(new StreamRecord<>(Fixtures.labelled("k", new double[] {1, 0, 0}, 1, 5_000, "a"), 5_000));
    h.processElement(new StreamRecord<>(Fixtures.labelled("k", new double[] {0, 1, 0}, 0, 5_300, "b"), 5_300));
    h.processWatermark(new Watermark(5_999));
    assertThat(sideOutput(h, Outputs.METRICS)).isEmpty();
    h.processWatermark(new Watermark(6_000));
    List<TrainingMetrics> metrics = sideOutput(h, Outputs.METRICS);
    assertThat(metrics).hasSize(1);
    assertThat(metrics.get(0).examples()).isEqualTo(2);
    assertThat(metrics.get(0).ts()).isEqualTo(6_000);
  }

  @Test
  void preBatchedMessage_isExactlyOneStep() throws Exception {
    var h = harness(Fixtures.config("koala-v"));
    Example[] examples = new Example[7];
    for (int i = 0; i < 7; i++) {
      examples[i] = new Example(new double[] {i, 1, -i}, i % 2);
    }
    h.processElement(new StreamRecord<>(new TrainingEvent("k", examples, true, 1, null, "m")));
    List<TrainingMetrics> metrics = sideOutput(h, Outputs.METRICS);
    assertThat(metrics).hasSize(1);
    assertThat(metrics.get(0).examples()).isEqualTo(7);
    assertThat(metrics.get(0).version()).isEqualTo(1);
  }

  @Test
  void refusedStep_keepsTheModel_marksMetrics_andSendsTheBatchToDeadLetters() throws Exception {
    var h = harness(Fixtures.config("koala-v", "koala.batch.size", "2"));
    feed(h, Fixtures.stream(11, 1, 4));
    double huge = 1e300;
    h.processElement(new StreamRecord<>(Fixtures.labelled("key-0", new double[] {huge, huge, huge}, 1, 9, "x:1")));
    h.processElement(new StreamRecord<>(Fixtures.labelled("key-0", new double[] {huge, -huge, huge}, 0, 9, "x:2")));
    feed(h, Fixtures.stream(12, 1, 2));
    List<TrainingMetrics> metrics = sideOutput(h, Outputs.METRICS);
    assertThat(metrics).extracting(TrainingMetrics::rejected).containsExactly(false, false, true, false);
    assertThat(metrics).extracting(TrainingMetrics::version).containsExactly(1L, 2L, 2L, 3L);
    List<DeadLetter> dead = sideOutput(h, Outputs.DEAD_LETTERS);
    assertThat(dead).hasSize(1);
    assertThat(dead.get(0).reason()).isEqualTo("STEP_REFUSED");
    assertThat(dead.get(0).source()).isEqualTo("x:1 .. x:2");
    assertThat(new String(dead.get(0).payload())).contains("\"batch\"").contains("1.0E300");
  }

  @Test
  void snapshotRestoreContinue_equalsAnUninterruptedRun() throws Exception {
    for (String optimizer : new String[] {"koala-v", "koala-m", "koala-pp", "sgd", "adam"}) {
      JobConfig config = Fixtures.config(optimizer, "koala.model.standardise", "true");
      List<TrainingEvent> events = Fixtures.stream(13, 3, 30);
      var straight = harness(config);
      feed(straight, events);
      Map<String, double[]> expected = finalModels(straight);

      var first = harness(config);
      feed(first, events.subList(0, 41));
      OperatorSubtaskState snapshot = first.snapshot(1, 1);
      first.close();
      var second = new KeyedOneInputStreamOperatorTestHarness<>(
          new KeyedProcessOperator<>(new KoalaTrainingFunction(config)), TrainingEvent::key,
          Types.STRING);
      second.initializeState(snapshot);
      second.open();
      feed(second, events.subList(41, events.size()));
      Map<String, double[]> restored = finalModels(second);
      assertThat(restored.keySet()).as(optimizer).isEqualTo(expected.keySet());
      for (String key : expected.keySet()) {
        assertThat(restored.get(key)).as(optimizer + " " + key).containsExactly(expected.get(key));
      }
    }
  }

  private static <T> List<T> sideOutput(
      KeyedOneInputStreamOperatorTestHarness<String, TrainingEvent, ModelSnapshot> h,
      org.apache.flink.util.OutputTag<T> tag) {
    List<T> values = new ArrayList<>();
    var records = h.getSideOutput(tag);
    if (records != null) {
      for (StreamRecord<T> r : records) {
        values.add(r.getValue());
      }
    }
    return values;
  }
}
