package io.koala.noise;

import static org.assertj.core.api.Assertions.assertThat;

import io.koala.state.DriftState;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Adaptive Q_k goes down as well as up: on a stationary stream it anneals below Q_0 to q_min. */
class TwoSidedProcessNoiseTest {

  private static final double BASE = 1e-3;

  /** Q_k after {@code observations} batches of 16 whose loss is stationary (log-normal noise). */
  private static double[] run(ProcessNoise noise, int observations, long seed) {
    Random random = new Random(seed);
    DriftState state = noise.initialState();
    double[] q = new double[observations];
    for (int k = 0; k < observations; k++) {
      double loss = 0.5 * Math.exp(0.2 * random.nextGaussian());
      // p̂ = p + B·Q with p small: the filter's covariance has settled near its process noise.
      state = noise.observe(state, loss, 16 * noise.current(state), 16);
      q[k] = noise.current(state);
    }
    return q;
  }

  @Test
  void observe_stationaryStream_annealsBelowBaseTowardMin() {
    ProcessNoise noise = ProcessNoise.adaptive(BASE).withBounds(1e-9, 1.0);
    double[] q = run(noise, 10_000, 7);
    assertThat(q[99]).as("Q after 1,600 examples").isLessThan(BASE);
    double[] late = java.util.Arrays.copyOfRange(q, 9_000, 10_000);
    java.util.Arrays.sort(late);
    assertThat(late[500]).as("median Q over the last 16,000 examples").isLessThan(BASE * 1e-2);
    for (int k = 1; k < q.length; k++) {
      assertThat(q[k]).as("Q_%d", k).isGreaterThanOrEqualTo(1e-9);
    }
  }

  @Test
  void observe_stationaryStream_minBinds() {
    ProcessNoise noise = ProcessNoise.adaptive(BASE).withBounds(1e-4, 1.0);
    double[] q = run(noise, 10_000, 8);
    assertThat(java.util.Arrays.stream(q).filter(v -> v == 1e-4).count()).isGreaterThan(500);
    assertThat(java.util.Arrays.stream(q).min().getAsDouble()).isEqualTo(1e-4);
  }

  @Test
  void observe_annealedThenJump_risesAgain() {
    ProcessNoise noise = ProcessNoise.adaptive(BASE).withBounds(1e-9, 1.0);
    DriftState state = noise.initialState();
    Random random = new Random(9);
    for (int k = 0; k < 2_000; k++) {
      state = noise.observe(state, 0.5 * Math.exp(0.2 * random.nextGaussian()), 1e-4, 16);
    }
    double annealed = noise.current(state);
    state = noise.observe(state, 50.0, 1e-4, 16);
    assertThat(noise.current(state)).isGreaterThan(10 * annealed);
  }
}
