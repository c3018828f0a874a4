package io.koala.connectors.kafka;

import java.io.Serializable;
import java.util.List;
import java.util.Properties;

/**
 * Where and how the job talks to Kafka.
 *
 * @param bootstrapServers the brokers
 * @param inputTopics topics to read (empty when a pattern is used)
 * @param inputPattern a topic pattern (null when topics are named)
 * @param groupId the consumer group (offsets live in Flink checkpoints; committed ones are for
 *     monitoring and for starting-offsets = committed)
 * @param startingOffsets earliest, latest or committed
 * @param bounded stop at the offsets that are latest at start (tests, backfills)
 * @param clientProperties pass-through client settings (SASL/SSL, timeouts, …), never logged
 */
public record KafkaSettings(
    String bootstrapServers,
    List<String> inputTopics,
    String inputPattern,
    String groupId,
    String startingOffsets,
    boolean bounded,
    Properties clientProperties) implements Serializable {

  public KafkaSettings {
    if (bootstrapServers == null || bootstrapServers.isBlank()) {
      throw new IllegalArgumentException(
          "invalid configuration: koala.kafka.bootstrap-servers is required when koala.source = kafka");
    }
    if ((inputTopics == null || inputTopics.isEmpty()) == (inputPattern == null || inputPattern.isBlank())) {
      throw new IllegalArgumentException("invalid configuration: give exactly one of "
          + "koala.kafka.input-topics and koala.kafka.input-pattern");
    }
    if (!List.of("earliest", "latest", "committed").contains(startingOffsets)) {
      throw new IllegalArgumentException("invalid configuration: koala.kafka.starting-offsets "
          + "must be earliest, latest or committed, was " + startingOffsets);
    }
    inputTopics = inputTopics == null ? List.of() : List.copyOf(inputTopics);
    Properties copy = new Properties();
    if (clientProperties != null) {
      copy.putAll(clientProperties);
    }
    clientProperties = copy;
  }

  /** Never prints the client properties: they may hold credentials. */
  @Override
  public String toString() {
    return "KafkaSettings[bootstrapServers=" + bootstrapServers + ", inputTopics=" + inputTopics
        + ", inputPattern=" + inputPattern + ", groupId=" + groupId + ", startingOffsets="
        + startingOffsets + ", bounded=" + bounded + ", clientProperties=<"
        + clientProperties.size() + " hidden>]";
  }
}
