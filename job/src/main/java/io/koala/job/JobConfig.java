package io.koala.job;

import static io.koala.job.KoalaOptions.*;

import io.koala.connectors.DecoderLimits;
import io.koala.model.Head;
import io.koala.model.LinearModel;
import io.koala.model.MlpModel;
import io.koala.model.Model;
import io.koala.noise.MeasurementNoise;
import io.koala.noise.ProcessNoise;
import io.koala.noise.Target;
import io.koala.optimizer.Adam;
import io.koala.optimizer.BlockLayout;
import io.koala.optimizer.Direction;
import io.koala.optimizer.KoalaM;
import io.koala.optimizer.KoalaMConfig;
import io.koala.optimizer.KoalaPlusPlus;
import io.koala.optimizer.KoalaPlusPlusConfig;
import io.koala.optimizer.KoalaV;
import io.koala.optimizer.KoalaVConfig;
import io.koala.optimizer.Optimizer;
import io.koala.optimizer.Sgd;
import io.koala.state.AdamStateSerializer;
import io.koala.state.KoalaMStateSerializer;
import io.koala.state.KoalaPlusPlusStateSerializer;
import io.koala.state.KoalaVStateSerializer;
import io.koala.state.ModelStateSerializer;
import io.koala.state.OptimizerState;
import io.koala.state.SgdStateSerializer;
import io.koala.state.StateSerializer;
import io.koala.training.Trainer;
import java.io.Serializable;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.Configuration;

/**
 * The {@code koala.*} configuration, read and validated once at start: a bad value fails here
 * with its key named. Builds the trainer, the state serializer and the decoder limits.
 */
public final class JobConfig implements Serializable {

  private static final long serialVersionUID = 1L;

  private final Configuration conf;
  private final int batchSize;
  private final Duration maxDelay;
  private final int snapshotEvery;

  private JobConfig(Configuration conf) {
    this.conf = conf;
    this.batchSize = positive(BATCH_SIZE);
    this.maxDelay = read(BATCH_MAX_DELAY);
    if (maxDelay != null && (maxDelay.isNegative() || maxDelay.isZero())) {
      throw bad(BATCH_MAX_DELAY, "must be positive");
    }
    this.snapshotEvery = positive(SNAPSHOT_EVERY);
    positive(MODEL_FEATURES);
    if (read(MODEL_TYPE) == ModelType.SOFTMAX && conf.get(MODEL_CLASSES) < 2) {
      throw bad(MODEL_CLASSES, "must be >= 2 for softmax");
    }
    positive(MODEL_HIDDEN);
    positive(MAX_RECORD_BYTES);
    positive(MAX_FEATURES);
    positive(MAX_BATCH);
    // Build once now so that every hyperparameter is checked before the job starts.
    trainer();
  }

  /** Validates {@code conf}; throws IllegalArgumentException naming the first bad key. */
  public static JobConfig of(Configuration conf) {
    return new JobConfig(new Configuration(conf));
  }

  public Configuration configuration() {
    return new Configuration(conf);
  }

  public int batchSize() {
    return batchSize;
  }

  /** The event-time flush delay, or null for count-only batches. */
  public Duration maxDelay() {
    return maxDelay;
  }

  public int snapshotEvery() {
    return snapshotEvery;
  }

  public <T> T get(ConfigOption<T> option) {
    return read(option);
  }

  private <T> T read(ConfigOption<T> option) {
    try {
      return conf.get(option);
    } catch (IllegalArgumentException e) {
      throw bad(option, "cannot be read: " + e.getMessage());
    }
  }

  private int positive(ConfigOption<Integer> option) {
    Integer value = read(option);
    if (value == null) {
      throw bad(option, "is required");
    }
    if (value < 1) {
      throw bad(option, "must be >= 1, was " + value);
    }
    return value;
  }

  private static IllegalArgumentException bad(ConfigOption<?> option, String what) {
    return new IllegalArgumentException("invalid configuration: " + option.key() + " " + what);
  }

