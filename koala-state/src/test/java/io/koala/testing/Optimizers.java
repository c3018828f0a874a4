package io.koala.testing;

import io.koala.noise.ProcessNoise;
import io.koala.optimizer.Adam;
import io.koala.optimizer.BlockLayout;
import io.koala.optimizer.KoalaM;
import io.koala.optimizer.KoalaMConfig;
import io.koala.optimizer.KoalaPlusPlus;
import io.koala.optimizer.KoalaPlusPlusConfig;
import io.koala.optimizer.KoalaV;
import io.koala.optimizer.KoalaVConfig;
import io.koala.optimizer.Optimizer;
import io.koala.optimizer.Sgd;
import io.koala.state.OptimizerState;
import java.util.List;

/** One instance of every optimizer over a layout, for tests that must hold for all of them. */
public final class Optimizers {

  private Optimizers() {}

  @SuppressWarnings("unchecked")
  public static List<Optimizer<OptimizerState>> all(BlockLayout layout, boolean adaptive) {
    KoalaVConfig v = KoalaVConfig.reference(layout);
    KoalaMConfig m = KoalaMConfig.reference(layout);
    KoalaPlusPlusConfig pp = KoalaPlusPlusConfig.reference(layout);
    if (adaptive) {
      v = v.withProcessNoise(ProcessNoise.adaptive(1.0));
      m = m.withDriftNoise(ProcessNoise.adaptive(0.0));
      pp = pp.withProcessNoise(ProcessNoise.adaptive(0.1));
    }
    return List.of(
        (Optimizer<OptimizerState>) (Optimizer<?>) new KoalaV(v),
        (Optimizer<OptimizerState>) (Optimizer<?>) new KoalaM(m),
        (Optimizer<OptimizerState>) (Optimizer<?>) new KoalaPlusPlus(pp),
        (Optimizer<OptimizerState>) (Optimizer<?>) new Sgd(new Sgd.Config(layout, 0.05, 0.9, 0.0)),
        (Optimizer<OptimizerState>) (Optimizer<?>) new Adam(Adam.Config.defaults(layout, 0.01)));
  }
}
