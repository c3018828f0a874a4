package io.koala.evaluation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class DriftScoreTest {

  @Test
  void mean_clipsToTheArray_andIsNaNWhenEmpty() {
    double[] v = {1, 2, 3, 4};
    assertThat(DriftScore.mean(v, -5, 2)).isEqualTo(1.5);
    assertThat(DriftScore.mean(v, 2, 99)).isEqualTo(3.5);
    assertThat(DriftScore.mean(v, 3, 3)).isNaN();
  }

  @Test
  void recovery_isTheFirstWindowBackWithinOnePoint_orMinusOne() {
    // 0.9 before a drift at 100, 0.5 for 50 examples, then 0.895 (within 1 point) again.
    double[] v = new double[400];
    for (int i = 0; i < v.length; i++) {
      v[i] = i < 100 ? 0.9 : i < 150 ? 0.5 : 0.895;
    }
    // A window of 20 is clean of the dip from example 170 on: 70 examples after the drift.
    assertThat(DriftScore.recovery(v, 100, 400, 20, 1, 0.9)).isEqualTo(70);
    // Checked every 8 examples from 100 + 20: the first check past 170 is at 176.
    assertThat(DriftScore.recovery(v, 100, 400, 20, 8, 0.9)).isEqualTo(76);
    // Never within 1 point of 0.95, and never before the next drift at 160.
    assertThat(DriftScore.recovery(v, 100, 400, 20, 1, 0.95)).isEqualTo(-1);
    assertThat(DriftScore.recovery(v, 100, 160, 20, 1, 0.9)).isEqualTo(-1);
  }

  @Test
  void summary_overallStationaryAfterDriftAndRecovery_acrossKeys() {
    // Key a: 0.9, a dip to 0.5 for 50 examples after a drift at 100, then 0.9 again.
    double[] a = new double[300];
    for (int i = 0; i < a.length; i++) {
      a[i] = i >= 100 && i < 150 ? 0.5 : 0.9;
    }
    double[] b = new double[100];
    java.util.Arrays.fill(b, 0.7);
    DriftScore score = new DriftScore(50, 10, 1, 60, 40);

    PrequentialSummary s =
        score.summary(
            java.util.Map.of("a", a, "b", b), java.util.Map.of("a", java.util.List.of(100)));

    assertThat(s.overall()).isCloseTo((250 * 0.9 + 50 * 0.5 + 100 * 0.7) / 400, within(1e-12));
    // Examples 100..159 are unsettled; the rest of a and all of b are stationary.
    assertThat(s.stationary()).isCloseTo((240 * 0.9 + 100 * 0.7) / 340, within(1e-12));
    assertThat(s.afterDrift()).isCloseTo(0.5, within(1e-12));
    assertThat(s.recovery()).isEqualTo(60);
    assertThat(s.never()).isZero();
  }

  @Test
  void summary_ofADivergedRun_isNaNEverywhere() {
    PrequentialSummary s =
        new DriftScore(50, 10, 1, 60, 40)
            .summary(
                java.util.Map.of("a", new double[] {1, Double.POSITIVE_INFINITY}),
                java.util.Map.of("a", java.util.List.of(1)));
    assertThat(s.overall()).isNaN();
    assertThat(s.afterDrift()).isNaN();
    assertThat(s.never()).isZero();
  }

  @Test
  void detection_alarmsWithinTheWindowDetect_othersAreFalse_medianDelay() {
    DriftScore score = new DriftScore(50, 10, 1, 60, 100);
    DriftScore.Detection d =
        score.detection(
            java.util.Map.of(
                "a", java.util.List.of(50, 130, 140, 400), "b", java.util.List.of(210)),
            java.util.Map.of(
                "a",
                java.util.List.of(100, 300),
                "b",
                java.util.List.of(200),
                "c",
                java.util.List.of(10)));
    assertThat(d.trueDrifts()).isEqualTo(4);
    // a: 100 detected at 130 (30), 300 detected at 400 (100); b: 200 at 210 (10); c: none.
    assertThat(d.detected()).isEqualTo(3);
    // Only the alarm at 50 explains no drift (140 is within the window of the drift at 100).
    assertThat(d.falseAlarms()).isEqualTo(1);
    assertThat(d.medianDelay()).isEqualTo(30);
  }
}
