package io.koala.noise;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.koala.state.DriftState;
import org.junit.jupiter.api.Test;

/** Unit behaviour of the tracker; most tests observe one batch per call (no pooling). */
class ProcessNoiseTest {

  @Test
  void constant_keepsQ_whateverTheSurprise() {
    ProcessNoise q = ProcessNoise.constant(0.5).withMinExamples(1).withWarmupExamples(20);
    DriftState state = q.initialState();
    for (int k = 0; k < 100; k++) {
      state = q.observe(state, k < 50 ? 0.01 : 100.0, 1.0, 1);
      assertThat(q.current(state)).isEqualTo(0.5);
    }
  }

  @Test
  void adaptive_isClampedToMax_andNeverBelowMin() {
    ProcessNoise q =
        ProcessNoise.adaptive(1.0).withMinExamples(1).withWarmupExamples(20).withBounds(0.5, 3.0);
    DriftState state = q.initialState();
    for (int k = 0; k < 60; k++) {
      state = q.observe(state, 0.01 * (1 + 0.01 * (k % 3)), 1.0, 1);
    }
    for (int k = 0; k < 5; k++) {
      state = q.observe(state, 1e6, 1e6, 1);
      assertThat(q.current(state)).isBetween(0.5, 3.0);
    }
    assertThat(q.current(state)).isEqualTo(3.0);
  }

  @Test
  void singleOutlier_cannotRaiseAnAlarm() {
    ProcessNoise q = ProcessNoise.adaptive(1.0).withMinExamples(1).withWarmupExamples(20);
    DriftState state = q.initialState();
    for (int k = 0; k < 100; k++) {
      state = q.observe(state, 0.01 * (1 + 0.1 * Math.sin(k)), 1.0, 1);
    }
    state = q.observe(state, 1e9, 1.0, 1);
    assertThat(q.isAlarm(state)).isFalse();
    assertThat(state.alarms()).isZero();
  }

  @Test
  void sustainedSurprise_alarmsOnce_thenRestarts() {
    ProcessNoise q = ProcessNoise.constant(1.0).withMinExamples(1).withWarmupExamples(20);
    DriftState state = q.initialState();
    for (int k = 0; k < 100; k++) {
      state = q.observe(state, 0.01 * (1 + 0.1 * Math.sin(k)), 1.0, 1);
    }
    int firstAlarm = -1;
    for (int k = 0; k < 10 && firstAlarm < 0; k++) {
      state = q.observe(state, 10.0 * (k + 1), 1.0, 1);
      if (q.isAlarm(state)) {
        firstAlarm = k;
      }
    }
    assertThat(firstAlarm).isBetween(1, 4);
    assertThat(state.alarms()).isEqualTo(1);
    state = q.observe(state, state.lossLevel(), 1.0, 1);
    assertThat(state.cusum()).isLessThanOrEqualTo(q.cusumThreshold());
  }

  /** Log losses with Gaussian noise of sd 0.5 around 0; from {@code shiftAt} on, shifted up. */
  private static DriftState feed(
      ProcessNoise q,
      long seed,
      int batches,
      int shiftAt,
      double shift,
      java.util.List<Integer> alarms) {
    java.util.SplittableRandom random = new java.util.SplittableRandom(seed);
    DriftState state = q.initialState();
    for (int k = 0; k < batches; k++) {
      double x = 0.5 * gaussian(random) + (k >= shiftAt ? shift : 0.0);
      state = q.observe(state, Math.exp(x), 1.0, 1);
      if (q.isAlarm(state)) {
        alarms.add(k);
      }
    }
    return state;
  }

  private static double gaussian(java.util.SplittableRandom r) {
    return Math.sqrt(-2 * Math.log(1 - r.nextDouble())) * Math.cos(2 * Math.PI * r.nextDouble());
  }

