package io.koala.job;

import io.koala.job.KoalaChoices.MlpBackendChoice;
import io.koala.job.KoalaChoices.MlpHead;
import io.koala.job.KoalaChoices.ModelType;
import io.koala.model.LinearModel;
import io.koala.model.MlpModel;
import io.koala.model.Model;
import io.koala.optimizer.OptimizerKind;
import io.koala.optimizer.OptimizerSpec;
import io.koala.optimizer.Optimizers;
import io.koala.optimizer.Preset;
import io.koala.state.AdamStateSerializer;
import io.koala.state.KoalaMStateSerializer;
import io.koala.state.KoalaPlusPlusStateSerializer;
import io.koala.state.KoalaVStateSerializer;
import io.koala.state.ModelStateSerializer;
import io.koala.state.OptimizerState;
import io.koala.state.RaceStateSerializer;
import io.koala.state.SgdStateSerializer;
import io.koala.state.StateSerializer;
import io.koala.training.Trainer;
import java.io.Serializable;
import org.apache.flink.api.common.typeutils.TypeSerializer;

/**
 * What a task needs to build a key's trainer, and nothing more: the model and the optimizer as
 * configured (a preset with the user's overrides). Shipped with the operator, so it stays small.
 *
 * @param type the model family
 * @param features the input dimension
 * @param classes classes of a softmax model or head
 * @param hidden hidden units of the mlp
 * @param head output head of the mlp
 * @param mlpBackend how the mlp computes its large products
 * @param standardise online per-feature standardisation
 * @param seed seed of the initial parameters
 * @param optimizer the optimizer
 * @param preset where its unset hyperparameters come from
 * @param overrides the hyperparameters the user set, over the model's parameter blocks
 */
public record TrainerSpec(
    ModelType type,
    int features,
    int classes,
    int hidden,
    MlpHead head,
    MlpBackendChoice mlpBackend,
    boolean standardise,
    long seed,
    OptimizerKind optimizer,
    Preset preset,
    OptimizerSpec overrides)
    implements Serializable {

  private static final long serialVersionUID = 1L;

  /** The same trainer with other optimizer overrides. */
  public TrainerSpec withOverrides(OptimizerSpec spec) {
    return new TrainerSpec(
        type,
        features,
        classes,
        hidden,
        head,
        mlpBackend,
        standardise,
        seed,
        optimizer,
        preset,
        spec);
  }

  /** A fresh model of this shape. */
  public Model model() {
    return switch (type) {
      case LINEAR -> LinearModel.linearRegression(features);
      case LOGISTIC -> LinearModel.logisticRegression(features);
      case SOFTMAX -> LinearModel.softmaxRegression(features, classes);
      case MLP -> new MlpModel(features, hidden, head.head(), classes, mlpBackend.backend());
    };
  }

  /** The trainer of one key. */
  public Trainer<OptimizerState> trainer() {
    return new Trainer<>(
        model(), Optimizers.create(optimizer, preset, overrides), standardise, seed);
  }

  /** The serializer of a key's model state for this optimizer. */
  @SuppressWarnings({"unchecked", "rawtypes"})
  public ModelStateSerializer<OptimizerState> stateSerializer() {
    StateSerializer<?> inner =
        switch (optimizer) {
          case KOALA_V -> KoalaVStateSerializer.INSTANCE;
          case KOALA_M -> KoalaMStateSerializer.INSTANCE;
          case KOALA_PP -> KoalaPlusPlusStateSerializer.INSTANCE;
          case SGD -> SgdStateSerializer.INSTANCE;
          case ADAM -> AdamStateSerializer.INSTANCE;
        };
    TypeSerializer<OptimizerState> state =
        (StateSerializer<OptimizerState>) (StateSerializer) inner;
    if (Optimizers.isRace(optimizer, preset, overrides)) {
      int start =
          ((io.koala.optimizer.ProcessNoiseRace)
                  (io.koala.optimizer.Optimizer<?>) Optimizers.create(optimizer, preset, overrides))
              .startCentre();
      state = new RaceStateSerializer(state, start);
    }
    return new ModelStateSerializer<>(state);
  }
}
