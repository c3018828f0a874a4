package io.koala.job;

import static io.koala.job.KoalaChoices.*;
import static org.apache.flink.configuration.ConfigOptions.key;

import io.koala.connectors.DecoderLimits;
import io.koala.connectors.kafka.StartingOffsets;
import io.koala.optimizer.OptimizerKind;
import io.koala.optimizer.Preset;
import java.time.Duration;
import java.util.List;
import org.apache.flink.configuration.ConfigOption;

/**
 * Every {@code koala.*} setting, with its type, default and description: the one list that the
 * configuration is checked against and {@code koala train --help} is printed from.
 */
public final class KoalaOptions {

  private KoalaOptions() {}

  public static final ConfigOption<ModelType> MODEL_TYPE =
      key("koala.model.type")
          .enumType(ModelType.class)
          .defaultValue(ModelType.LOGISTIC)
          .withDescription("The model family.");
  public static final ConfigOption<Integer> MODEL_FEATURES =
      key("koala.model.features")
          .intType()
          .noDefaultValue()
          .withDescription("The input dimension (named features are hashed into it). Required.");
  public static final ConfigOption<Integer> MODEL_CLASSES =
      key("koala.model.classes")
          .intType()
          .defaultValue(2)
          .withDescription("Number of classes for softmax (and mlp with a softmax head).");
  public static final ConfigOption<List<String>> MODEL_CLASS_NAMES =
      key("koala.model.class-names")
          .stringType()
          .asList()
          .defaultValues()
          .withDescription("Class names, in index order, for string labels.");
  public static final ConfigOption<Integer> MODEL_HIDDEN =
      key("koala.model.hidden")
          .intType()
          .defaultValue(16)
          .withDescription("Hidden units of the mlp.");
  public static final ConfigOption<MlpHead> MODEL_HEAD =
      key("koala.model.head")
          .enumType(MlpHead.class)
          .defaultValue(MlpHead.LOGISTIC)
          .withDescription("Output head of the mlp.");
  public static final ConfigOption<MlpBackendChoice> MODEL_MLP_BACKEND =
      key("koala.model.mlp.backend")
          .enumType(MlpBackendChoice.class)
          .defaultValue(MlpBackendChoice.AUTO)
          .withDescription(
              "How the mlp computes W1 x and its gradient: auto takes ND4J's gemm when batch"
                  + " size x features x hidden reaches the measured crossover (plain loops below"
                  + " it), loops never needs ND4J, nd4j always uses it. A job that needs ND4J"
                  + " and cannot load it fails at start.");
  public static final ConfigOption<Boolean> MODEL_STANDARDISE =
      key("koala.model.standardise")
          .booleanType()
          .defaultValue(false)
          .withDescription("Online per-feature standardisation (running mean and variance).");
  public static final ConfigOption<Long> MODEL_SEED =
      key("koala.model.seed")
          .longType()
          .defaultValue(42L)
          .withDescription("Seed of the initial parameters (mlp).");

  /** Said by every hyperparameter whose default comes from the preset, never as a number here. */
  static final String FROM_PRESET =
      " Default: from the preset named by koala.optimizer.defaults"
          + " (koala train --help prints each preset's values).";

