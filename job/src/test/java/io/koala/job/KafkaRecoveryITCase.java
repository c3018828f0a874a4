package io.koala.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.koala.connectors.Decoded;
import io.koala.connectors.JsonEventDecoder;
import io.koala.connectors.JsonOutputReader;
import io.koala.connectors.TrainingEvent;
import io.koala.connectors.kafka.KafkaConnectors;
import io.koala.connectors.kafka.KafkaSettings;
import io.koala.testing.TestSeed;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Failures injected mid-stream of a Kafka run: the final models are bit-identical to a failure-free
 * run, and a read_committed consumer sees each snapshot exactly once.
 */
@ExtendWith(TestSeed.Printer.class)
class KafkaRecoveryITCase {

  @RegisterExtension static final MiniClusterExtension CLUSTER = KafkaBroker.miniCluster();

  @RegisterExtension static final KafkaBroker BROKER = new KafkaBroker();

  /** Fails the first time it meets each scheduled origin (state outlives tasks: same JVM). */
  static final class FailAtOrigin implements MapFunction<Decoded, Decoded> {
    private static final long serialVersionUID = 1L;
    static final Set<String> SCHEDULE = ConcurrentHashMap.newKeySet();
    static final Set<String> FAILED = ConcurrentHashMap.newKeySet();

    @Override
    public Decoded map(Decoded value) {
      if (SCHEDULE.contains(value.origin()) && FAILED.add(value.origin())) {
        throw new IllegalStateException("injected failure at " + value.origin());
      }
      return value;
    }
  }

  private static void run(KafkaTopics topics, boolean restarts) throws Exception {
    Configuration conf = new Configuration();
    conf.setString("pipeline.generic-types", "false");
    conf.setString("execution.checkpointing.interval", "100 ms");
    conf.setString("restart-strategy.type", restarts ? "fixed-delay" : "none");
    conf.setString("restart-strategy.fixed-delay.attempts", "10");
    conf.setString("restart-strategy.fixed-delay.delay", "50 ms");
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
    env.setParallelism(2);
    JobConfig config = Fixtures.config("koala-pp", topics.settings());
    KafkaSettings settings = KoalaJob.kafkaSettings(config);
    var decoded =
        env.fromSource(
                KafkaConnectors.source(settings, new JsonEventDecoder(config.decoderLimits())),
                WatermarkStrategy.noWatermarks(),
                "kafka")
            .uid("kafka-source")
            .map(new FailAtOrigin())
            .uid("fail");
    KoalaPipeline.build(decoded, config).sinkTo(KoalaJob.kafkaSinks(config, settings));
    env.execute("kafka-recovery-" + topics.input);
  }

  @Test
  void threeFailuresMidStream_giveBitIdenticalModels_andNoDuplicateSnapshot() throws Exception {
    List<TrainingEvent> events = Fixtures.stream(71, 6, 200);
    List<String[]> records = KafkaPipelineITCase.keyed(TestLines.json(events), events);

    FailAtOrigin.SCHEDULE.clear();
    FailAtOrigin.FAILED.clear();
    KafkaTopics clean = new KafkaTopics(BROKER.kafka());
    clean.produce(records);
    run(clean, false);

    KafkaTopics failing = new KafkaTopics(BROKER.kafka());
    List<String> origins = failing.produce(records);
    long seed = TestSeed.next();
    Random random = new Random(seed);
    while (FailAtOrigin.SCHEDULE.size() < 3) {
      FailAtOrigin.SCHEDULE.add(origins.get(100 + random.nextInt(origins.size() - 200)));
    }
    run(failing, true);
    assertThat(FailAtOrigin.FAILED).as("failures injected (seed %d)", seed).hasSize(3);

    var models = failing.readCommitted(failing.models);
    Map<String, Integer> perVersion = new HashMap<>();
    for (var r : models) {
      perVersion.merge(
          r.key() + "@" + JsonOutputReader.snapshot(r.value()).version(), 1, Integer::sum);
    }
    assertThat(perVersion.values())
        .as("snapshots visible once (failures at %s)", FailAtOrigin.SCHEDULE)
        .containsOnly(1);
    Map<String, double[]> expected =
        KafkaPipelineITCase.finalModels(clean.readCommitted(clean.models));
    Map<String, double[]> actual = KafkaPipelineITCase.finalModels(models);
    assertThat(actual.keySet()).isEqualTo(expected.keySet()).hasSize(6);
    for (String key : expected.keySet()) {
      assertThat(actual.get(key))
          .as("%s (failures at %s)", key, FailAtOrigin.SCHEDULE)
          .containsExactly(expected.get(key));
    }
    List<String> cleanMetrics = new ArrayList<>();
    clean.readCommitted(clean.metrics).forEach(r -> cleanMetrics.add(r.value()));
    List<String> failingMetrics = new ArrayList<>();
    failing.readCommitted(failing.metrics).forEach(r -> failingMetrics.add(r.value()));
    assertThat(failingMetrics).containsExactlyInAnyOrderElementsOf(cleanMetrics);
  }
}