  @Test
  void sustainedShiftOfTwoSigma_isDetectedWithin40Batches() {
    // A shift of 2σ: most batches are no 3σ surprise, and a fast level absorbs it within about
    // 10 batches (the old CUSUM of squared surprises against that level missed such shifts);
    // the CUSUM against the held reference accumulates about 1 per batch and must not.
    ProcessNoise q = ProcessNoise.adaptive(0.001).withMinExamples(1).withWarmupExamples(20);
    for (long seed = 1; seed <= 20; seed++) {
      java.util.List<Integer> alarms = new java.util.ArrayList<>();
      feed(q, seed, 300, 200, 1.0, alarms);
      assertThat(alarms)
          .as("seed %d", seed)
          .isNotEmpty()
          .allSatisfy(k -> assertThat(k).isGreaterThanOrEqualTo(200));
      assertThat(alarms.get(0)).as("seed %d", seed).isLessThan(240);
    }
  }

  @Test
  void stationaryNoise_raisesNoAlarmIn40000Batches() {
    ProcessNoise q = ProcessNoise.adaptive(0.001).withMinExamples(1).withWarmupExamples(20);
    java.util.List<Integer> alarms = new java.util.ArrayList<>();
    for (long seed = 101; seed <= 120; seed++) {
      feed(q, seed, 2_000, Integer.MAX_VALUE, 0.0, alarms);
    }
    assertThat(alarms).isEmpty();
  }

  @Test
  void alarm_boostsProcessNoiseByTheBoostTimesThePredictedCovariance() {
    ProcessNoise q = ProcessNoise.adaptive(0.001).withMinExamples(1).withWarmupExamples(20);
    java.util.List<Integer> alarms = new java.util.ArrayList<>();
    DriftState before = feed(q, 7, 200, Integer.MAX_VALUE, 0.0, alarms);
    // 200 quiet examples: Q has relaxed below Q_0 (it anneals), not above it.
    assertThat(q.current(before)).isBetween(q.min(), 0.001);
    DriftState state = before;
    DriftState previous = state;
    for (int k = 0; k < 60 && !q.isAlarm(state); k++) {
      previous = state;
      state = q.observe(state, Math.exp(1.0), 2.0, 1);
    }
    assertThat(q.isAlarm(state)).isTrue();
    // Q_k = β_Q Q_{k-1} + (1 − β_Q)(ρ_k + excess), ρ_k = min(Q_{k-1}, Q_0)·exp(−1/τ_a) for one
    // example, excess ≥ b · p̂ at the alarm.
    double rest =
        Math.min(q.current(previous), q.base()) * Math.exp(-1 / ProcessNoise.ANNEAL_EXAMPLES);
    double atLeast =
        q.processNoiseBeta() * q.current(previous)
            + (1 - q.processNoiseBeta()) * (rest + q.alarmBoost() * 2.0);
    assertThat(q.current(state)).isGreaterThanOrEqualTo(atLeast * (1 - 1e-12));
    assertThat(q.withAlarmBoost(0).alarmBoost()).isZero();
  }

  @Test
  void smallBatches_arePooledIntoObservationsOfAtLeastMinExamples() {
    ProcessNoise pooled = ProcessNoise.adaptive(0.001); // pools to 8 examples by default
    ProcessNoise single = ProcessNoise.adaptive(0.001).withMinExamples(1);
    assertThat(pooled.minExamples()).isEqualTo(8);
    java.util.SplittableRandom random = new java.util.SplittableRandom(3);
    DriftState a = pooled.initialState();
    DriftState b = single.initialState();
    for (int k = 0; k < 400; k++) {
      double[] losses = new double[8];
      double sum = 0;
      for (int i = 0; i < 8; i++) {
        losses[i] = Math.exp(0.5 * gaussian(random)) * (k >= 300 ? 3 : 1);
        sum += losses[i];
      }
      for (int i = 0; i < 8; i++) {
        a = pooled.observe(a, losses[i], 1.0, 1);
        if (i < 7) {
          assertThat(a.pendingExamples()).isEqualTo(i + 1);
          assertThat(pooled.isAlarm(a)).isFalse();
        }
      }
      // Eight batches of one are one batch of eight: the same observation, bit for bit.
      b = single.observe(b, sum / 8, 1.0, 8);
      assertThat(a).isEqualTo(b);
    }
    assertThat(a.alarms()).isPositive();
  }

