package io.koala.noise;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.koala.state.DriftState;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The Bernoulli CUSUM on prequential errors: its null calibration, power and batch invariance. */
class DriftDetectorTest {

  private static final DriftDetector DETECTOR = DriftDetector.DEFAULTS;
  private static final int WARMUP = 160;

  /** Alarm positions (examples) on an error stream of rate {@code before}, then {@code after}. */
  private static List<Long> alarms(
      long seed, int examples, int batch, double before, double after, int changeAt) {
    SplittableRandom random = new SplittableRandom(seed);
    DriftState state = DriftState.initial(0.0);
    List<Long> at = new ArrayList<>();
    for (int start = 0; start + batch <= examples; start += batch) {
      double[] wrong = new double[batch];
      for (int i = 0; i < batch; i++) {
        wrong[i] = random.nextDouble() < (start + i < changeAt ? before : after) ? 1.0 : 0.0;
      }
      state = DETECTOR.observe(state, PrequentialErrors.misclassifications(wrong), WARMUP);
      if (state.alarm()) {
        at.add((long) start + batch);
      }
    }
    return at;
  }

  @Test
  void stationaryErrors_alarmAtMostAtTheDesignedRate() {
    // 20 streams of 100,000 examples per rate and batch size: the design expects 0.5 false alarms
    // per 100,000, i.e. 10 in 2,000,000. The bound allows the design's Poisson count plus three of
    // its standard deviations (10 + 3·√10 ≈ 19.5), so a miscalibrated null (the loss CUSUM's was
    // off by a factor of ten) fails while Poisson noise passes.
    for (double rate : new double[] {0.03, 0.1, 0.3}) {
      for (int batch : new int[] {1, 32}) {
        int count = 0;
        for (long seed = 0; seed < 20; seed++) {
          count += alarms(seed, 100_000, batch, rate, rate, Integer.MAX_VALUE).size();
        }
        System.out.printf("rate %.2f B=%d: %d false alarms in 2,000,000%n", rate, batch, count);
        assertThat(count).as("rate %s, B = %d", rate, batch).isLessThanOrEqualTo(19);
      }
    }
  }

  @Test
  void abruptJumpOfTenPoints_isFoundWithinAFewHundredExamples() {
    for (int batch : new int[] {1, 8, 32}) {
      int found = 0;
      List<Long> delays = new ArrayList<>();
      for (long seed = 0; seed < 50; seed++) {
        List<Long> a = alarms(seed, 8_000, batch, 0.1, 0.25, 5_000);
        a.removeIf(t -> t <= 5_000);
        if (!a.isEmpty() && a.get(0) - 5_000 <= 400) {
          found++;
          delays.add(a.get(0) - 5_000);
        }
      }
      System.out.printf("B=%d: %d of 50 found within 400, delays %s%n", batch, found, delays);
      assertThat(found).as("B = %d", batch).isGreaterThanOrEqualTo(45);
    }
  }

  @Test
  void sameErrors_sameAlarms_whateverTheBatchSize() {
    List<Long> single = alarms(7, 200_000, 1, 0.1, 0.3, 100_000);
    List<Long> batched = alarms(7, 200_000, 32, 0.1, 0.3, 100_000);
    assertThat(single).isNotEmpty();
    assertThat(batched).hasSameSizeAs(single);
    for (int i = 0; i < single.size(); i++) {
      // The batch reports the alarm at its end; h and the rates are fixed within a batch.
      assertThat(batched.get(i) - single.get(i)).isBetween(-32L, 32L);
    }
  }

  @Test
  void noAlarmDuringWarmup_andTheStatisticRestartsAfterAnAlarm() {
    DriftState state = DriftState.initial(0.0);
    double[] allWrong = new double[WARMUP];
    java.util.Arrays.fill(allWrong, 1.0);
    state = DETECTOR.observe(state, PrequentialErrors.misclassifications(allWrong), WARMUP);
    assertThat(state.alarm()).isFalse();
    assertThat(state.errorCusum()).isZero();
    List<Long> a = alarms(3, 10_000, 8, 0.05, 0.6, 2_000);
    assertThat(a).isNotEmpty();
    assertThat(a.get(0)).isBetween(2_000L, 2_100L);
  }

  @Test
  void threshold_fromTheFalseAlarmRate_growsAsTheRateFalls() {
    double strict = DETECTOR.withFalseAlarmRate(0.01).threshold(0.1);
    double loose = DETECTOR.withFalseAlarmRate(10).threshold(0.1);
    assertThat(strict).isGreaterThan(loose);
    // Wald's bound ARL₀ ≥ e^h is never needed in full: h stays below log(ARL₀).
    assertThat(DETECTOR.threshold(0.1)).isLessThan(Math.log(2e5)).isGreaterThan(1.0);
    assertThat(DETECTOR.withThreshold(5.0).threshold(0.1)).isEqualTo(5.0);
  }