  public static final ConfigOption<OptimizerKind> OPTIMIZER =
      key("koala.optimizer")
          .enumType(OptimizerKind.class)
          .defaultValue(OptimizerKind.KOALA_V)
          .withDescription("The optimizer of every key's model.");
  public static final ConfigOption<Preset> OPTIMIZER_DEFAULTS =
      key("koala.optimizer.defaults")
          .enumType(Preset.class)
          .defaultValue(Preset.AUTO)
          .withDescription(
              "The preset that supplies every unset optimizer hyperparameter: auto (each key "
                  + "races three filters over a grid of Q_k per example spanning nine decades and "
                  + "answers from the best; docs/algorithms.md#auto), stream (adaptive Q_k per "
                  + "example, the default before auto) or reference (the paper's experiments, "
                  + "constant Q; the golden vectors use them).");
  public static final ConfigOption<Layout> OPTIMIZER_LAYOUT =
      key("koala.optimizer.layout")
          .enumType(Layout.class)
          .defaultValue(Layout.LAYERWISE)
          .withDescription(
              "Covariance blocks: layerwise (one per weight matrix and bias) or global.");
  public static final ConfigOption<Double> LEARNING_RATE =
      key("koala.optimizer.learning-rate")
          .doubleType()
          .noDefaultValue()
          .withDescription(
              "η: KOALA aims each step at the loss shrunk by the factor one minus η; sgd "
                  + "and adam take it as their step size."
                  + FROM_PRESET);
  public static final ConfigOption<Double> INITIAL_COVARIANCE =
      key("koala.optimizer.covariance")
          .doubleType()
          .noDefaultValue()
          .withDescription(
              "The initial covariance: p0 (koala-v), σ² (koala-pp), sw (koala-m)." + FROM_PRESET);
  public static final ConfigOption<Double> PROCESS_NOISE =
      key("koala.optimizer.process-noise")
          .doubleType()
          .noDefaultValue()
          .withDescription(
              "Q_0, the process noise (koala-m: its drift noise), per step or per "
                  + "example."
                  + FROM_PRESET);
  public static final ConfigOption<Boolean> PROCESS_NOISE_ADAPTIVE =
      key("koala.optimizer.process-noise.adaptive")
          .booleanType()
          .noDefaultValue()
          .withDescription(
              "Adapt Q_k to the loss surprise (drift), or keep it constant." + FROM_PRESET);
  public static final ConfigOption<Boolean> PROCESS_NOISE_PER_EXAMPLE =
      key("koala.optimizer.process-noise.per-example")
          .booleanType()
          .noDefaultValue()
          .withDescription(
              "Q (and its bounds) per example: a step over B examples adds B·Q. "
                  + "See benchmarks/README.md (drift benchmark) for what it does on drifting streams."
                  + FROM_PRESET);
  public static final ConfigOption<Double> PROCESS_NOISE_MIN =
      key("koala.optimizer.process-noise.min")
          .doubleType()
          .noDefaultValue()
          .withDescription("Lower bound of the adaptive Q_k." + FROM_PRESET);
  public static final ConfigOption<Double> PROCESS_NOISE_MAX =
      key("koala.optimizer.process-noise.max")
          .doubleType()
          .noDefaultValue()
          .withDescription("Upper bound of the adaptive Q_k." + FROM_PRESET);
  public static final ConfigOption<Double> MEASUREMENT_NOISE =
      key("koala.optimizer.measurement-noise")
          .doubleType()
          .noDefaultValue()
          .withDescription("A fixed R; unset, R_k is the EMA of mean squared per-example losses.");
  public static final ConfigOption<Double> MEASUREMENT_NOISE_BETA =
      key("koala.optimizer.measurement-noise.beta")
          .doubleType()
          .noDefaultValue()
          .withDescription("β_R of the R_k EMA." + FROM_PRESET);
  public static final ConfigOption<Double> WEIGHT_DECAY =
      key("koala.optimizer.weight-decay")
          .doubleType()
          .noDefaultValue()
          .withDescription("λ, decoupled weight decay." + FROM_PRESET);
  public static final ConfigOption<Double> MOMENTUM =
      key("koala.optimizer.momentum")
          .doubleType()
          .noDefaultValue()
          .withDescription("κ of koala-m, μ of sgd." + FROM_PRESET);
  public static final ConfigOption<Boolean> LAZY =
      key("koala.optimizer.lazy")
          .booleanType()
          .noDefaultValue()
          .withDescription(
              "sgd, adam: on sparse input move only the coordinates each batch touches (lazy "
                  + "momentum, lazy Adam), an O(non-zeros) step that differs from the dense "
                  + "optimizer; unset: false.");
  public static final ConfigOption<Boolean> SYMMETRIC =
      key("koala.optimizer.symmetric")
          .booleanType()
          .noDefaultValue()
          .withDescription(
              "koala-pp: the symmetric surrogate (else the asymmetric one)." + FROM_PRESET);

  public static final ConfigOption<Double> DRIFT_REFERENCE =
      key("koala.drift.reference")
          .doubleType()
          .noDefaultValue()
          .withDescription(
              "δ, the rise of the prequential error rate the drift CUSUM is designed to detect "
                  + "(between zero and one; for regression the rate of residuals beyond twice "
                  + "their in-control scale; koala-v, koala-m, koala-pp)."
                  + FROM_PRESET);
  public static final ConfigOption<Double> DRIFT_THRESHOLD =
      key("koala.drift.threshold")
          .doubleType()
          .noDefaultValue()
          .withDescription(
              "h, the drift CUSUM's alarm threshold in nats of log-likelihood ratio; unset, each "
                  + "key derives it from koala.drift.false-alarm-rate and its in-control error "
                  + "rate."
                  + FROM_PRESET);
  public static final ConfigOption<Double> DRIFT_FALSE_ALARM_RATE =
      key("koala.drift.false-alarm-rate")
          .doubleType()
          .noDefaultValue()
          .withDescription(
              "The designed false drift alarms per hundred thousand in-control examples, from "
                  + "which h "
                  + "is derived (docs/algorithms.md#drift-statistic)."
                  + FROM_PRESET);
  public static final ConfigOption<Integer> DRIFT_WARMUP =
      key("koala.drift.warmup")
          .intType()
          .noDefaultValue()
          .withDescription(
              "Examples (not batches) a key sees before its drift statistic may alarm or its "
                  + "adaptive Q_k rise; the drift statistic warms up again after each alarm."
                  + FROM_PRESET);
  public static final ConfigOption<Double> DRIFT_ALARM_BOOST =
      key("koala.drift.alarm-boost")
          .doubleType()
          .noDefaultValue()
          .withDescription(
              "b, the excess a drift alarm adds to an adaptive Q_k, in units of the predicted "
                  + "covariance (zero: alarms only report)."
                  + FROM_PRESET);