  /** Whether input records are CSV (else JSON). */
  public boolean csv() {
    String format = read(FORMAT);
    if (!format.equals("json") && !format.equals("csv")) {
      throw bad(FORMAT, "must be json or csv, was " + format);
    }
    return format.equals("csv");
  }

  /**
   * The decoder of input records; CSV needs its header ({@code koala.csv.columns} wins over
   * {@code fileHeader}, the first line of the input files).
   */
  public io.koala.connectors.RecordDecoder decoder(List<String> fileHeader) {
    if (!csv()) {
      return new io.koala.connectors.JsonEventDecoder(decoderLimits());
    }
    List<String> columns = read(CSV_COLUMNS) != null ? read(CSV_COLUMNS) : fileHeader;
    if (columns == null) {
      throw bad(CSV_COLUMNS, "is required for CSV records from Kafka");
    }
    String delimiter = read(CSV_DELIMITER);
    if (delimiter.length() != 1) {
      throw bad(CSV_DELIMITER, "must be one character, was \"" + delimiter + "\"");
    }
    String key = read(CSV_KEY_COLUMN);
    return new io.koala.connectors.CsvEventDecoder(decoderLimits(), columns,
        read(CSV_LABEL_COLUMN), columns.contains(key) ? key : null, delimiter.charAt(0));
  }

  /** The threshold h of the drift statistic, reported with every drift event. */
  public double driftThreshold() {
    return ProcessNoise.adaptive(1.0).cusumThreshold();
  }

  public DecoderLimits decoderLimits() {
    ModelType type = read(MODEL_TYPE);
    int classes = switch (type) {
      case LINEAR -> 0;
      case LOGISTIC -> 2;
      case SOFTMAX -> read(MODEL_CLASSES);
      case MLP -> head() == Head.SQUARED ? 0 : head() == Head.LOGISTIC ? 2 : read(MODEL_CLASSES);
    };
    String defaultKey = read(DEFAULT_KEY);
    return new DecoderLimits(read(MODEL_FEATURES), classes, read(MODEL_CLASS_NAMES),
        defaultKey == null || defaultKey.isEmpty() ? null : defaultKey, read(MAX_RECORD_BYTES),
        read(MAX_FEATURES), read(MAX_BATCH));
  }