  @Test
  void regression_residualsThatDoubleTheirScale_alarm_andStationaryOnesDoNot() {
    SplittableRandom random = new SplittableRandom(11);
    DriftState state = DriftState.initial(0.0);
    int alarmsBefore = 0;
    long firstAfter = -1;
    for (int k = 0; k < 100_000 / 8 + 200; k++) {
      double sd = k < 100_000 / 8 ? 1.0 : 2.0;
      double[] e = new double[8];
      for (int i = 0; i < 8; i++) {
        e[i] = sd * gaussian(random);
      }
      state = DETECTOR.observe(state, PrequentialErrors.residuals(e), WARMUP);
      if (state.alarm()) {
        if (k < 100_000 / 8) {
          alarmsBefore++;
        } else if (firstAfter < 0) {
          firstAfter = (k - 100_000 / 8 + 1) * 8L;
        }
      }
    }
    assertThat(alarmsBefore).isLessThanOrEqualTo(2);
    assertThat(firstAfter).isBetween(1L, 400L);
  }

  /**
   * Alarms on residuals of scale √(floor + excess·e^(−i/decay)) for example i, Gaussian or Laplace.
   */
  private static int residualAlarms(
      long seed, int examples, int batch, double excess, double decay, boolean laplace) {
    SplittableRandom random = new SplittableRandom(seed);
    DriftState state = DriftState.initial(0.0);
    int count = 0;
    for (int start = 0; start + batch <= examples; start += batch) {
      double[] e = new double[batch];
      for (int i = 0; i < batch; i++) {
        double sd = Math.sqrt(0.01 + excess * Math.exp(-(start + i) / decay));
        double z =
            laplace
                ? Math.log(random.nextDouble() / random.nextDouble()) / Math.sqrt(2)
                : gaussian(random);
        e[i] = sd * z;
      }
      state = DETECTOR.observe(state, PrequentialErrors.residuals(e), WARMUP);
      count += state.alarm() ? 1 : 0;
    }
    return count;
  }

  @Test
  void regression_stationaryResiduals_alarmAtMostAtTheDesignedRate_whateverTheirDistribution() {
    // As for classifiers: 20 × 100,000 examples, at most the design's 10 plus 3σ.
    for (boolean laplace : new boolean[] {false, true}) {
      for (int batch : new int[] {1, 32}) {
        int count = 0;
        for (long seed = 0; seed < 20; seed++) {
          count += residualAlarms(seed, 100_000, batch, 0.0, 1.0, laplace);
        }
        System.out.printf("laplace %s B=%d: %d false alarms in 2,000,000%n", laplace, batch, count);
        assertThat(count).as("laplace %s, B = %d", laplace, batch).isLessThanOrEqualTo(19);
      }
    }
  }

  @Test
  void regression_residualsOfAConvergingModel_raiseNoAlarm() {
    // A model converging onto the noise floor: the mean square falls from 3 to 0.01 by e every 300
    // examples. Nothing drifts; a scale that lags the fall learns too low an exceedance rate and
    // alarms once the residuals settle at the floor (the regression stream's false alarms).
    for (int batch : new int[] {1, 32}) {
      int count = 0;
      for (long seed = 0; seed < 20; seed++) {
        count += residualAlarms(seed, 20_000, batch, 3.0, 300.0, false);
      }
      assertThat(count).as("B = %d", batch).isZero();
    }
  }

  @Test
  void normalisedStatistic_exceedsOneExactlyWhenABatchAlarms() {
    SplittableRandom random = new SplittableRandom(5);
    DriftState state = DriftState.initial(0.0);
    int alarms = 0;
    for (int k = 0; k < 2_000; k++) {
      double[] wrong = new double[8];
      for (int i = 0; i < 8; i++) {
        wrong[i] = random.nextDouble() < (k < 1_000 ? 0.1 : 0.4) ? 1.0 : 0.0;
      }
      state = DETECTOR.observe(state, PrequentialErrors.misclassifications(wrong), WARMUP);
      alarms += state.alarm() ? 1 : 0;
      assertThat(DETECTOR.normalised(state) > 1).isEqualTo(state.alarm());
    }
    assertThat(alarms).isPositive();
  }

  @Test
  void invalidSettings_areRefused() {
    assertThatThrownBy(() -> DETECTOR.withShift(0)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> DETECTOR.withThreshold(-1))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> DETECTOR.withFalseAlarmRate(0))
        .isInstanceOf(IllegalArgumentException.class);
  }

  private static double gaussian(SplittableRandom random) {
    double u = random.nextDouble();
    double v = random.nextDouble();
    return Math.sqrt(-2 * Math.log(1 - u)) * Math.cos(2 * Math.PI * v);
  }
}
