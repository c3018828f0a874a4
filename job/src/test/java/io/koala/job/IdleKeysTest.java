package io.koala.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.koala.connectors.ModelSnapshot;
import io.koala.connectors.PredictionResult;
import io.koala.connectors.TrainingEvent;
import io.koala.connectors.TrainingMetrics;
import io.koala.job.TrainingHarness.Backend;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@code koala.model.idle-timeout} in the operator harness, on both clocks: a timeout of 1 s is
 * checked every 250 ms, so a key goes after 1 to 1.25 s of silence.
 */
class IdleKeysTest {

  private static final long TIMEOUT = 1_000;

  /** The idle clock, and how a test moves it. */
  enum Clock {
    PROCESSING,
    EVENT;

    /** Sends the events at time t (their event time), then moves this clock to t. */
    void at(TrainingHarness h, long t, TrainingEvent... events) throws Exception {
      if (this == PROCESSING) {
        h.processingTime(t).feed(List.of(events));
      } else {
        h.feed(List.of(events)).watermark(t);
      }
    }

    JobConfig config(String... extra) {
      List<String> settings =
          new ArrayList<>(
              List.of(
                  "koala.model.idle-timeout",
                  TIMEOUT + " ms",
                  "koala.model.idle-timeout.time",
                  name().toLowerCase(Locale.ROOT)));
      settings.addAll(List.of(extra));
      return Fixtures.config("koala-v", settings.toArray(String[]::new));
    }
  }

  private static TrainingEvent example(String key, long t) {
    double[] x = {Math.sin(t), Math.cos(t), 0.5};
    return Fixtures.labelled(key, x, (t / 10) % 2, t, "test:" + key + "@" + t);
  }

  private static TrainingEvent request(String key, long t) {
    return Fixtures.request(key, new double[] {1, -1, 0.5}, key + "@" + t);
  }

  /** Ten examples of key-0 at 1000, 1010, … 1090: two batches, and two examples waiting. */
  private static void tenExamples(Clock clock, TrainingHarness h) throws Exception {
    for (long t = 1_000; t < 1_100; t += 10) {
      clock.at(h, t, example("key-0", t));
    }
  }

  /**
   * Moves the clock in 10 ms steps to {@code end}; returns when the key went (its timers, the end
   * of input's included, are gone: the harness counts no state entries on RocksDB), or -1.
   */
  private static long silence(Clock clock, TrainingHarness h, long from, long end)
      throws Exception {
    long evicted = -1;
    for (long t = from; t <= end; t += 10) {
      clock.at(h, t);
      if (evicted < 0 && h.eventTimeTimers() + h.processingTimeTimers() == 0) {
        evicted = t;
      }
    }
    return evicted;
  }

  @ParameterizedTest
  @EnumSource(Clock.class)
  void silentKey_trainsItsWaitingExamples_writesOneFinalSnapshot_andIsCleared(Clock clock)
      throws Exception {
    try (var h = TrainingHarness.of(clock.config()).open()) {
      tenExamples(clock, h);
      assertThat(h.snapshots()).extracting(ModelSnapshot::version).containsExactly(2L);

      long evicted = silence(clock, h, 1_100, 3_000);

      // Last example at 1090: gone no earlier than a timeout later, no later than 1.25 of one.
      assertThat(evicted).isBetween(1_090 + TIMEOUT, 1_090 + TIMEOUT + TIMEOUT / 4 + 10);
      List<ModelSnapshot> snapshots = h.snapshots();
      // The two waiting examples trained as a last batch (version 3), then one final snapshot.
      assertThat(snapshots).extracting(ModelSnapshot::version).containsExactly(2L, 3L);
      assertThat(snapshots.get(1).examples()).isEqualTo(10);
      assertThat(h.sideOutput(Outputs.METRICS)).extracting(TrainingMetrics::version).hasSize(3);
      assertThat(h.keyedStateEntries()).isZero();
      assertThat(h.eventTimeTimers()).isZero();
      assertThat(h.processingTimeTimers()).isZero();

      h.watermark(Long.MAX_VALUE);
      assertThat(h.snapshots()).as("nothing left to end").hasSize(2);
    }
  }

  @ParameterizedTest
  @EnumSource(Clock.class)
  void activeAndAskedKeys_stay_whileASilentOneGoes(Clock clock) throws Exception {
    try (var h = TrainingHarness.of(clock.config()).open()) {
      clock.at(h, 1_000, example("silent", 1_000), example("asked", 1_000));
      for (long t = 1_000; t <= 5_000; t += 100) {
        clock.at(h, t, example("active", t));
        if (t % 300 == 0) {
          clock.at(h, t, request("asked", t));
        }
      }
      assertThat(h.snapshots())
          .filteredOn(s -> s.key().equals("silent"))
          .extracting(ModelSnapshot::version)
          .as("the silent key's one waiting example trained, then its final snapshot")
          .containsExactly(1L);
      assertThat(h.snapshots())
          .filteredOn(s -> s.key().equals("active"))
          .extracting(ModelSnapshot::version)
          .containsExactly(2L, 4L, 6L, 8L, 10L);
      assertThat(h.snapshots()).noneMatch(s -> s.key().equals("asked"));

      clock.at(h, 5_000, request("active", 5_000));
      List<PredictionResult> answers = h.sideOutput(Outputs.PREDICTIONS);
      assertThat(answers.get(answers.size() - 1).modelVersion()).isEqualTo(10);

      h.watermark(Long.MAX_VALUE);
      // The asked key kept its waiting example: it trains at the end of the input.
      assertThat(h.snapshots())
          .filteredOn(s -> s.key().equals("asked"))
          .extracting(ModelSnapshot::version, ModelSnapshot::examples)
          .containsExactly(org.assertj.core.groups.Tuple.tuple(1L, 1L));
    }
  }

