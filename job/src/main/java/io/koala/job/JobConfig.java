package io.koala.job;

import static io.koala.job.KoalaChoices.*;
import static io.koala.job.KoalaOptions.*;

import io.koala.connectors.CsvEventDecoder;
import io.koala.connectors.DecoderLimits;
import io.koala.connectors.JsonEventDecoder;
import io.koala.connectors.RecordDecoder;
import io.koala.connectors.file.JsonLinesFiles;
import io.koala.connectors.kafka.KafkaSettings;
import io.koala.model.Head;
import io.koala.model.MlpModel;
import io.koala.model.Model;
import io.koala.optimizer.BlockLayout;
import io.koala.optimizer.OptimizerSpec;
import io.koala.state.ModelStateSerializer;
import io.koala.state.OptimizerState;
import io.koala.training.Trainer;
import java.io.Serializable;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.base.DeliveryGuarantee;

/**
 * The {@code koala.*} configuration, read and validated once at start: a bad value fails here with
 * its key named. Builds the trainer, the state serializer and the decoder limits.
 */
public final class JobConfig implements Serializable {

  private static final long serialVersionUID = 1L;

  private final Configuration conf;
  private final int batchSize;
  private final Duration maxDelay;
  private final int snapshotEvery;
  private final Duration idleTimeout;

  private JobConfig(Configuration conf) {
    this.conf = conf;
    rejectUnknownKeys(conf);
    for (OptionCatalog.Entry entry : OptionCatalog.entries()) {
      read(entry.option()); // every value parses, and a choice is one of its allowed values
    }
    this.batchSize = positive(BATCH_SIZE);
    this.maxDelay = read(BATCH_MAX_DELAY);
    if (maxDelay != null && (maxDelay.isNegative() || maxDelay.isZero())) {
      throw bad(BATCH_MAX_DELAY, "must be positive");
    }
    this.snapshotEvery = positive(SNAPSHOT_EVERY);
    this.idleTimeout = read(MODEL_IDLE_TIMEOUT);
    if (idleTimeout != null && idleTimeout.toMillis() < 1) {
      throw bad(MODEL_IDLE_TIMEOUT, "must be at least 1 ms, was " + idleTimeout);
    }
    if (idleTimeout == null && conf.contains(MODEL_IDLE_TIME)) {
      throw bad(MODEL_IDLE_TIME, "is set but koala.model.idle-timeout is not (keys live forever)");
    }
    positive(MODEL_FEATURES);
    if (read(MODEL_TYPE) == ModelType.SOFTMAX && conf.get(MODEL_CLASSES) < 2) {
      throw bad(MODEL_CLASSES, "must be >= 2 for softmax");
    }
    positive(MODEL_HIDDEN);
    requireNd4jWhereTheMlpUsesIt();
    positive(MAX_RECORD_BYTES);
    positive(MAX_FEATURES);
    positive(MAX_BATCH);
    positive(MAX_KEY_BYTES);
    if (csv() && read(CSV_DELIMITER).length() != 1) {
      throw bad(CSV_DELIMITER, "must be one character, was \"" + read(CSV_DELIMITER) + "\"");
    }
    if (read(CSV_SPARSE_COLUMN) != null) {
      if (!csv()) {
        throw bad(CSV_SPARSE_COLUMN, "needs koala.format = csv");
      }
      if (read(CSV_SPARSE_COLUMN).isEmpty()) {
        throw bad(CSV_SPARSE_COLUMN, "must not be empty");
      }
    }
    if (read(BACKFILL_PATH) != null) {
      if (read(SOURCE) != SourceKind.KAFKA) {
        throw bad(BACKFILL_PATH, "needs koala.source = kafka (the live part after the history)");
      }
      backfillFiles();
    }
    if (read(SOURCE) == SourceKind.KAFKA) {
      if (csv() && read(CSV_COLUMNS) == null) {
        throw bad(CSV_COLUMNS, "is required for CSV records from Kafka");
      }
      kafkaSettings();
      for (ConfigOption<String> topic :
          List.of(
              KAFKA_TOPIC_MODELS,
              KAFKA_TOPIC_METRICS,
              KAFKA_TOPIC_PREDICTIONS,
              KAFKA_TOPIC_DRIFT,
              KAFKA_TOPIC_DEAD_LETTERS,
              KAFKA_TRANSACTIONAL_ID_PREFIX)) {
        if (read(topic).isBlank()) {
          throw bad(topic, "must not be empty");
        }
      }
    }
    // Build once now so that every hyperparameter is checked before the job starts.
    trainer();
  }

  /** Validates {@code conf}; throws IllegalArgumentException naming the first bad key. */
  public static JobConfig of(Configuration conf) {
    return new JobConfig(new Configuration(conf));
  }

