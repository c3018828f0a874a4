package io.koala.connectors.kafka;

import java.io.Serializable;
import java.util.List;
import java.util.Properties;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Where and how the job talks to Kafka; built and checked by {@link #builder()}.
 *
 * <pre>{@code
 * KafkaSettings settings = KafkaSettings.builder()
 *     .bootstrapServers("localhost:9092")
 *     .topics(List.of("events"))
 *     .startingOffsets(StartingOffsets.EARLIEST)
 *     .build();
 * }</pre>
 *
 * @param bootstrapServers the brokers
 * @param inputTopics topics to read (empty when a pattern is used)
 * @param inputPattern a topic pattern (null when topics are named)
 * @param groupId the consumer group (offsets live in Flink checkpoints; committed ones are for
 *     monitoring and for {@link StartingOffsets#COMMITTED}); may be null
 * @param startingOffsets where a source with no checkpoint starts
 * @param bounded stop at the offsets that are latest at start (tests, backfills)
 * @param clientProperties pass-through client settings (SASL/SSL, timeouts, …), never logged
 */
public record KafkaSettings(
    String bootstrapServers,
    List<String> inputTopics,
    String inputPattern,
    String groupId,
    StartingOffsets startingOffsets,
    boolean bounded,
    Properties clientProperties)
    implements Serializable {

  public KafkaSettings {
    inputTopics = inputTopics == null ? List.of() : List.copyOf(inputTopics);
    Properties copy = new Properties();
    if (clientProperties != null) {
      copy.putAll(clientProperties);
    }
    clientProperties = copy;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Never prints the client properties: they may hold credentials. */
  @Override
  public String toString() {
    return "KafkaSettings[bootstrapServers="
        + bootstrapServers
        + ", inputTopics="
        + inputTopics
        + ", inputPattern="
        + inputPattern
        + ", groupId="
        + groupId
        + ", startingOffsets="
        + startingOffsets
        + ", bounded="
        + bounded
        + ", clientProperties=<"
        + clientProperties.size()
        + " hidden>]";
  }

  /** One setter per concern; {@link #build()} checks them together. */
  public static final class Builder {
    private String bootstrapServers;
    private List<String> topics = List.of();
    private String topicPattern;
    private String groupId;
    private StartingOffsets startingOffsets = StartingOffsets.EARLIEST;
    private boolean bounded;
    private Properties clientProperties = new Properties();

    private Builder() {}

    /** The brokers, {@code host:port,...}. Required. */
    public Builder bootstrapServers(String servers) {
      this.bootstrapServers = servers;
      return this;
    }

    /** Topics to read by name (or give {@link #topicPattern}). */
    public Builder topics(List<String> names) {
      this.topics = names == null ? List.of() : names;
      return this;
    }

    /** A regular expression of topics to read (or give {@link #topics}). */
    public Builder topicPattern(String regex) {
      this.topicPattern = regex;
      return this;
    }

    public Builder groupId(String group) {
      this.groupId = group;
      return this;
    }

    public Builder startingOffsets(StartingOffsets offsets) {
      this.startingOffsets = offsets;
      return this;
    }

    /** Stop at the offsets that are latest when the job starts. */
    public Builder bounded(boolean stopAtLatest) {
      this.bounded = stopAtLatest;
      return this;
    }

    /** Client settings passed to every consumer and producer unchanged. */
    public Builder clientProperties(Properties properties) {
      this.clientProperties = properties == null ? new Properties() : properties;
      return this;
    }

    /** The settings; throws IllegalArgumentException saying what is missing or wrong. */
    public KafkaSettings build() {
      if (bootstrapServers == null || bootstrapServers.isBlank()) {
        throw new IllegalArgumentException("Kafka bootstrap servers are required");
      }
      boolean named = !topics.isEmpty();
      boolean pattern = topicPattern != null && !topicPattern.isBlank();
      if (named == pattern) {
        throw new IllegalArgumentException(
            "give exactly one of input topics and an input topic pattern");
      }
      if (topics.stream().anyMatch(t -> t == null || t.isBlank())) {
        throw new IllegalArgumentException("an input topic name is empty: " + topics);
      }
      if (pattern) {
        try {
          Pattern.compile(topicPattern);
        } catch (PatternSyntaxException e) {
          throw new IllegalArgumentException(
              "the input topic pattern is not a regular expression: " + e.getDescription());
        }
      }
      if (startingOffsets == null) {
        throw new IllegalArgumentException("starting offsets are required");
      }
      return new KafkaSettings(
          bootstrapServers,
          topics,
          pattern ? topicPattern : null,
          groupId,
          startingOffsets,
          bounded,
          clientProperties);
    }
  }
}
