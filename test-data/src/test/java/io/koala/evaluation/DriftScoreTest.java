package io.koala.evaluation;

import static org.assertj.core.api.Assertions.assertThat;

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
}