  /** A {@code koala.*} key that no option has is a typo until proven otherwise. */
  private static void rejectUnknownKeys(Configuration conf) {
    for (String key : conf.keySet()) {
      if (key.startsWith("koala.") && !OptionCatalog.known(key)) {
        throw new IllegalArgumentException(
            "invalid configuration: unknown key "
                + key
                + "; did you mean "
                + OptionCatalog.nearest(key)
                + "? (koala train --help lists "
                + "every key)");
      }
    }
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

  /** How long a key may be silent before it is evicted, or null: keys live forever. */
  public Duration idleTimeout() {
    return idleTimeout;
  }

  /** The clock of the idle timeout. */
  public IdleTime idleTime() {
    return read(MODEL_IDLE_TIME);
  }

  /**
   * Whether the job generates watermarks from its events: for the event-time flush of partial
   * batches, or for an idle timeout in event time.
   */
  public boolean watermarks() {
    return maxDelay != null || (idleTimeout != null && idleTime() == IdleTime.EVENT);
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
      String raw = conf.toMap().get(option.key());
      List<String> choices =
          OptionCatalog.find(option.key()).map(OptionCatalog.Entry::choices).orElse(List.of());
      if (!choices.isEmpty()) {
        throw bad(option, "must be one of " + String.join(", ", choices) + "; was " + raw);
      }
      throw bad(option, "cannot be read from \"" + raw + "\": " + e.getMessage());
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
    return read(FORMAT) == Format.CSV;
  }

  /**
   * The decoder of input records; CSV needs its header ({@code koala.csv.columns} wins over {@code
   * fileHeader}, the first line of the input files).
   */
  public RecordDecoder decoder(List<String> fileHeader) {
    if (!csv()) {
      return new JsonEventDecoder(decoderLimits());
    }
    List<String> columns = read(CSV_COLUMNS) != null ? read(CSV_COLUMNS) : fileHeader;
    if (columns == null) {
      throw bad(CSV_COLUMNS, "is required when the input has no header line");
    }
    String key = read(CSV_KEY_COLUMN);
    String sparse = read(CSV_SPARSE_COLUMN);
    try {
      return new CsvEventDecoder(
          decoderLimits(),
          columns,
          read(CSV_LABEL_COLUMN),
          columns.contains(key) ? key : null,
          sparse,
          read(CSV_DELIMITER).charAt(0));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "invalid configuration: the CSV header does not fit "
              + String.join(
                  ", ",
                  CSV_LABEL_COLUMN.key(),
                  CSV_KEY_COLUMN.key(),
                  sparse == null ? MODEL_FEATURES.key() : CSV_SPARSE_COLUMN.key())
              + ": "
              + e.getMessage(),
          e);
    }
  }

  /** The input files of {@code koala.file.input}: one file, or the folder's files in name order. */
  public List<Path> inputFiles() {
    try {
      return JsonLinesFiles.resolve(read(FILE_INPUT), csv());
    } catch (IllegalArgumentException e) {
      throw bad(FILE_INPUT, e.getMessage());
    }
  }

  /**
   * The history files of {@code koala.source.backfill.path} (one file, or the folder's files in
   * name order), or an empty list when the job reads Kafka only.
   */
  public List<Path> backfillFiles() {
    String path = read(BACKFILL_PATH);
    if (path == null) {
      return List.of();
    }
    try {
      List<Path> files = JsonLinesFiles.resolve(path, csv());
      if (JsonLinesFiles.countLines(files) == 0) {
        throw new IllegalArgumentException("the history " + path + " holds no line");
      }
      return files;
    } catch (IllegalArgumentException e) {
      throw bad(BACKFILL_PATH, e.getMessage());
    }
  }

