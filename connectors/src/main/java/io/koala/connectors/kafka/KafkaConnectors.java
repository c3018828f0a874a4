package io.koala.connectors.kafka;

import io.koala.connectors.Decoded;
import io.koala.connectors.OutputRecord;
import io.koala.connectors.Payloads;
import io.koala.connectors.RecordDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Properties;
import java.util.regex.Pattern;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.KafkaSourceBuilder;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Kafka sources and sinks of the job: records in are decoded (never failing on data, with
 * topic/partition/offset as their origin); outputs go out keyed by model key.
 *
 * <pre>{@code
 * KafkaSource<Decoded> in = KafkaConnectors.source(settings, decoder);
 * KafkaSink<OutputRecord> models = KafkaConnectors.sink(settings, "models",
 *     DeliveryGuarantee.EXACTLY_ONCE, "koala-models");
 * }</pre>
 */
public final class KafkaConnectors {

  private KafkaConnectors() {}

  /** Transactions must end before the broker's own limit (15 min by default). */
  static final String DEFAULT_TRANSACTION_TIMEOUT_MS = "600000";

  public static KafkaSource<Decoded> source(KafkaSettings settings, RecordDecoder decoder) {
    KafkaSourceBuilder<Decoded> builder =
        KafkaSource.<Decoded>builder()
            .setBootstrapServers(settings.bootstrapServers())
            .setProperties(settings.clientProperties())
            .setDeserializer(new Decoding(decoder));
    if (!settings.inputTopics().isEmpty()) {
      builder.setTopics(settings.inputTopics());
    } else {
      builder.setTopicPattern(Pattern.compile(settings.inputPattern()));
    }
    if (settings.groupId() != null) {
      builder.setGroupId(settings.groupId());
    }
    builder.setStartingOffsets(settings.startingOffsets().initializer());
    if (settings.bounded()) {
      builder.setBounded(OffsetsInitializer.latest());
    }
    return builder.build();
  }

  /**
   * A sink to {@code topic}; with EXACTLY_ONCE the records become visible to read_committed
   * consumers when the checkpoint that covers them completes.
   */
  public static KafkaSink<OutputRecord> sink(
      KafkaSettings settings,
      String topic,
      DeliveryGuarantee guarantee,
      String transactionalIdPrefix) {
    Properties producer = new Properties();
    producer.putAll(settings.clientProperties());
    producer.putIfAbsent("transaction.timeout.ms", DEFAULT_TRANSACTION_TIMEOUT_MS);
    return KafkaSink.<OutputRecord>builder()
        .setBootstrapServers(settings.bootstrapServers())
        .setKafkaProducerConfig(producer)
        .setDeliveryGuarantee(guarantee)
        .setTransactionalIdPrefix(transactionalIdPrefix)
        .setRecordSerializer(new Keyed(topic))
        .build();
  }

  /** Decodes every record, good or bad: a reject is data too (it goes to the dead letters). */
  static final class Decoding implements KafkaRecordDeserializationSchema<Decoded> {
    private static final long serialVersionUID = 1L;
    private final RecordDecoder decoder;

    Decoding(RecordDecoder decoder) {
      this.decoder = decoder;
    }

    @Override
    public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<Decoded> out) {
      String origin = record.topic() + "/" + record.partition() + "/" + record.offset();
      out.collect(decoder.decode(record.value(), origin, utf8(record.key())));
    }

    private static String utf8(byte[] key) {
      return key == null ? null : Payloads.utf8(key);
    }

    @Override
    public TypeInformation<Decoded> getProducedType() {
      return TypeInformation.of(Decoded.class);
    }
  }

  /** Writes the JSON as the value and the model key (if any) as the record key. */
  static final class Keyed implements KafkaRecordSerializationSchema<OutputRecord> {
    private static final long serialVersionUID = 1L;
    private final String topic;

    Keyed(String topic) {
      this.topic = topic;
    }

    @Override
    public ProducerRecord<byte[], byte[]> serialize(
        OutputRecord record, KafkaSinkContext context, Long timestamp) {
      byte[] key = record.key() == null ? null : record.key().getBytes(StandardCharsets.UTF_8);
      return new ProducerRecord<>(
          topic, null, eventTime(timestamp), key, record.json().getBytes(StandardCharsets.UTF_8));
    }

    /**
     * The record's event time when it is one; null (the producer's clock) otherwise, e.g. for the
     * final snapshots, which leave the end-of-input timer at Long.MAX_VALUE.
     */
    static Long eventTime(Long timestamp) {
      return timestamp == null || timestamp < 0 || timestamp == Long.MAX_VALUE ? null : timestamp;
    }
  }
}
