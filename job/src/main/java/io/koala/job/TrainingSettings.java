package io.koala.job;

import io.koala.state.ModelState;
import io.koala.state.OptimizerState;
import io.koala.training.Trainer;
import java.io.Serializable;
import java.time.Duration;
import org.apache.flink.api.common.typeutils.TypeSerializer;

/**
 * What the training operator needs from the configuration, and nothing more: shipped to every task
 * with the operator, so it is small and serializable.
 *
 * @param batchSize labelled examples per micro-batch
 * @param maxDelay how long event time may pass the first waiting example before its batch closes;
 *     null for no limit
 * @param snapshotEvery emit a model snapshot every this many versions
 * @param driftThreshold the drift statistic's alarm threshold (reported in drift events)
 * @param modelType the model type's name, as reported in snapshots
 * @param stateSerializer the serializer of a key's model state for the configured optimizer
 * @param trainers builds the trainer in each task
 * @param idleTimeout how long a key may be silent before it is evicted; null: keys live forever
 * @param idleTime the clock of the idle timeout (ignored without one)
 */
public record TrainingSettings(
    int batchSize,
    Duration maxDelay,
    int snapshotEvery,
    double driftThreshold,
    String modelType,
    TypeSerializer<ModelState<OptimizerState>> stateSerializer,
    Trainers trainers,
    Duration idleTimeout,
    KoalaChoices.IdleTime idleTime)
    implements Serializable {

  /** Builds a task's trainer from the configuration (benchmarks swap the configured one). */
  public interface TrainerFactory extends Serializable {
    Trainer<OptimizerState> create(TrainerSpec spec);
  }

  /** Builds a task's trainer; whatever it needs is captured when the settings are made. */
  public interface Trainers extends Serializable {
    Trainer<OptimizerState> create();
  }

  public TrainingSettings {
    if (batchSize < 1 || snapshotEvery < 1) {
      throw new IllegalArgumentException(
          "batch size and snapshot interval must be positive, were "
              + batchSize
              + " and "
              + snapshotEvery);
    }
  }

  /** Settings whose keys live forever. */
  public TrainingSettings(
      int batchSize,
      Duration maxDelay,
      int snapshotEvery,
      double driftThreshold,
      String modelType,
      TypeSerializer<ModelState<OptimizerState>> stateSerializer,
      Trainers trainers) {
    this(
        batchSize,
        maxDelay,
        snapshotEvery,
        driftThreshold,
        modelType,
        stateSerializer,
        trainers,
        null,
        KoalaChoices.IdleTime.PROCESSING);
  }

  /** The settings of a configured job, with its configured trainer. */
  public static TrainingSettings of(JobConfig config) {
    return of(config, TrainerSpec::trainer);
  }

  /** The settings of a configured job, with another trainer (benchmarks' no-op floor). */
  public static TrainingSettings of(JobConfig config, TrainerFactory factory) {
    TrainerSpec spec = config.trainerSpec();
    return new TrainingSettings(
        config.batchSize(),
        config.maxDelay(),
        config.snapshotEvery(),
        config.driftThreshold(),
        config.get(KoalaOptions.MODEL_TYPE).toString(),
        spec.stateSerializer(),
        () -> factory.create(spec),
        config.idleTimeout(),
        config.idleTime());
  }
}
