package io.koala.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.koala.connectors.DeadLetter;
import io.koala.connectors.JsonOutputReader;
import io.koala.connectors.ModelSnapshot;
import io.koala.connectors.TrainingEvent;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Kafka in, Kafka out, against a real KRaft broker: every output topic, read_committed. */
class KafkaPipelineITCase {

  @RegisterExtension static final MiniClusterExtension CLUSTER = KafkaBroker.miniCluster();

  @RegisterExtension static final KafkaBroker BROKER = new KafkaBroker();

  static void runJob(KafkaTopics topics, String... extra) throws Exception {
    Configuration conf = new Configuration();
    conf.setString("pipeline.generic-types", "false");
    conf.setString("execution.checkpointing.interval", "100 ms");
    conf.setString("restart-strategy.type", "none");
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
    env.setParallelism(2);
    List<String> settings = new ArrayList<>(List.of(topics.settings()));
    settings.addAll(List.of(extra));
    KoalaJob.buildKafkaJob(env, Fixtures.config("koala-v", settings.toArray(String[]::new)));
    // (Fixtures.config starts from logistic regression on 3 features; extra settings override.)
    env.execute("kafka-" + topics.input);
  }

  static List<String[]> keyed(List<String> jsonLines, List<TrainingEvent> events) {
    List<String[]> records = new ArrayList<>();
    for (int i = 0; i < jsonLines.size(); i++) {
      records.add(new String[] {events.get(i).key(), jsonLines.get(i)});
    }
    return records;
  }

  static Map<String, double[]> finalModels(List<ConsumerRecord<String, String>> records) {
    List<ModelSnapshot> snapshots = new ArrayList<>();
    for (var r : records) {
      ModelSnapshot s = JsonOutputReader.snapshot(r.value());
      // The record key is the model key: keep it the one that counts, as before.
      snapshots.add(
          new ModelSnapshot(
              r.key(),
              s.version(),
              s.examples(),
              s.optimizer(),
              s.modelType(),
              s.params(),
              s.covariance(),
              s.measurementNoise(),
              s.processNoise(),
              s.ts()));
    }
    return TestLines.finalModels(snapshots);
  }

  @Test
  void multiKeyStream_everyOutputOnce_predictionsAnswered_badRecordsDeadLettered()
      throws Exception {
    List<TrainingEvent> events = Fixtures.stream(51, 6, 64);
    List<String[]> records = keyed(TestLines.json(events), events);
    records.add(5, new String[] {"key-1", "{\"key\":\"key-1\",\"features\":[1,2],\"label\":1}"});
    records.add(50, new String[] {"key-2", "{\"features\":[1,2,3],\"label\":\"yes\"}"});
    records.add(90, new String[] {null, "\u0000not json"});
    for (int i = 0; i < 4; i++) {
      records.add(
          new String[] {"key-" + i, "{\"features\":[0.1,0.2,0.3],\"id\":\"ask-" + i + "\"}"});
    }
    KafkaTopics topics = new KafkaTopics(BROKER.kafka());
    List<String> origins = topics.produce(records);
    runJob(topics, "koala.batch.size", "8", "koala.snapshot.every-batches", "3");

    var models = topics.readCommitted(topics.models);
    var metrics = topics.readCommitted(topics.metrics);
    var predictions = topics.readCommitted(topics.predictions);
    var dead = topics.readCommitted(topics.deadLetters);

    assertThat(metrics).hasSize(6 * 64 / 8);
    Map<String, Integer> perVersion = new HashMap<>();
    for (var r : models) {
      perVersion.merge(
          r.key() + "@" + JsonOutputReader.snapshot(r.value()).version(), 1, Integer::sum);
    }
    assertThat(perVersion.values()).as("each snapshot once per (key, version)").containsOnly(1);
    // Versions 3 and 6 periodically, 8 at the end of the bounded input: 3 per key.
    assertThat(perVersion).hasSize(6 * 3);
    assertThat(models).allSatisfy(r -> assertThat(r.key()).startsWith("key-"));
    assertThat(predictions)
        .hasSize(4)
        .extracting(r -> JsonOutputReader.prediction(r.value()).id())
        .containsExactlyInAnyOrder("ask-0", "ask-1", "ask-2", "ask-3");
    assertThat(dead).hasSize(3);
    Map<String, String> reasonBySource = new HashMap<>();
    for (var r : dead) {
      DeadLetter d = JsonOutputReader.deadLetter(r.value());
      reasonBySource.put(d.source(), d.reason());
    }
    assertThat(reasonBySource)
        .containsEntry(origins.get(5), "WRONG_DIMENSION")
        .containsEntry(origins.get(50), "INVALID_LABEL")
        .containsEntry(origins.get(90), "MALFORMED_JSON");

    // The same good records without the bad ones train the same models.
    KafkaTopics clean = new KafkaTopics(BROKER.kafka());
    clean.produce(keyed(TestLines.json(events), events));
    runJob(clean, "koala.batch.size", "8", "koala.snapshot.every-batches", "3");
    Map<String, double[]> expected = finalModels(clean.readCommitted(clean.models));
    Map<String, double[]> actual = finalModels(models);
    assertThat(actual.keySet()).isEqualTo(expected.keySet()).hasSize(6);
    for (String key : expected.keySet()) {
      assertThat(actual.get(key)).as(key).containsExactly(expected.get(key));
    }
  }
}
