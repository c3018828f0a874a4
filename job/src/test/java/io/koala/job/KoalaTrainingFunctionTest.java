package io.koala.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.koala.connectors.DeadLetter;
import io.koala.connectors.Example;
import io.koala.connectors.ModelSnapshot;
import io.koala.connectors.PredictionResult;
import io.koala.connectors.TrainingEvent;
import io.koala.connectors.TrainingMetrics;
import io.koala.job.TrainingHarness.Backend;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class KoalaTrainingFunctionTest {

  private static TrainingHarness harness(JobConfig config) throws Exception {
    return TrainingHarness.of(config).open();
  }

  @Test
  void keysTrainIndependently_andMetricsComeOncePerBatch() throws Exception {
    JobConfig config = Fixtures.config("koala-v");
    var together = harness(config).feed(Fixtures.stream(3, 2, 40));
    Map<String, double[]> both = together.finish();

    var alone =
        harness(config)
            .feed(Fixtures.stream(3, 2, 40).stream().filter(e -> e.key().equals("key-1")).toList());
    Map<String, double[]> one = alone.finish();

    assertThat(both.get("key-1")).containsExactly(one.get("key-1"));
    assertThat(both.get("key-0")).isNotEqualTo(both.get("key-1"));
    List<TrainingMetrics> metrics = together.sideOutput(Outputs.METRICS);
    assertThat(metrics).hasSize(2 * 40 / 4);
    assertThat(metrics).allSatisfy(m -> assertThat(m.rejected()).isFalse());
    assertThat(metrics.stream().filter(m -> m.key().equals("key-0")).map(TrainingMetrics::version))
        .containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L);
  }

  /** The events with each labelled row in the sparse form (its non-zeros, here all of them). */
  private static List<TrainingEvent> sparse(List<TrainingEvent> events) {
    return events.stream()
        .map(
            e -> {
              if (!(e instanceof TrainingEvent.Labelled l)) {
                return e;
              }
              double[] x = l.example().features();
              int[] at = new int[x.length];
              for (int j = 0; j < at.length; j++) {
                at[j] = j;
              }
              return (TrainingEvent)
                  new TrainingEvent.Labelled(
                      l.key(),
                      Example.sparse(at, x.clone(), l.example().label()),
                      l.timestamp(),
                      l.origin());
            })
        .toList();
  }

  @ParameterizedTest
  @EnumSource(Backend.class)
  void sparseRows_trainTheModelsOfTheirDenseForm_throughASavepoint(Backend backend)
      throws Exception {
    JobConfig config = Fixtures.config("koala-v");
    List<TrainingEvent> events = Fixtures.stream(9, 3, 30);
    Map<String, double[]> dense = harness(config).feed(events).finish();
    OperatorSubtaskState saved;
    try (var first = TrainingHarness.of(config, backend).open()) {
      // 41 events: open batches of sparse rows wait in the savepoint.
      saved = first.feed(sparse(events.subList(0, 41))).savepoint();
    }
    Map<String, double[]> actual;
    try (var restored = TrainingHarness.of(config, backend).restore(saved)) {
      actual = restored.feed(sparse(events.subList(41, events.size()))).finish();
    }
    assertThat(actual.keySet()).isEqualTo(dense.keySet());
    for (String key : dense.keySet()) {
      assertThat(actual.get(key)).as(key).containsExactly(dense.get(key));
    }
  }

  @Test
  void stateHoldsOneModelPerKey_andPendingRowsUntilABatchCloses() throws Exception {
    var h = harness(Fixtures.config("koala-pp")).feed(Fixtures.stream(5, 3, 6));
    // 3 keys: model + pending rows (6 events: one closed batch, 2 waiting); the rows carry the
    // batch's bookkeeping, so there is no third entry.
    assertThat(h.keyedStateEntries()).isEqualTo(3 * 2);
    h.feed(Fixtures.stream(6, 3, 2));
    // Every key closed its second batch: only the models remain.
    assertThat(h.keyedStateEntries()).isEqualTo(3);
    // One end-of-input timer per key.
    assertThat(h.eventTimeTimers()).isEqualTo(3);
  }

  @Test
  void snapshotsEveryTwoBatches_andAtTheEndForEveryKey() throws Exception {
    var h = harness(Fixtures.config("koala-v")).feed(Fixtures.stream(7, 2, 18));
    List<ModelSnapshot> periodic = h.snapshots();
    // 18 events per key: 4 full batches → versions 2 and 4 snapshot; 2 examples still pending.
    assertThat(periodic).extracting(ModelSnapshot::version).containsExactly(2L, 2L, 4L, 4L);
    h.watermark(Long.MAX_VALUE);
    List<ModelSnapshot> all = h.snapshots();
    // The end of input trains the partial batch (version 5) and snapshots each key.
    assertThat(all.subList(4, all.size()))
        .extracting(ModelSnapshot::version)
        .containsExactly(5L, 5L);
    assertThat(all.get(4).examples()).isEqualTo(18);
  }

  @Test
  void predictionRequests_areAnsweredWithVarianceAndVersion() throws Exception {
    var h = harness(Fixtures.config("koala-v")).feed(Fixtures.stream(9, 1, 8));
    h.send(Fixtures.request("key-0", new double[] {1, -1, 0.5}, "q-1"));
    h.send(Fixtures.request("fresh", new double[] {1, -1, 0.5}, "q-2"));
    List<PredictionResult> answers = h.sideOutput(Outputs.PREDICTIONS);
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

  /** Doubles compared by their bits, not within AssertJ's default 1e-15. */
  private static final java.util.Comparator<Double> BITS =
      (x, y) -> Long.compare(Double.doubleToLongBits(x), Double.doubleToLongBits(y));

  /**
   * A sparse request is answered over its non-zeros with its dense form's answer, bit for bit; so
   * is the empty row. A key with no model answers from the one initial model, which training
   * another key in place does not touch.
   */
  @Test
  void aSparsePredictionRequest_isAnsweredAsItsDenseForm() throws Exception {
    var h = harness(Fixtures.config("koala-v")).feed(sparse(Fixtures.stream(9, 1, 8)));
    for (String key : new String[] {"key-0", "fresh"}) {
      h.send(Fixtures.request(key, new double[] {0, 0, 0.5}, "dense"));
      h.send(Fixtures.sparseRequest(key, new int[] {2}, new double[] {0.5}, "sparse"));
      h.send(Fixtures.request(key, new double[] {0, 0, 0}, "dense"));
      h.send(Fixtures.sparseRequest(key, new int[] {}, new double[] {}, "sparse"));
    }
    // "fresh" trains in place (sparse rows), then a third key asks.
    h.feed(sparse(Fixtures.stream(10, 1, 8)).stream().map(e -> relabel(e, "fresh")).toList());
    h.send(Fixtures.sparseRequest("later", new int[] {2}, new double[] {0.5}, "sparse"));
    List<PredictionResult> answers = h.sideOutput(Outputs.PREDICTIONS);
    assertThat(answers).hasSize(9);
    for (int i = 0; i < 8; i += 2) {
      assertThat(answers.get(i + 1))
          .as("answer %d", i + 1)
          .usingRecursiveComparison()
          .withComparatorForType(BITS, Double.class)
          .ignoringFields("id")
          .isEqualTo(answers.get(i));
    }
    assertThat(answers.get(0).modelVersion()).isEqualTo(2);
    assertThat(answers.get(4).modelVersion()).isZero();
    assertThat(answers.get(8))
        .usingRecursiveComparison()
        .withComparatorForType(BITS, Double.class)
        .ignoringFields("key")
        .isEqualTo(answers.get(5));
  }

  private static TrainingEvent relabel(TrainingEvent e, String key) {
    TrainingEvent.Labelled l = (TrainingEvent.Labelled) e;
    return new TrainingEvent.Labelled(key, l.example(), l.timestamp(), l.origin());
  }

  @Test
  void predictionRequests_ofASoftmaxModel_carryModeratedScoresAndLogitVariances() throws Exception {
    var h =
        harness(
                Fixtures.config(
                    "koala-v", "koala.model.type", "softmax", "koala.model.classes", "3"))
            .feed(Fixtures.stream(9, 1, 8));
    h.send(Fixtures.request("key-0", new double[] {1, -1, 0.5}, "q-1"));
    PredictionResult answer = h.sideOutput(Outputs.PREDICTIONS).get(0);
    assertThat(answer.scores()).hasSize(3);
    assertThat(answer.logitVariances()).hasSize(3);
    assertThat(answer.scores()[(int) answer.prediction()])
        .isEqualTo(Arrays.stream(answer.scores()).max().orElseThrow());
    for (double v : answer.logitVariances()) {
      assertThat(v).isPositive();
    }
    assertThat(answer.variance()).isEqualTo(answer.logitVariances()[(int) answer.prediction()]);
  }

  @Test
  void eventTimeFlush_trainsAPartialBatchOnceTheWatermarkPassesItsDelay() throws Exception {
    var h = harness(Fixtures.config("koala-v", "koala.batch.max-delay", "1 s"));
    h.feed(
        List.of(
            Fixtures.labelled("k", new double[] {1, 0, 0}, 1, 5_000, "a"),
            Fixtures.labelled("k", new double[] {0, 1, 0}, 0, 5_300, "b")));
    h.watermark(5_999);
    assertThat(h.sideOutput(Outputs.METRICS)).isEmpty();
    h.watermark(6_000);
    List<TrainingMetrics> metrics = h.sideOutput(Outputs.METRICS);
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
    h.send(Fixtures.batch("k", examples, 1, "m"));
    List<TrainingMetrics> metrics = h.sideOutput(Outputs.METRICS);
    assertThat(metrics).hasSize(1);
    assertThat(metrics.get(0).examples()).isEqualTo(7);
    assertThat(metrics.get(0).version()).isEqualTo(1);
  }

  @Test
  void refusedStep_keepsTheModel_marksMetrics_andSendsEachRefusedExampleToDeadLetters()
      throws Exception {
    var h =
        harness(Fixtures.config("koala-v", "koala.batch.size", "2"))
            .feed(Fixtures.stream(11, 1, 4));
    double huge = 1e300;
    h.send(Fixtures.labelled("key-0", new double[] {huge, huge, huge}, 1, 9, "x:1"));
    h.send(Fixtures.labelled("key-0", new double[] {huge, -huge, huge}, 0, 9, "x:2"));
    h.feed(Fixtures.stream(12, 1, 2));
    List<TrainingMetrics> metrics = h.sideOutput(Outputs.METRICS);
    // The batch of two is refused, then each of its examples alone: neither can be taken.
    assertThat(metrics)
        .extracting(TrainingMetrics::rejected)
        .containsExactly(false, false, true, true, false);
    assertThat(metrics).extracting(TrainingMetrics::version).containsExactly(1L, 2L, 2L, 2L, 3L);
    List<DeadLetter> dead = h.sideOutput(Outputs.DEAD_LETTERS);
    assertThat(dead).hasSize(2);
    assertThat(dead).extracting(DeadLetter::reason).containsOnly("STEP_REFUSED");
    assertThat(dead).extracting(DeadLetter::source).containsOnly("x:1 .. x:2");
    assertThat(dead.get(0).message()).endsWith("(example 1 of 2 of the batch)");
    assertThat(dead.get(1).message()).endsWith("(example 2 of 2 of the batch)");
    assertThat(new String(dead.get(0).payload()))
        .contains("\"batch\"")
        .contains("[1.0E300,1.0E300,1.0E300]")
        .doesNotContain("-1.0E300");
    assertThat(new String(dead.get(1).payload())).contains("[1.0E300,-1.0E300,1.0E300]");
  }

  @Test
  void oneHugeExampleInABatch_theOthersTrain_andOnlyItIsDeadLettered() throws Exception {
    JobConfig config = Fixtures.config("koala-v", "koala.batch.size", "8");
    List<TrainingEvent> good = Fixtures.stream(21, 1, 14);
    // A first batch, so that the model predicts something; then 3 good, the same huge example
    // with either label, 3 good. The model gets one of the two labels wrong: that example's loss
    // and gradient overflow and its step is refused; the other's gradient vanishes.
    var h = harness(config).feed(good.subList(0, 11));
    double[] huge = {1e308, -1e308, 1e308};
    h.send(Fixtures.labelled("key-0", huge, 1, 9, "bad:1"));
    h.send(Fixtures.labelled("key-0", huge, 0, 9, "bad:0"));
    h.feed(good.subList(11, 14));
    List<TrainingMetrics> second = h.sideOutput(Outputs.METRICS);
    second = second.subList(1, second.size());
    assertThat(
            second.stream().filter(m -> !m.rejected()).mapToLong(TrainingMetrics::examples).sum())
        .as("examples trained in the second batch")
        .isEqualTo(7L);
    assertThat(
            second.stream().filter(TrainingMetrics::rejected).mapToLong(TrainingMetrics::examples))
        .containsExactly(1L);
    List<DeadLetter> dead = h.sideOutput(Outputs.DEAD_LETTERS);
    assertThat(dead)
        .singleElement()
        .satisfies(
            d -> {
              assertThat(d.reason()).isEqualTo("STEP_REFUSED");
              assertThat(d.message()).matches(".*\\(example [45] of 8 of the batch\\)");
              assertThat(new String(d.payload())).contains("1.0E308");
            });
    // Accepted steps carry the version on; every parameter of the model stays finite.
    assertThat(second.stream().filter(m -> !m.rejected()).map(TrainingMetrics::version).toList())
        .isSorted()
        .doesNotHaveDuplicates();
    assertThat(java.util.Arrays.stream(h.finish().get("key-0"))).allMatch(Double::isFinite);
  }

  @ParameterizedTest
  @EnumSource(Backend.class)
  void snapshotRestoreContinue_equalsAnUninterruptedRun(Backend backend) throws Exception {
    for (String optimizer : new String[] {"koala-v", "koala-m", "koala-pp", "sgd", "adam"}) {
      JobConfig config = Fixtures.config(optimizer, "koala.model.standardise", "true");
      List<TrainingEvent> events = Fixtures.stream(13, 3, 30);
      Map<String, double[]> expected = harness(config).feed(events).finish();

      OperatorSubtaskState snapshot;
      try (var first = TrainingHarness.of(config, backend).open().feed(events.subList(0, 41))) {
        snapshot = first.snapshot();
      }
      Map<String, double[]> restored =
          TrainingHarness.of(config, backend)
              .restore(snapshot)
              .feed(events.subList(41, events.size()))
              .finish();
      assertThat(restored.keySet()).as(optimizer).isEqualTo(expected.keySet());
      for (String key : expected.keySet()) {
        assertThat(restored.get(key)).as(optimizer + " " + key).containsExactly(expected.get(key));
      }
    }
  }
}
