package io.koala.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.koala.connectors.JsonOutputReader;
import io.koala.connectors.ModelSnapshot;
import io.koala.connectors.TrainingEvent;
import io.koala.connectors.kafka.KafkaConnectors;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code koala.source.backfill.path}: one job trains on a history file, then goes on from Kafka
 * (HybridSource), and its models are bit-identical to one job over the concatenated input, with
 * each snapshot once, also when it fails and restores on both sides of the switch.
 */
class BackfillThenKafkaITCase {

  @RegisterExtension static final MiniClusterExtension CLUSTER = KafkaBroker.miniCluster();

  @RegisterExtension static final KafkaBroker BROKER = new KafkaBroker();

  private static final String[] TRAINING = {
    "koala.batch.size", "8", "koala.snapshot.every-batches", "3"
  };

  private static Configuration flink(boolean restarts) {
    Configuration conf = new Configuration();
    conf.setString("pipeline.generic-types", "false");
    conf.setString("execution.checkpointing.interval", "100 ms");
    conf.setString("restart-strategy.type", restarts ? "fixed-delay" : "none");
    conf.setString("restart-strategy.fixed-delay.attempts", "10");
    conf.setString("restart-strategy.fixed-delay.delay", "50 ms");
    return conf;
  }

  /** Every (key, version) snapshot with the examples it covers, counting repeats. */
  private static Map<String, List<Long>> versions(List<ModelSnapshot> snapshots) {
    Map<String, List<Long>> out = new HashMap<>();
    for (ModelSnapshot s : snapshots) {
      out.computeIfAbsent(s.key() + "@" + s.version(), k -> new ArrayList<>()).add(s.examples());
    }
    return out;
  }

  private static List<ModelSnapshot> snapshots(KafkaTopics topics) {
    List<ModelSnapshot> out = new ArrayList<>();
    for (var r : topics.readCommitted(topics.models)) {
      ModelSnapshot s = JsonOutputReader.snapshot(r.value());
      assertThat(s.key()).isEqualTo(r.key());
      out.add(s);
    }
    return out;
  }

  @Test
  void historyThenKafka_trainsTheModelsOfTheConcatenatedInput_acrossFailures(@TempDir Path dir)
      throws Exception {
    List<TrainingEvent> events = Fixtures.stream(91, 6, 124);
    List<String> lines = TestLines.json(events);
    int cut = 6 * 47 + 3; // mid-batch for every key, and mid-round across keys
    Path history = TestLines.write(dir.resolve("history.jsonl"), lines.subList(0, cut));
    Path all = TestLines.write(dir.resolve("all.jsonl"), lines);
    List<String[]> live =
        KafkaPipelineITCase.keyed(
            lines.subList(cut, lines.size()), events.subList(cut, events.size()));

    // The reference: one file job over the concatenated input.
    Path out = dir.resolve("reference");
    StreamExecutionEnvironment reference = StreamExecutionEnvironment.getExecutionEnvironment();
    reference.setParallelism(2);
    List<String> settings =
        new ArrayList<>(
            List.of("koala.file.input", all.toString(), "koala.output.dir", out.toString()));
    settings.addAll(List.of(TRAINING));
    KoalaJob.buildFileJob(reference, Fixtures.config("koala-v", settings.toArray(String[]::new)));
    reference.execute("backfill-reference");
    List<ModelSnapshot> expected =
        JsonOutputReader.readAll(out.resolve("models.jsonl"), JsonOutputReader::snapshot);

    // History from the file, then the rest from Kafka, with failures on both sides of the switch.
    KafkaTopics topics = new KafkaTopics(BROKER.kafka());
    List<String> origins = topics.produce(live);
    KafkaRecoveryITCase.FailAtOrigin.SCHEDULE.clear();
    KafkaRecoveryITCase.FailAtOrigin.FAILED.clear();
    KafkaRecoveryITCase.FailAtOrigin.SCHEDULE.addAll(
        List.of("history.jsonl:" + (cut - 40), origins.get(60)));
    StreamExecutionEnvironment env =
        StreamExecutionEnvironment.getExecutionEnvironment(flink(true));
    env.setParallelism(2);
    List<String> hybrid = new ArrayList<>(List.of(topics.settings()));
    hybrid.addAll(List.of("koala.source.backfill.path", history.toString()));
    hybrid.addAll(List.of(TRAINING));
    JobConfig config = Fixtures.config("koala-v", hybrid.toArray(String[]::new));
    var settingsOfKafka = KoalaJob.kafkaSettings(config);
    var decoded =
        KoalaJob.backfillThenKafka(
                env, config, KafkaConnectors.source(settingsOfKafka, config.decoder(null)))
            .map(new KafkaRecoveryITCase.FailAtOrigin())
            .uid("fail")
            .setParallelism(1);
    KoalaPipeline.build(decoded, config).sinkTo(KoalaJob.kafkaSinks(config, settingsOfKafka));
    env.execute("backfill-then-kafka-" + topics.input);
    assertThat(KafkaRecoveryITCase.FailAtOrigin.FAILED).as("failures injected").hasSize(2);

    List<ModelSnapshot> actual = snapshots(topics);
    Map<String, List<Long>> actualVersions = versions(actual);
    assertThat(actualVersions.values())
        .as("each (key, version) once")
        .allSatisfy(v -> assertThat(v).hasSize(1));
    assertThat(actualVersions).isEqualTo(versions(expected)).hasSize(6 * 6);
    Map<String, double[]> want = TestLines.finalModels(expected);
    Map<String, double[]> got = TestLines.finalModels(actual);
    assertThat(got.keySet()).isEqualTo(want.keySet()).hasSize(6);
    for (String key : want.keySet()) {
      assertThat(got.get(key)).as(key).containsExactly(want.get(key));
    }
    assertThat(topics.readCommitted(topics.metrics)).hasSize(6 * 16);
  }

