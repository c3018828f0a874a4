package io.koala.benchmarks;

import io.koala.connectors.kafka.EmbeddedKafka;
import io.koala.connectors.kafka.KafkaConnectors;
import io.koala.connectors.kafka.KafkaSettings;
import io.koala.job.JobConfig;
import io.koala.job.KoalaJob;
import io.koala.job.KoalaPipeline;
import io.koala.job.TrainerSpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.SplittableRandom;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Kafka → training job → Kafka beside Kafka → no-op job → Kafka, on a real embedded broker: JSON
 * events, d = 100, 1,000 keys, 2 partitions, parallelism 2, exactly-once sinks, checkpoints every
 * second. The input is produced once; each run reads it all (bounded) and writes fresh output
 * topics.
 *
 * <pre>benchmarks/kafka-throughput [rounds]</pre>
 */
public final class KafkaThroughput {

  private KafkaThroughput() {}

  static final int FEATURES = 100;
  static final int KEYS = 1_000;
  static final int EVENTS = KEYS * 32 * 32;

  public static void main(String[] args) throws Exception {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 3;
    try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
      kafka.createTopics(Map.of("bench-events", 2));
      produce(kafka);
      String[] variants = {"no-op", "koala-v"};
      Map<String, List<Double>> rates = new LinkedHashMap<>();
      Map<String, List<Double>> ratios = new LinkedHashMap<>();
      run(kafka, "warmup", "koala-v");
      int runNumber = 0;
      for (int round = 0; round < rounds; round++) {
        Map<String, Double> measured = new LinkedHashMap<>();
        for (int v = 0; v < variants.length; v++) {
          String variant = variants[(v + round) % variants.length];
          measured.put(variant, run(kafka, "r" + runNumber++, variant));
        }
        for (String variant : variants) {
          rates.computeIfAbsent(variant, x -> new ArrayList<>()).add(measured.get(variant));
          ratios
              .computeIfAbsent(variant, x -> new ArrayList<>())
              .add(measured.get(variant) / measured.get("no-op"));
        }
      }
      System.out.println(
          "| pipeline | events/s (median of "
              + rounds
              + ") | × no-op (median of per-round ratios) | per-round ratios |");
      System.out.println("|---|---:|---:|---|");
      for (String variant : variants) {
        System.out.printf(
            "| Kafka → %s → Kafka | %,.0f | %.2f | %s |%n",
            variant.equals("no-op") ? "no-op job" : "KOALA-V job",
            ThroughputHarness.median(rates.get(variant)),
            ThroughputHarness.median(ratios.get(variant)),
            ratios.get(variant).stream()
                .map(r -> String.format("%.2f", r))
                .reduce((a, b) -> a + " " + b)
                .orElse(""));
      }
    }
  }

  private static void produce(EmbeddedKafka kafka) throws Exception {
    Properties p = kafka.clientProperties();
    p.put("linger.ms", "5");
    p.put("batch.size", "262144");
    // One request in flight, and every send checked: a refused batch (seen on loaded machines as
    // OutOfOrderSequenceException) would otherwise drop events silently and the job would measure
    // a shorter stream.
    p.put("max.in.flight.requests.per.connection", "1");
    var refused = new java.util.concurrent.atomic.AtomicReference<Exception>();
    SplittableRandom random = new SplittableRandom(3);
    try (var producer = new KafkaProducer<>(p, new StringSerializer(), new StringSerializer())) {
      StringBuilder json = new StringBuilder(2_000);
      for (int i = 0; i < EVENTS; i++) {
        String key = "k" + (i % KEYS);
        json.setLength(0);
        json.append("{\"key\":\"").append(key).append("\",\"features\":[");
        double sum = 0;
        for (int j = 0; j < FEATURES; j++) {
          double x = Math.round(random.nextDouble(-1, 1) * 1e4) / 1e4;
          sum += j < 2 ? x : 0;
          json.append(j == 0 ? "" : ",").append(x);
        }
        json.append("],\"label\":")
            .append(sum > 0 ? 1 : 0)
            .append(",\"ts\":")
            .append(i)
            .append('}');
        producer.send(
            new ProducerRecord<>("bench-events", key, json.toString()),
            (metadata, e) -> {
              if (e != null) {
                refused.compareAndSet(null, e);
              }
            });
        if (refused.get() != null) {
          break;
        }
      }
      producer.flush();
    }
    if (refused.get() != null) {
      throw new IllegalStateException("the broker refused an input record", refused.get());
    }
  }

  /** Events per second of one bounded run. */
  private static double run(EmbeddedKafka kafka, String name, String variant) throws Exception {
    String[] outputs = {"models", "metrics", "predictions", "drift", "dead"};
    Map<String, Integer> topics = new LinkedHashMap<>();
    for (String o : outputs) {
      topics.put(o + "-" + name, 1);
    }
    kafka.createTopics(topics);
    Configuration conf = new Configuration();
    conf.setString("koala.model.type", "logistic");
    conf.setString("koala.model.features", Integer.toString(FEATURES));
    conf.setString("koala.optimizer", "koala-v");
    if (variant.equals("no-op")) {
      // The no-op step stands in for one KOALA-V filter: the auto preset's race is not one.
      conf.setString("koala.optimizer.defaults", "stream");
    }
    conf.setString("koala.batch.size", "32");
    conf.setString("koala.snapshot.every-batches", "5");
    conf.setString("koala.source", "kafka");
    conf.setString("koala.kafka.bootstrap-servers", kafka.bootstrapServers());
    conf.setString("koala.kafka.input-topics", "bench-events");
    conf.setString("koala.kafka.group-id", "bench-" + name);
    conf.setString("koala.kafka.bounded", "true");
    conf.setString("koala.kafka.topic.models", "models-" + name);
    conf.setString("koala.kafka.topic.metrics", "metrics-" + name);
    conf.setString("koala.kafka.topic.predictions", "predictions-" + name);
    conf.setString("koala.kafka.topic.drift", "drift-" + name);
    conf.setString("koala.kafka.topic.dead-letters", "dead-" + name);
    conf.setString("koala.kafka.transactional-id-prefix", "bench-" + name);
    JobConfig config = JobConfig.of(conf);

    Configuration flink = new Configuration();
    flink.setString("execution.checkpointing.interval", "1 s");
    // 1,000 keys' models and open batches outgrow the JobManager's 5 MB in-memory storage.
    flink.setString(
        "execution.checkpointing.dir",
        java.nio.file.Files.createTempDirectory("koala-bench-checkpoints").toUri().toString());
    flink.setString("pipeline.generic-types", "false");
    flink.setString("pipeline.object-reuse", "true");
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(flink);
    env.setParallelism(2);
    KafkaSettings settings = KoalaJob.kafkaSettings(config);
    var decoded =
        env.fromSource(
            KafkaConnectors.source(settings, config.decoder(null)),
            WatermarkStrategy.noWatermarks(),
            "kafka");
    KoalaPipeline.build(
            decoded,
            config,
            variant.equals("no-op") ? new ThroughputFork.NoOpTrainers() : TrainerSpec::trainer)
        .sinkTo(KoalaJob.kafkaSinks(config, settings));
    JobExecutionResult result = env.execute("kafka-" + name);
    return EVENTS / (result.getNetRuntime() / 1000.0);
  }
}