  /** The Kafka source's settings from {@code koala.kafka.*}, client properties included. */
  public KafkaSettings kafkaSettings() {
    Properties client = new Properties();
    conf.toMap()
        .forEach(
            (key, value) -> {
              if (key.startsWith(KAFKA_PROPERTIES_PREFIX)) {
                client.setProperty(key.substring(KAFKA_PROPERTIES_PREFIX.length()), value);
              }
            });
    String servers = read(KAFKA_BOOTSTRAP);
    if (servers == null || servers.isBlank()) {
      throw bad(KAFKA_BOOTSTRAP, "is required when koala.source = kafka");
    }
    List<String> topics = read(KAFKA_INPUT_TOPICS);
    String pattern = read(KAFKA_INPUT_PATTERN);
    if ((topics == null || topics.isEmpty()) == (pattern == null || pattern.isBlank())) {
      throw new IllegalArgumentException(
          "invalid configuration: give exactly one of "
              + KAFKA_INPUT_TOPICS.key()
              + " and "
              + KAFKA_INPUT_PATTERN.key());
    }
    try {
      return KafkaSettings.builder()
          .bootstrapServers(servers)
          .topics(topics)
          .topicPattern(pattern)
          .groupId(read(KAFKA_GROUP_ID))
          .startingOffsets(read(KAFKA_STARTING_OFFSETS))
          .bounded(read(KAFKA_BOUNDED))
          .clientProperties(client)
          .build();
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "invalid configuration of koala.kafka.*: " + e.getMessage(), e);
    }
  }

  /** The delivery guarantee that {@code option} chooses. */
  public DeliveryGuarantee delivery(ConfigOption<Delivery> option) {
    return read(option).guarantee();
  }

  /**
   * The threshold of the drift statistic reported with every drift event: 1, since the statistic is
   * reported in units of its threshold (each key's h follows its in-control error rate).
   */
  public double driftThreshold() {
    return 1.0;
  }

  public DecoderLimits decoderLimits() {
    ModelType type = read(MODEL_TYPE);
    int classes =
        switch (type) {
          case LINEAR -> 0;
          case LOGISTIC -> 2;
          case SOFTMAX -> read(MODEL_CLASSES);
          case MLP ->
              head() == Head.SQUARED ? 0 : head() == Head.LOGISTIC ? 2 : read(MODEL_CLASSES);
        };
    String defaultKey = read(DEFAULT_KEY);
    return new DecoderLimits(
        read(MODEL_FEATURES),
        classes,
        read(MODEL_CLASS_NAMES),
        defaultKey == null || defaultKey.isEmpty() ? null : defaultKey,
        read(MAX_RECORD_BYTES),
        read(MAX_FEATURES),
        read(MAX_BATCH),
        read(MAX_KEY_BYTES));
  }

  /**
   * ND4J's gemm gives other last bits than the loops, so a job whose mlp would use it and cannot
   * load it fails here, instead of training (and restoring) with other results.
   */
  private void requireNd4jWhereTheMlpUsesIt() {
    MlpBackendChoice backend = read(MODEL_MLP_BACKEND);
    if (read(MODEL_TYPE) != ModelType.MLP || backend == MlpBackendChoice.LOOPS) {
      return;
    }
    long size = (long) batchSize * conf.get(MODEL_FEATURES) * conf.get(MODEL_HIDDEN);
    if (backend == MlpBackendChoice.AUTO && size < MlpModel.ND4J_CROSSOVER) {
      return;
    }
    try {
      MlpModel.requireNd4j(
          backend == MlpBackendChoice.ND4J
              ? "is nd4j"
              : "is auto and batches of "
                  + batchSize
                  + " × "
                  + conf.get(MODEL_FEATURES)
                  + " features × "
                  + conf.get(MODEL_HIDDEN)
                  + " hidden reach the crossover "
                  + MlpModel.ND4J_CROSSOVER
                  + ",");
    } catch (IllegalStateException e) {
      throw bad(MODEL_MLP_BACKEND, e.getMessage());
    }
  }

  private Head head() {
    return read(MODEL_HEAD).head();
  }

  public Model model() {
    return trainerSpec().model();
  }

  /** What each task needs to build a key's trainer: small and serializable. */
  public TrainerSpec trainerSpec() {
    TrainerSpec shape =
        new TrainerSpec(
            read(MODEL_TYPE),
            read(MODEL_FEATURES),
            read(MODEL_CLASSES),
            read(MODEL_HIDDEN),
            read(MODEL_HEAD),
            read(MODEL_MLP_BACKEND),
            read(MODEL_STANDARDISE),
            read(MODEL_SEED),
            read(OPTIMIZER),
            read(OPTIMIZER_DEFAULTS),
            null);
    Model model = shape.model();
    BlockLayout layout =
        read(OPTIMIZER_LAYOUT) == Layout.GLOBAL
            ? BlockLayout.global(model.parameterCount())
            : model.layerwiseLayout();
    OptimizerSpec overrides =
        OptimizerSpec.of(layout)
            .withLearningRate(read(LEARNING_RATE))
            .withCovariance(read(INITIAL_COVARIANCE))
            .withProcessNoise(read(PROCESS_NOISE))
            .withAdaptive(read(PROCESS_NOISE_ADAPTIVE))
            .withPerExample(read(PROCESS_NOISE_PER_EXAMPLE))
            .withProcessNoiseBounds(read(PROCESS_NOISE_MIN), read(PROCESS_NOISE_MAX))
            .withMeasurementNoise(read(MEASUREMENT_NOISE))
            .withMeasurementNoiseBeta(read(MEASUREMENT_NOISE_BETA))
            .withWeightDecay(read(WEIGHT_DECAY))
            .withMomentum(read(MOMENTUM))
            .withSymmetric(read(SYMMETRIC))
            .withLazy(read(LAZY))
            .withDrift(
                new OptimizerSpec.Drift(
                    read(DRIFT_REFERENCE),
                    read(DRIFT_THRESHOLD),
                    read(DRIFT_WARMUP),
                    read(DRIFT_ALARM_BOOST),
                    read(DRIFT_FALSE_ALARM_RATE)));
    return shape.withOverrides(overrides);
  }

  /** The trainer for one key, as configured. */
  public Trainer<OptimizerState> trainer() {
    try {
      return trainerSpec().trainer();
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "invalid configuration of koala.optimizer (" + read(OPTIMIZER) + "): " + e.getMessage(),
          e);
    }
  }

  /** The serializer of a key's model state for the configured optimizer. */
  public ModelStateSerializer<OptimizerState> stateSerializer() {
    return trainerSpec().stateSerializer();
  }
}