  public static final ConfigOption<Integer> BATCH_SIZE =
      key("koala.batch.size")
          .intType()
          .defaultValue(32)
          .withDescription("Labelled examples per micro-batch.");
  public static final ConfigOption<Duration> BATCH_MAX_DELAY =
      key("koala.batch.max-delay")
          .durationType()
          .noDefaultValue()
          .withDescription(
              "Event-time flush of a partial batch once the watermark passes its first "
                  + "example by this much. Unset: batches close by count only.");
  public static final ConfigOption<Integer> SNAPSHOT_EVERY =
      key("koala.snapshot.every-batches")
          .intType()
          .defaultValue(100)
          .withDescription("A model snapshot every this many batches.");
  public static final ConfigOption<Duration> MODEL_IDLE_TIMEOUT =
      key("koala.model.idle-timeout")
          .durationType()
          .noDefaultValue()
          .withDescription(
              "A key silent this long trains its waiting examples as a last smaller batch, writes "
                  + "its final model snapshot, and has its state and timers cleared; a key that "
                  + "returns starts a fresh model. Checked four times per timeout, so a key goes "
                  + "after between one and one and a quarter timeouts of silence. Unset: keys "
                  + "live forever.");
  public static final ConfigOption<IdleTime> MODEL_IDLE_TIME =
      key("koala.model.idle-timeout.time")
          .enumType(IdleTime.class)
          .defaultValue(IdleTime.PROCESSING)
          .withDescription(
              "The clock of koala.model.idle-timeout: processing (the wall clock of the task) or "
                  + "event (the watermark, generated from the events' time; events without one "
                  + "do not advance it).");

  public static final ConfigOption<SourceKind> SOURCE =
      key("koala.source")
          .enumType(SourceKind.class)
          .defaultValue(SourceKind.FILE)
          .withDescription("Where events come from.");
  public static final ConfigOption<String> BACKFILL_PATH =
      key("koala.source.backfill.path")
          .stringType()
          .noDefaultValue()
          .withDescription(
              "With koala.source = kafka: a .jsonl (.csv) file or folder of history that the job "
                  + "trains on first, then it continues from the Kafka topics (one HybridSource, "
                  + "read by one reader). Unset: Kafka only.");
  public static final ConfigOption<String> FILE_INPUT =
      key("koala.file.input")
          .stringType()
          .noDefaultValue()
          .withDescription("A .jsonl file (or folder of them) to replay.");
  public static final ConfigOption<String> OUTPUT_DIR =
      key("koala.output.dir")
          .stringType()
          .defaultValue("koala-output")
          .withDescription("Where the file sinks write models.jsonl, metrics.jsonl, ...");
  public static final ConfigOption<String> DEFAULT_KEY =
      key("koala.default-key")
          .stringType()
          .defaultValue("default")
          .withDescription("Model key of events that name none (empty: reject them).");

