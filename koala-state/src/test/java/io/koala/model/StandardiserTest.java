package io.koala.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.koala.state.StandardiserState;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class StandardiserTest {

  private static double[][] rows(int n, int d) {
    SplittableRandom random = new SplittableRandom(17);
    double[][] x = new double[n][d];
    for (double[] row : x) {
      for (int j = 0; j < d; j++) {
        row[j] = 1e4 * (j + 1) + (j + 1) * random.nextGaussian();
      }
    }
    return x;
  }

  @Test
  void runningMoments_matchTwoPassComputation_evenWithALargeOffset() {
    double[][] x = rows(1000, 4);
    StandardiserState state = Standardiser.initial(4);
    for (int start = 0; start < x.length; start += 37) {
      state =
          Standardiser.update(state, Arrays.copyOfRange(x, start, Math.min(x.length, start + 37)));
    }
    for (int j = 0; j < 4; j++) {
      double mean = 0;
      for (double[] row : x) {
        mean += row[j];
      }
      mean /= x.length;
      double variance = 0;
      for (double[] row : x) {
        variance += (row[j] - mean) * (row[j] - mean);
      }
      variance /= x.length;
      assertThat(state.mean()[j]).isCloseTo(mean, within(1e-12 * Math.abs(mean)));
      assertThat(Standardiser.variance(state, j)).isCloseTo(variance, within(1e-9 * variance));
    }
    assertThat(state.count()).isEqualTo(1000);
  }

  @Test
  void apply_centresAndScales_andLeavesTheInputAlone() {
    double[][] x = rows(500, 3);
    StandardiserState state = Standardiser.update(Standardiser.initial(3), x);
    double[][] z = Standardiser.apply(state, x);
    for (int j = 0; j < 3; j++) {
      double mean = 0;
      double square = 0;
      for (double[] row : z) {
        mean += row[j] / z.length;
        square += row[j] * row[j] / z.length;
      }
      assertThat(mean).isCloseTo(0.0, within(1e-9));
      assertThat(square).isCloseTo(1.0, within(1e-9));
    }
    assertThat(x[0][0]).isNotEqualTo(z[0][0]);
  }

  @Test
  void constantFeature_andTooFewExamples_areOnlyCentred() {
    StandardiserState one = Standardiser.update(Standardiser.initial(2), new double[][] {{5, 7}});
    assertThat(Standardiser.apply(one, new double[] {6, 9})).containsExactly(1.0, 2.0);
    StandardiserState constant =
        Standardiser.update(Standardiser.initial(1), new double[][] {{3}, {3}, {3}});
    assertThat(Standardiser.apply(constant, new double[] {4})).containsExactly(1.0);
  }
}
