package io.koala.job;

import io.koala.connectors.kafka.EmbeddedKafka;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/** Topics of one test on the embedded broker, with Kafka's own producer and consumer. */
final class KafkaTopics {

  /** The broker the topics live on: in this JVM ({@link EmbeddedKafka}) or in its own. */
  interface Broker {
    String bootstrapServers();

    Properties clientProperties();

    void createTopics(Map<String, Integer> partitions) throws Exception;
  }

  final Broker kafka;
  final String input;
  final String models;
  final String metrics;
  final String predictions;
  final String drift;
  final String deadLetters;

  KafkaTopics(EmbeddedKafka kafka) throws Exception {
    this(
        new Broker() {
          @Override
          public String bootstrapServers() {
            return kafka.bootstrapServers();
          }

          @Override
          public Properties clientProperties() {
            return kafka.clientProperties();
          }

          @Override
          public void createTopics(Map<String, Integer> partitions) throws Exception {
            kafka.createTopics(partitions);
          }
        });
  }

  KafkaTopics(Broker kafka) throws Exception {
    this.kafka = kafka;
    String run = UUID.randomUUID().toString().substring(0, 8);
    input = "events-" + run;
    models = "models-" + run;
    metrics = "metrics-" + run;
    predictions = "predictions-" + run;
    drift = "drift-" + run;
    deadLetters = "dead-" + run;
    kafka.createTopics(
        Map.of(input, 2, models, 1, metrics, 1, predictions, 1, drift, 1, deadLetters, 1));
  }

  /** The job's settings for these topics (bounded input, transactional ids unique to the run). */
  String[] settings() {
    return new String[] {
      "koala.source",
      "kafka",
      "koala.kafka.bootstrap-servers",
      kafka.bootstrapServers(),
      "koala.kafka.input-topics",
      input,
      "koala.kafka.bounded",
      "true",
      "koala.kafka.topic.models",
      models,
      "koala.kafka.topic.metrics",
      metrics,
      "koala.kafka.topic.predictions",
      predictions,
      "koala.kafka.topic.drift",
      drift,
      "koala.kafka.topic.dead-letters",
      deadLetters,
      "koala.kafka.transactional-id-prefix",
      "tx-" + models
    };
  }

  /** Sends (key, value) pairs in order; returns each record's "topic/partition/offset". */
  List<String> produce(List<String[]> records) throws Exception {
    Properties p = kafka.clientProperties();
    p.put("enable.idempotence", "true");
    List<String> origins = new ArrayList<>();
    try (var producer = new KafkaProducer<>(p, new StringSerializer(), new StringSerializer())) {
      for (String[] r : records) {
        RecordMetadata m = producer.send(new ProducerRecord<>(input, r[0], r[1])).get();
        origins.add(m.topic() + "/" + m.partition() + "/" + m.offset());
      }
    }
    return origins;
  }

  /** The sum of a topic's end offsets: its record count when nothing was transactional. */
  long endOffsets(String topic) {
    Properties c = kafka.clientProperties();
    try (var consumer =
        new KafkaConsumer<>(c, new StringDeserializer(), new StringDeserializer())) {
      var partitions =
          consumer.partitionsFor(topic).stream()
              .map(i -> new org.apache.kafka.common.TopicPartition(topic, i.partition()))
              .toList();
      return consumer.endOffsets(partitions).values().stream().mapToLong(Long::longValue).sum();
    }
  }

  /** Every committed record of a topic (read_committed), read to its end. */
  List<ConsumerRecord<String, String>> readCommitted(String topic) {
    Properties c = kafka.clientProperties();
    c.put(ConsumerConfig.GROUP_ID_CONFIG, "reader-" + UUID.randomUUID());
    c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    List<ConsumerRecord<String, String>> out = new ArrayList<>();
    try (var consumer =
        new KafkaConsumer<>(c, new StringDeserializer(), new StringDeserializer())) {
      var partitions =
          consumer.partitionsFor(topic).stream()
              .map(i -> new org.apache.kafka.common.TopicPartition(topic, i.partition()))
              .toList();
      consumer.assign(partitions);
      Map<org.apache.kafka.common.TopicPartition, Long> end = stableEnd(consumer, partitions, c);
      // To the end, or fail: a partial read would pass the exactly-once check and compare
      // earlier model versions (seen once, on a loaded machine, with a 60 s deadline).
      long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
      while (partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException(
              "read " + out.size() + " records of " + topic + " but not to its end " + end);
        }
        consumer.poll(Duration.ofMillis(200)).forEach(out::add);
      }
    }
    return out;
  }

  /**
   * The end offsets once every transaction on the partitions is resolved: a read_committed
   * consumer's end is the last stable offset, which an open transaction (one a killed producer left
   * behind) holds back, so reading to it alone would silently miss what came after. Fails if the
   * last stable offset does not reach the high watermark within 5 minutes.
   */
  private static Map<org.apache.kafka.common.TopicPartition, Long> stableEnd(
      KafkaConsumer<String, String> committed,
      List<org.apache.kafka.common.TopicPartition> partitions,
      Properties c) {
    try {
      return stableEndOrThrow(committed, partitions, c);
    } catch (RuntimeException | Error e) {
      throw e;
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static Map<org.apache.kafka.common.TopicPartition, Long> stableEndOrThrow(
      KafkaConsumer<String, String> committed,
      List<org.apache.kafka.common.TopicPartition> partitions,
      Properties c)
      throws Exception {
    Properties u = new Properties();
    u.putAll(c);
    u.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_uncommitted");
    try (var uncommitted =
        new KafkaConsumer<>(u, new StringDeserializer(), new StringDeserializer())) {
      return Poll.until(
          "the last stable offset of "
              + partitions
              + " to reach the high watermark (an open"
              + " transaction holds it back)",
          Duration.ofMinutes(5),
          () -> {
            Map<org.apache.kafka.common.TopicPartition, Long> stable =
                committed.endOffsets(partitions);
            return stable.equals(uncommitted.endOffsets(partitions)) ? stable : null;
          });
    }
  }
}