  @ParameterizedTest
  @EnumSource(Clock.class)
  void returningKey_startsAFreshModel(Clock clock) throws Exception {
    try (var h = TrainingHarness.of(clock.config()).open()) {
      tenExamples(clock, h);
      assertThat(silence(clock, h, 1_100, 3_000)).isPositive();

      clock.at(h, 3_000, request("key-0", 3_000));
      for (long t = 3_010; t <= 3_040; t += 10) {
        clock.at(h, t, example("key-0", t));
      }
      assertThat(h.sideOutput(Outputs.PREDICTIONS).get(0).modelVersion()).isZero();
      List<TrainingMetrics> metrics = h.sideOutput(Outputs.METRICS);
      assertThat(metrics.get(metrics.size() - 1).version()).isEqualTo(1);
      assertThat(metrics.get(metrics.size() - 1).examples()).isEqualTo(4);

      h.watermark(Long.MAX_VALUE);
      ModelSnapshot last = h.snapshots().get(h.snapshots().size() - 1);
      assertThat(last.version()).isEqualTo(1);
      assertThat(last.examples()).isEqualTo(4);
    }
  }

  @ParameterizedTest
  @EnumSource(Clock.class)
  void aPendingCheck_survivesACheckpointOnRocksDb_andStillEvicts(Clock clock) throws Exception {
    OperatorSubtaskState checkpoint;
    try (var h = TrainingHarness.of(clock.config(), Backend.ROCKSDB).open()) {
      tenExamples(clock, h);
      // Two checks done (1250: active, 1500: quiet), the third pending.
      assertThat(silence(clock, h, 1_100, 1_600)).isNegative();
      checkpoint = h.snapshot();
      int timers = clock == Clock.PROCESSING ? h.processingTimeTimers() : h.eventTimeTimers();
      assertThat(timers).as("the idle check (and, in event time, the end of input)").isPositive();
    }
    try (var h = TrainingHarness.of(clock.config(), Backend.ROCKSDB).restore(checkpoint)) {
      long evicted = silence(clock, h, 1_600, 3_000);
      assertThat(evicted).isBetween(1_090 + TIMEOUT, 1_090 + TIMEOUT + TIMEOUT / 4 + 10);
      assertThat(h.snapshots()).extracting(ModelSnapshot::version).containsExactly(3L);
      assertThat(h.eventTimeTimers() + h.processingTimeTimers()).isZero();
    }
  }

  @ParameterizedTest
  @EnumSource(Clock.class)
  void activeKeys_trainAsWithoutATimeout_flushesIncluded(Clock clock) throws Exception {
    for (String maxDelay : new String[] {null, "35 ms"}) {
      String[] flush =
          maxDelay == null ? new String[0] : new String[] {"koala.batch.max-delay", maxDelay};
      List<TrainingEvent> events = Fixtures.stream(7, 2, 90); // 10 ms apart, 1000 … 2790
      List<ModelSnapshot> without = run(Clock.EVENT, Fixtures.config("koala-v", flush), events);
      List<ModelSnapshot> with = run(clock, clock.config(flush), events);
      for (String key : List.of("key-0", "key-1")) {
        // Per key: the order of different keys' end-of-input timers is the timer queue's.
        List<ModelSnapshot> expected = ofKey(without, key);
        List<ModelSnapshot> actual = ofKey(with, key);
        assertThat(actual).as("%s, max-delay %s", key, maxDelay).hasSameSizeAs(expected);
        for (int i = 0; i < expected.size(); i++) {
          assertThat(actual.get(i).version()).isEqualTo(expected.get(i).version());
          assertThat(actual.get(i).ts()).isEqualTo(expected.get(i).ts());
          assertThat(actual.get(i).params()).containsExactly(expected.get(i).params());
        }
      }
    }
  }

  private static List<ModelSnapshot> ofKey(List<ModelSnapshot> snapshots, String key) {
    return snapshots.stream().filter(s -> s.key().equals(key)).toList();
  }

  /** Each event, then its time as the clock; then the end of the input. */
  private static List<ModelSnapshot> run(Clock clock, JobConfig config, List<TrainingEvent> events)
      throws Exception {
    try (var h = TrainingHarness.of(config).open()) {
      for (TrainingEvent e : events) {
        clock.at(h, e.timestamp(), e);
        if (clock == Clock.PROCESSING) {
          h.watermark(e.timestamp()); // the flushes' clock
        }
      }
      h.watermark(Long.MAX_VALUE);
      return h.snapshots();
    }
  }
}