  private Head head() {
    try {
      return Head.valueOf(read(MODEL_HEAD).toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw bad(MODEL_HEAD, "must be squared, logistic or softmax");
    }
  }

  public Model model() {
    int d = read(MODEL_FEATURES);
    return switch (read(MODEL_TYPE)) {
      case LINEAR -> LinearModel.linearRegression(d);
      case LOGISTIC -> LinearModel.logisticRegression(d);
      case SOFTMAX -> LinearModel.softmaxRegression(d, read(MODEL_CLASSES));
      case MLP -> new MlpModel(d, read(MODEL_HIDDEN), head(), read(MODEL_CLASSES));
    };
  }

  /** The trainer for one key, as configured. */
  public Trainer<OptimizerState> trainer() {
    Model model = model();
    try {
      return new Trainer<>(model, optimizer(model), read(MODEL_STANDARDISE), read(MODEL_SEED));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("invalid configuration of koala.optimizer ("
          + read(OPTIMIZER) + "): " + e.getMessage(), e);
    }
  }

  /** The serializer of a key's model state for the configured optimizer. */
  @SuppressWarnings({"unchecked", "rawtypes"})
  public ModelStateSerializer<OptimizerState> stateSerializer() {
    StateSerializer<?> inner = switch (read(OPTIMIZER)) {
      case KOALA_V -> KoalaVStateSerializer.INSTANCE;
      case KOALA_M -> KoalaMStateSerializer.INSTANCE;
      case KOALA_PP -> KoalaPlusPlusStateSerializer.INSTANCE;
      case SGD -> SgdStateSerializer.INSTANCE;
      case ADAM -> AdamStateSerializer.INSTANCE;
    };
    return new ModelStateSerializer<>((StateSerializer) inner);
  }

  private double orDefault(ConfigOption<Double> option, double fallback) {
    Double value = read(option);
    return value == null ? fallback : value;
  }

  private boolean orDefault(ConfigOption<Boolean> option, boolean fallback) {
    Boolean value = read(option);
    return value == null ? fallback : value;
  }

  @SuppressWarnings("unchecked")
  private Optimizer<OptimizerState> optimizer(Model model) {
    BlockLayout layout = read(OPTIMIZER_LAYOUT) == Layout.GLOBAL
        ? BlockLayout.global(model.parameterCount()) : model.layerwiseLayout();
    double decay = read(WEIGHT_DECAY);
    Double fixedR = read(MEASUREMENT_NOISE);
    MeasurementNoise r = fixedR != null ? MeasurementNoise.fixed(fixedR)
        : new MeasurementNoise(MeasurementNoise.Kind.EMA, read(MEASUREMENT_NOISE_BETA), 1.0,
            MeasurementNoise.Sample.MEAN_SQUARED_LOSS);
    Target target = Target.reference(orDefault(LEARNING_RATE, 1.0));
    boolean stream = read(OPTIMIZER_DEFAULTS) == KoalaOptions.Defaults.STREAM;
    Optimizer<?> optimizer = switch (read(OPTIMIZER)) {
      case KOALA_V -> new KoalaV(new KoalaVConfig(layout,
          orDefault(INITIAL_COVARIANCE, stream ? 1.0 : 0.1),
          processNoise(stream ? 0.0003 : 1.0), r, target, decay, Direction.RAW_GRADIENT, 1e-9));
      case KOALA_M -> {
        KoalaMConfig ref = KoalaMConfig.reference(layout);
        yield new KoalaM(new KoalaMConfig(layout, orDefault(INITIAL_COVARIANCE, 0.1), 0.0, 0.1,
            orDefault(MOMENTUM, 0.9), ref.initialWeightNoise(), ref.velocityNoise(),
            ref.weightNoiseBeta(), ref.averageBeta(), processNoise(stream ? 0.0003 : 0.0), r,
            target, decay, 1e-9));
      }
      case KOALA_PP -> new KoalaPlusPlus(new KoalaPlusPlusConfig(layout,
          orDefault(INITIAL_COVARIANCE, 0.1), processNoise(stream ? 0.003 : 0.1), r, target, decay,
          read(SYMMETRIC), KoalaPlusPlusConfig.Initialisation.REFERENCE, 1e-9,
          stream)); // adaptive Q's alarms need the reset guard (ProcessNoise, KoalaPlusPlus)
      case SGD -> new Sgd(new Sgd.Config(layout, orDefault(LEARNING_RATE, 0.01),
          orDefault(MOMENTUM, 0.9), decay));
      case ADAM -> new Adam(new Adam.Config(layout, orDefault(LEARNING_RATE, 0.001), 0.9, 0.999,
          1e-8, decay));
    };
    return (Optimizer<OptimizerState>) optimizer;
  }

  private ProcessNoise processNoise(double fallback) {
    double base = orDefault(PROCESS_NOISE, fallback);
    boolean stream = read(OPTIMIZER_DEFAULTS) == KoalaOptions.Defaults.STREAM;
    boolean perExample = orDefault(PROCESS_NOISE_PER_EXAMPLE, stream);
    if (!orDefault(PROCESS_NOISE_ADAPTIVE, stream)) {
      return ProcessNoise.constant(base).withPerExample(perExample);
    }
    ProcessNoise adaptive = ProcessNoise.adaptive(base).withPerExample(perExample);
    return adaptive.withBounds(orDefault(PROCESS_NOISE_MIN, adaptive.min()),
        orDefault(PROCESS_NOISE_MAX, adaptive.max()));
  }
}
