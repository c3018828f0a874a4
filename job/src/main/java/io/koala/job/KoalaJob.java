package io.koala.job;

import io.koala.connectors.Decoded;
import io.koala.connectors.RecordDecoder;
import io.koala.connectors.file.JsonLinesFileSink;
import io.koala.connectors.file.JsonLinesFiles;
import io.koala.connectors.file.LineFileSource;
import io.koala.connectors.file.LineReader;
import io.koala.connectors.kafka.KafkaConnectors;
import io.koala.connectors.kafka.KafkaSettings;
import java.nio.file.Path;
import java.util.List;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.source.lib.NumberSequenceSource;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.base.source.hybrid.HybridSource;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The training job: the pipeline of {@link KoalaPipeline} between the configured source and sinks.
 * The command line is {@code io.koala.job.cli.KoalaCommand}.
 */
public final class KoalaJob {

  private KoalaJob() {}

  /** Adds the file-to-files job to {@code env}: backfill from history. */
  public static void buildFileJob(StreamExecutionEnvironment env, JobConfig config) {
    KoalaPipeline.build(fileSource(env, config), config).sinkTo(fileSinks(config));
  }

  /**
   * The lines of {@code koala.file.input}, decoded, in file order (one reader, so every key sees
   * its events in file order, and a restored job resumes at the exact line).
   */
  public static DataStream<Decoded> fileSource(StreamExecutionEnvironment env, JobConfig config) {
    List<Path> files = config.inputFiles();
    long lines = JsonLinesFiles.countLines(files);
    RecordDecoder decoder =
        config.decoder(
            config.csv()
                ? JsonLinesFiles.csvHeader(files, config.get(KoalaOptions.CSV_DELIMITER).charAt(0))
                : null);
    return env.fromSource(
            new NumberSequenceSource(0, lines - 1),
            WatermarkStrategy.noWatermarks(),
            "koala-file-lines")
        .uid("koala-file-source")
        .setParallelism(1)
        .flatMap(new LineReader(files, decoder, config.csv()))
        .returns(TypeInformation.of(Decoded.class))
        .uid("koala-file-decode")
        .name("read and decode lines")
        .setParallelism(1);
  }

  /**
   * Adds the Kafka-to-Kafka job to {@code env}; offsets live in Flink's checkpoints. With {@code
   * koala.source.backfill.path} the source is a {@link HybridSource}: the history files, then the
   * Kafka topics.
   */
  public static void buildKafkaJob(StreamExecutionEnvironment env, JobConfig config) {
    KafkaSettings settings = kafkaSettings(config);
    RecordDecoder decoder = config.decoder(null);
    KafkaSource<Decoded> kafka = KafkaConnectors.source(settings, decoder);
    DataStream<Decoded> decoded =
        config.backfillFiles().isEmpty()
            ? env.fromSource(kafka, WatermarkStrategy.noWatermarks(), "koala-kafka-events")
                .uid("koala-kafka-source")
            : backfillThenKafka(env, config, kafka);
    KoalaPipeline.build(decoded, config).sinkTo(kafkaSinks(config, settings));
  }

  /**
   * The history files, then Kafka, as one source with one reader: HybridSource starts the Kafka
   * source only once every history line has been read, and the single reader sends each key's
   * history and then its live events through one channel, so the trainer sees them in that order
   * (no gap, no duplicate, the models of one job over the concatenated input). A checkpoint holds
   * which of the two is being read and its position (the line, or the Kafka offsets).
   */
  static DataStream<Decoded> backfillThenKafka(
      StreamExecutionEnvironment env, JobConfig config, KafkaSource<Decoded> kafka) {
    List<Path> files = config.backfillFiles();
    RecordDecoder decoder =
        config.decoder(
            config.csv()
                ? JsonLinesFiles.csvHeader(files, config.get(KoalaOptions.CSV_DELIMITER).charAt(0))
                : null);
    HybridSource<Decoded> source =
        HybridSource.builder(new LineFileSource(files, decoder, config.csv()))
            .addSource(kafka)
            .build();
    return env.fromSource(
            source,
            WatermarkStrategy.noWatermarks(),
            "koala-backfill-then-kafka",
            TypeInformation.of(Decoded.class))
        .uid("koala-backfill-source")
        .setParallelism(1);
  }

  /** The Kafka settings of {@code koala.kafka.*}, client properties included. */
  public static KafkaSettings kafkaSettings(JobConfig config) {
    return config.kafkaSettings();
  }

  public static KoalaPipeline.Sinks kafkaSinks(JobConfig config, KafkaSettings settings) {
    DeliveryGuarantee models = config.delivery(KoalaOptions.KAFKA_MODELS_DELIVERY);
    DeliveryGuarantee others = config.delivery(KoalaOptions.KAFKA_OUTPUTS_DELIVERY);
    String prefix = config.get(KoalaOptions.KAFKA_TRANSACTIONAL_ID_PREFIX);
    return new KoalaPipeline.Sinks(
        KafkaConnectors.sink(
            settings, config.get(KoalaOptions.KAFKA_TOPIC_MODELS), models, prefix + "-models"),
        KafkaConnectors.sink(
            settings, config.get(KoalaOptions.KAFKA_TOPIC_METRICS), others, prefix + "-metrics"),
        KafkaConnectors.sink(
            settings,
            config.get(KoalaOptions.KAFKA_TOPIC_PREDICTIONS),
            others,
            prefix + "-predictions"),
        KafkaConnectors.sink(
            settings, config.get(KoalaOptions.KAFKA_TOPIC_DRIFT), others, prefix + "-drift"),
        KafkaConnectors.sink(
            settings,
            config.get(KoalaOptions.KAFKA_TOPIC_DEAD_LETTERS),
            others,
            prefix + "-dead-letters"),
        false);
  }

  /** models.jsonl, metrics.jsonl, predictions.jsonl, drift.jsonl, dead-letters.jsonl. */
  public static KoalaPipeline.Sinks fileSinks(JobConfig config) {
    Path dir = Path.of(config.get(KoalaOptions.OUTPUT_DIR)).toAbsolutePath();
    return new KoalaPipeline.Sinks(
        new JsonLinesFileSink(dir.resolve("models.jsonl")),
        new JsonLinesFileSink(dir.resolve("metrics.jsonl")),
        new JsonLinesFileSink(dir.resolve("predictions.jsonl")),
        new JsonLinesFileSink(dir.resolve("drift.jsonl")),
        new JsonLinesFileSink(dir.resolve("dead-letters.jsonl")),
        true);
  }
}
