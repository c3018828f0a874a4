package io.koala.testing;

import io.koala.optimizer.BlockLayout;
import io.koala.optimizer.Optimizer;
import io.koala.optimizer.OptimizerKind;
import io.koala.optimizer.OptimizerSpec;
import io.koala.optimizer.Preset;
import io.koala.state.OptimizerState;
import java.util.ArrayList;
import java.util.List;

/** One instance of every optimizer over a layout, for tests that must hold for all of them. */
public final class Optimizers {

  private Optimizers() {}

  /**
   * The reference preset of every kind, with adaptive process noise when {@code adaptive}; SGD at η
   * = 0.05 and Adam at η = 0.01 so that the tests' short runs move.
   */
  public static List<Optimizer<OptimizerState>> all(BlockLayout layout, boolean adaptive) {
    OptimizerSpec spec = OptimizerSpec.of(layout).withAdaptive(adaptive ? true : null);
    List<Optimizer<OptimizerState>> all = new ArrayList<>();
    for (OptimizerKind kind : OptimizerKind.values()) {
      OptimizerSpec forKind =
          switch (kind) {
            case SGD -> spec.withLearningRate(0.05);
            case ADAM -> spec.withLearningRate(0.01);
            default -> spec;
          };
      all.add(io.koala.optimizer.Optimizers.create(kind, Preset.REFERENCE, forKind));
    }
    return List.copyOf(all);
  }
}