  public static final ConfigOption<String> KAFKA_BOOTSTRAP =
      key("koala.kafka.bootstrap-servers")
          .stringType()
          .noDefaultValue()
          .withDescription("Kafka brokers (host:port,...).");
  public static final ConfigOption<List<String>> KAFKA_INPUT_TOPICS =
      key("koala.kafka.input-topics")
          .stringType()
          .asList()
          .noDefaultValue()
          .withDescription("Topics of input events.");
  public static final ConfigOption<String> KAFKA_INPUT_PATTERN =
      key("koala.kafka.input-pattern")
          .stringType()
          .noDefaultValue()
          .withDescription("A regex of input topics, instead of names.");
  public static final ConfigOption<String> KAFKA_GROUP_ID =
      key("koala.kafka.group-id")
          .stringType()
          .defaultValue("koala")
          .withDescription("Consumer group of the source.");
  public static final ConfigOption<StartingOffsets> KAFKA_STARTING_OFFSETS =
      key("koala.kafka.starting-offsets")
          .enumType(StartingOffsets.class)
          .defaultValue(StartingOffsets.EARLIEST)
          .withDescription(
              "Where a source with no checkpoint starts (a restored job resumes from its "
                  + "checkpoint; committed falls back to earliest for a group with none).");
  public static final ConfigOption<Boolean> KAFKA_BOUNDED =
      key("koala.kafka.bounded")
          .booleanType()
          .defaultValue(false)
          .withDescription("Stop at the offsets that are latest when the job starts.");
  public static final ConfigOption<String> KAFKA_TOPIC_MODELS =
      key("koala.kafka.topic.models")
          .stringType()
          .defaultValue("koala-models")
          .withDescription("Model snapshots, keyed by model key: meant to be log-compacted.");
  public static final ConfigOption<String> KAFKA_TOPIC_METRICS =
      key("koala.kafka.topic.metrics")
          .stringType()
          .defaultValue("koala-metrics")
          .withDescription("Training metrics.");
  public static final ConfigOption<String> KAFKA_TOPIC_PREDICTIONS =
      key("koala.kafka.topic.predictions")
          .stringType()
          .defaultValue("koala-predictions")
          .withDescription("Answers to prediction requests.");
  public static final ConfigOption<String> KAFKA_TOPIC_DRIFT =
      key("koala.kafka.topic.drift")
          .stringType()
          .defaultValue("koala-drift")
          .withDescription("Drift events.");
  public static final ConfigOption<String> KAFKA_TOPIC_DEAD_LETTERS =
      key("koala.kafka.topic.dead-letters")
          .stringType()
          .defaultValue("koala-dead-letters")
          .withDescription("Dead letters: reason, source topic/partition/offset, payload.");
  public static final ConfigOption<Delivery> KAFKA_MODELS_DELIVERY =
      key("koala.kafka.models.delivery")
          .enumType(Delivery.class)
          .defaultValue(Delivery.EXACTLY_ONCE)
          .withDescription("Delivery of model snapshots (exactly-once uses Kafka transactions).");
  public static final ConfigOption<Delivery> KAFKA_OUTPUTS_DELIVERY =
      key("koala.kafka.outputs.delivery")
          .enumType(Delivery.class)
          .defaultValue(Delivery.EXACTLY_ONCE)
          .withDescription("Delivery of metrics, predictions, drift events and dead letters.");
  public static final ConfigOption<String> KAFKA_TRANSACTIONAL_ID_PREFIX =
      key("koala.kafka.transactional-id-prefix")
          .stringType()
          .defaultValue("koala")
          .withDescription("Prefix of the sinks' transactional ids: unique per job on a cluster.");

  /** Client settings pass through from keys under this prefix (SASL/SSL included). */
  public static final String KAFKA_PROPERTIES_PREFIX = "koala.kafka.properties.";

  public static final ConfigOption<Format> FORMAT =
      key("koala.format")
          .enumType(Format.class)
          .defaultValue(Format.JSON)
          .withDescription("Encoding of input records.");
  public static final ConfigOption<List<String>> CSV_COLUMNS =
      key("koala.csv.columns")
          .stringType()
          .asList()
          .noDefaultValue()
          .withDescription("The CSV header; files default to their first line, Kafka needs it.");
  public static final ConfigOption<String> CSV_LABEL_COLUMN =
      key("koala.csv.label-column")
          .stringType()
          .defaultValue("label")
          .withDescription("The label's column.");
  public static final ConfigOption<String> CSV_KEY_COLUMN =
      key("koala.csv.key-column")
          .stringType()
          .defaultValue("key")
          .withDescription(
              "The model key's column, if the header has it (else the record key or "
                  + "koala.default-key).");
  public static final ConfigOption<String> CSV_SPARSE_COLUMN =
      key("koala.csv.sparse-column")
          .stringType()
          .noDefaultValue()
          .withDescription(
              "The column of the example's sparse features, space-separated index:value (0-based) "
                  + "or name:value pairs; the header then has no other feature column.");
  public static final ConfigOption<String> CSV_DELIMITER =
      key("koala.csv.delimiter")
          .stringType()
          .defaultValue(",")
          .withDescription("One character between CSV fields.");

  public static final ConfigOption<Integer> MAX_RECORD_BYTES =
      key("koala.limits.max-record-bytes")
          .intType()
          .defaultValue(1 << 20)
          .withDescription("Largest accepted input record.");
  public static final ConfigOption<Integer> MAX_FEATURES =
      key("koala.limits.max-features")
          .intType()
          .defaultValue(10_000)
          .withDescription("Most named features in one example.");
  public static final ConfigOption<Integer> MAX_BATCH =
      key("koala.limits.max-batch")
          .intType()
          .defaultValue(10_000)
          .withDescription("Most examples in one pre-batched message.");
  public static final ConfigOption<Integer> MAX_KEY_BYTES =
      key("koala.limits.max-key-bytes")
          .intType()
          .defaultValue(DecoderLimits.DEFAULT_MAX_KEY_BYTES)
          .withDescription(
              "Longest accepted model key, in UTF-8 bytes: every key becomes a model in state, so "
                  + "a longer one is dead-lettered as KEY_TOO_LONG.");
}
