package io.koala.optimizer;

import static org.assertj.core.api.Assertions.assertThat;

import io.koala.model.Batch;
import io.koala.model.LinearModel;
import io.koala.noise.ProcessNoiseTuner;
import io.koala.state.KoalaVState;
import io.koala.state.KoalaVStateSerializer;
import io.koala.state.OptimizerState;
import io.koala.testing.Streams;
import java.io.IOException;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;

/** The auto preset's tuned process noise: it falls and rises with the stream, and restores. */
class AutoPresetTest {

  private static final double[] WEIGHTS = {1.5, -2, 0.5, 3, 1};
  private static final double[] JUMPED = {-1, 2.5, -1.5, 0, -2};
  private static final LinearModel MODEL = LinearModel.linearRegression(WEIGHTS.length);

  private static Optimizer<OptimizerState> auto() {
    return Optimizers.create(
        OptimizerKind.KOALA_V, Preset.AUTO, OptimizerSpec.of(MODEL.layerwiseLayout()));
  }

  /** Q_k after each batch. */
  private static double[] run(Optimizer<OptimizerState> o, Batch[] batches) {
    OptimizerState state = o.initialState(MODEL.initialParameters(1));
    double[] q = new double[batches.length];
    for (int k = 0; k < batches.length; k++) {
      state = o.step(state, MODEL.evaluate(o.evaluationPoint(state), batches[k])).state();
      q[k] = o.processNoise(state);
    }
    return q;
  }

  @Test
  void create_auto_koalaVHasTheTunerAndOverridesReachIt() {
    KoalaVConfig config = (KoalaVConfig) auto().config();
    assertThat(config.tuner()).isEqualTo(ProcessNoiseTuner.defaults());
    assertThat(config.tuner().max() / config.tuner().min()).isGreaterThanOrEqualTo(1e5);
    KoalaVConfig overridden =
        (KoalaVConfig)
            Optimizers.create(
                    OptimizerKind.KOALA_V,
                    Preset.AUTO,
                    OptimizerSpec.of(MODEL.layerwiseLayout()).withProcessNoise(1e-3))
                .config();
    assertThat(overridden.tuner().initial()).isEqualTo(1e-3);
  }

  @Test
  void step_stationaryNoisyStream_tunesProcessNoiseDown() {
    for (long seed = 1; seed <= 3; seed++) {
      double[] q = run(auto(), Streams.regression(seed, 3_000, 16, WEIGHTS, WEIGHTS, -1, 0.5));
      double peak = java.util.Arrays.stream(q).max().getAsDouble();
      // It first rises while the model is far off, then anneals (slowly: about a decade in 40,000
      // examples here) below where it started.
      assertThat(q[2999]).as("seed %d", seed).isLessThan(1e-4 / 2).isLessThan(peak / 10);
    }
  }

  @Test
  void step_jump_tunesProcessNoiseUpAfterIt() {
    for (long seed = 1; seed <= 3; seed++) {
      double[] q = run(auto(), Streams.regression(seed, 600, 16, WEIGHTS, JUMPED, 300, 0.5));
      double after = 0;
      for (int k = 300; k < 400; k++) {
        after = Math.max(after, q[k]);
      }
      assertThat(after).as("seed %d", seed).isGreaterThan(10 * q[299]);
    }
  }

  @Test
  void snapshotRestore_midStream_continuesExactly() throws IOException {
    Optimizer<OptimizerState> o = auto();
    Batch[] batches = Streams.regression(4, 200, 8, WEIGHTS, JUMPED, 100, 0.3);
    OptimizerState straight = o.initialState(MODEL.initialParameters(1));
    OptimizerState restored = straight;
    for (int k = 0; k < batches.length; k++) {
      straight = o.step(straight, MODEL.evaluate(o.evaluationPoint(straight), batches[k])).state();
      restored = o.step(restored, MODEL.evaluate(o.evaluationPoint(restored), batches[k])).state();
      if (k % 50 == 49) {
        DataOutputSerializer out = new DataOutputSerializer(256);
        KoalaVStateSerializer.INSTANCE.serialize((KoalaVState) restored, out);
        restored =
            KoalaVStateSerializer.INSTANCE.deserialize(
                new DataInputDeserializer(out.getCopyOfBuffer()));
      }
    }
    assertThat(((KoalaVState) straight).tuner()).isNotNull();
    assertThat(restored)
        .usingRecursiveComparison()
        .withComparatorForType(Double::compare, Double.class)
        .isEqualTo(straight);
  }
}