  @Test
  void theCommandLineJob_readsTheHistoryThenKafka(@TempDir Path dir) throws Exception {
    List<TrainingEvent> events = Fixtures.stream(92, 2, 42);
    List<String> lines = TestLines.json(events);
    Path history = TestLines.write(dir.resolve("history.jsonl"), lines.subList(0, 33));
    KafkaTopics topics = new KafkaTopics(BROKER.kafka());
    topics.produce(KafkaPipelineITCase.keyed(lines.subList(33, 84), events.subList(33, 84)));
    StreamExecutionEnvironment env =
        StreamExecutionEnvironment.getExecutionEnvironment(flink(false));
    env.setParallelism(2);
    List<String> settings = new ArrayList<>(List.of(topics.settings()));
    settings.addAll(List.of("koala.source.backfill.path", history.toString()));
    KoalaJob.buildKafkaJob(env, Fixtures.config("koala-v", settings.toArray(String[]::new)));
    // One reader, and routing and event time chained to it: each key's history and live events
    // reach its trainer through one channel (the trainers keep the job's parallelism).
    Map<String, Integer> parallelism = new HashMap<>();
    for (var node : env.getStreamGraph(false).getStreamNodes()) {
      if (node.getTransformationUID() != null) {
        parallelism.put(node.getTransformationUID(), node.getParallelism());
      }
    }
    assertThat(parallelism)
        .containsEntry("koala-backfill-source", 1)
        .containsEntry(KoalaPipeline.UID_DECODE, 1)
        .containsEntry(KoalaPipeline.UID_WATERMARKS, 1)
        .containsEntry(KoalaPipeline.UID_TRAIN, 2);
    env.execute("backfill-cli-" + topics.input);
    // 42 examples per key in batches of 4: 11 batches, snapshots at 2, 4, ..., 10 and 11.
    List<ModelSnapshot> models = snapshots(topics);
    assertThat(versions(models)).hasSize(2 * 6);
    assertThat(TestLines.finalModels(models)).hasSize(2);
    assertThat(models.stream().filter(m -> m.version() == 11))
        .hasSize(2)
        .allSatisfy(m -> assertThat(m.examples()).isEqualTo(42));
  }

  @Test
  void backfillWithoutKafka_isRejected_namingTheKey(@TempDir Path dir) throws Exception {
    Path history =
        TestLines.write(dir.resolve("h.jsonl"), TestLines.json(Fixtures.stream(1, 1, 2)));
    assertThatThrownBy(
            () -> Fixtures.config("koala-v", "koala.source.backfill.path", history.toString()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("koala.source.backfill.path")
        .hasMessageContaining("koala.source = kafka");
    assertThatThrownBy(
            () ->
                Fixtures.config(
                    "koala-v",
                    "koala.source",
                    "kafka",
                    "koala.kafka.bootstrap-servers",
                    "127.0.0.1:9",
                    "koala.kafka.input-topics",
                    "t",
                    "koala.source.backfill.path",
                    dir.resolve("missing.jsonl").toString()))
        .hasMessageContaining("koala.source.backfill.path");
  }
}
