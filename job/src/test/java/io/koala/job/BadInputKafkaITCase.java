package io.koala.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.koala.connectors.BadInputCorpus;
import io.koala.connectors.DeadLetter;
import io.koala.connectors.JsonOutputReader;
import io.koala.connectors.TrainingEvent;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The bad-input corpus interleaved with good records on a real broker: every bad record reaches the
 * dead-letter topic with its reason and source offset, the job never restarts (restarts are off, so
 * any failure fails the test), and the models equal those trained on the good records.
 */
class BadInputKafkaITCase {

  @RegisterExtension static final MiniClusterExtension CLUSTER = KafkaBroker.miniCluster();

  @RegisterExtension static final KafkaBroker BROKER = new KafkaBroker();

  /** The corpus profile: softmax over red/green/blue, no default key, small limits. */
  private static final String[] PROFILE = {
    "koala.model.type",
    "softmax",
    "koala.model.classes",
    "3",
    "koala.model.class-names",
    "red;green;blue",
    "koala.default-key",
    "",
    "koala.limits.max-record-bytes",
    "4096",
    "koala.limits.max-features",
    "8",
    "koala.limits.max-batch",
    "4",
    "koala.limits.max-key-bytes",
    "256",
    "koala.batch.size",
    "8"
  };

  private static String[] with(KafkaTopics topics) {
    List<String> all = new ArrayList<>(List.of(PROFILE));
    all.addAll(List.of(topics.settings()));
    return all.toArray(String[]::new);
  }

  /** Produces byte records in order; returns the origin of each. */
  private static List<String> produce(KafkaTopics topics, List<byte[][]> records) throws Exception {
    Properties p = BROKER.kafka().clientProperties();
    p.put("enable.idempotence", "true");
    List<String> origins = new ArrayList<>();
    try (var producer =
        new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer())) {
      for (byte[][] r : records) {
        var m = producer.send(new ProducerRecord<>(topics.input, r[0], r[1])).get();
        origins.add(m.topic() + "/" + m.partition() + "/" + m.offset());
      }
    }
    return origins;
  }

  @Test
  void corpusInterleavedWithGoodRecords_deadLettersEachOnce_andModelsMatchTheGoodOnly()
      throws Exception {
    List<TrainingEvent> events = Fixtures.stream(61, 4, 40);
    List<String> good = TestLines.json(events);
    List<BadInputCorpus.Entry> corpus = BadInputCorpus.entries();
    List<byte[][]> records = new ArrayList<>();
    Map<Integer, BadInputCorpus.Entry> badAt = new HashMap<>();
    int next = 0;
    for (int i = 0; i < good.size(); i++) {
      if (i % 3 == 1 && next < corpus.size()) {
        badAt.put(records.size(), corpus.get(next));
        records.add(new byte[][] {null, corpus.get(next++).payload()});
      }
      records.add(new byte[][] {events.get(i).key().getBytes(), good.get(i).getBytes()});
    }
    assertThat(next).as("every corpus file interleaved").isEqualTo(corpus.size());

    KafkaTopics mixed = new KafkaTopics(BROKER.kafka());
    List<String> origins = produce(mixed, records);
    KafkaPipelineITCase.runJob(mixed, with(mixed));

    Map<String, String> reasonBySource = new HashMap<>();
    for (var r : mixed.readCommitted(mixed.deadLetters)) {
      DeadLetter dead = JsonOutputReader.deadLetter(r.value());
      String source = dead.source();
      assertThat(reasonBySource).as("dead letter of %s once", source).doesNotContainKey(source);
      reasonBySource.put(source, dead.reason());
    }
    assertThat(reasonBySource).hasSize(corpus.size());
    badAt.forEach(
        (index, entry) ->
            assertThat(reasonBySource.get(origins.get(index)))
                .as(entry.file())
                .isEqualTo(entry.reason()));

    KafkaTopics clean = new KafkaTopics(BROKER.kafka());
    clean.produce(KafkaPipelineITCase.keyed(good, events));
    KafkaPipelineITCase.runJob(clean, with(clean));
    Map<String, double[]> expected =
        KafkaPipelineITCase.finalModels(clean.readCommitted(clean.models));
    Map<String, double[]> actual =
        KafkaPipelineITCase.finalModels(mixed.readCommitted(mixed.models));
    assertThat(expected).hasSize(4);
    for (String key : expected.keySet()) {
      assertThat(actual.get(key)).as(key).containsExactly(expected.get(key));
    }
  }
}