  @Test
  void perExample_scalesTheStepsProcessNoiseWithTheBatch_andReportsPerExample() {
    ProcessNoise q = ProcessNoise.constant(0.001).withMinExamples(1).withPerExample(true);
    DriftState state = q.initialState();
    assertThat(q.current(state)).isEqualTo(0.001);
    assertThat(q.forBatch(state, 32)).isEqualTo(0.032);
    assertThat(ProcessNoise.constant(0.001).withMinExamples(1).forBatch(state, 32))
        .isEqualTo(0.001);
  }

  @Test
  void perExample_adaptiveQ_movesLikePerStepQScaledByTheBatch() {
    ProcessNoise perStep = ProcessNoise.adaptive(0.032).withMinExamples(1);
    ProcessNoise perExample = ProcessNoise.adaptive(0.001).withMinExamples(1).withPerExample(true);
    DriftState a = perStep.initialState();
    DriftState b = perExample.initialState();
    double highest = 0;
    for (int k = 0; k < 120; k++) {
      double loss = k < 80 ? 0.01 * (1 + 0.1 * Math.sin(k)) : 5.0;
      a = perStep.observe(a, loss, 1.0, 32);
      b = perExample.observe(b, loss, 1.0, 32);
      assertThat(perExample.forBatch(b, 32))
          .as("batch %d", k)
          .isCloseTo(perStep.forBatch(a, 32), org.assertj.core.api.Assertions.within(1e-12));
      highest = Math.max(highest, perExample.current(b));
    }
    assertThat(highest).as("per-example Q rose with the surprise").isGreaterThan(0.002);
  }

  @Test
  void warmup_countsExamples_whateverTheBatchSize() {
    ProcessNoise q = ProcessNoise.adaptive(0.001); // pools to 8 examples
    assertThat(q.warmupExamples()).isEqualTo(160);
    // The first observation past 160 examples is the first that a spike can charge the CUSUM with.
    assertThat(examplesWhenASpikeFirstCounts(q, 1)).isEqualTo(168);
    assertThat(examplesWhenASpikeFirstCounts(q, 8)).isEqualTo(168);
    assertThat(examplesWhenASpikeFirstCounts(q, 16)).isEqualTo(176);
    assertThat(examplesWhenASpikeFirstCounts(q, 32)).isEqualTo(192);
  }

  /**
   * Feeds batches of {@code batch} examples, a noisy level and then one observation's spike, and
   * returns the examples seen at the end of the first observation whose spike charges the CUSUM.
   */
  private static long examplesWhenASpikeFirstCounts(ProcessNoise q, int batch) {
    int perObservation = Math.max(batch, q.minExamples());
    for (int spikeAt = 2; spikeAt < 100; spikeAt++) {
      DriftState state = q.initialState();
      long examples = 0;
      while (examples < (long) spikeAt * perObservation) {
        long observation = examples / perObservation + 1;
        double loss = observation == spikeAt ? 1e3 : observation % 2 == 0 ? 1.0 : 1.2;
        state = q.observe(state, loss, 1.0, batch);
        examples += batch;
      }
      if (state.cusum() > 0) {
        return examples;
      }
    }
    return -1;
  }

  @Test
  void invalidBounds_failWithTheKeyNamed() {
    assertThatThrownBy(() -> ProcessNoise.adaptive(1.0).withMinExamples(1).withBounds(2.0, 3.0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("processNoise.min");
    assertThatThrownBy(() -> ProcessNoise.adaptive(1.0).withMinExamples(1).withBounds(0.0, 0.5))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("processNoise.max");
  }
}
