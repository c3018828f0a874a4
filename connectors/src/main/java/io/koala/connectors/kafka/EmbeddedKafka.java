package io.koala.connectors.kafka;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;

/**
 * A real Kafka 4.2 broker in KRaft mode (one combined broker and controller) inside this JVM, on a
 * free loopback port, for tests and the demo. Close it (try-with-resources) and its data folder is
 * gone; a JVM shutdown hook closes it too when a test dies on the way.
 *
 * <pre>{@code
 * try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
 *   kafka.createTopics(Map.of("events", 2, "models", 1));
 *   String servers = kafka.bootstrapServers();
 * }
 * }</pre>
 */
public final class EmbeddedKafka implements AutoCloseable {

  private final KafkaClusterTestKit cluster;
  private final Path dataDir;
  private final Thread hook;
  private volatile boolean closed;

  private EmbeddedKafka(KafkaClusterTestKit cluster, Path dataDir) {
    this.cluster = cluster;
    this.dataDir = dataDir;
    this.hook = new Thread(this::closeQuietly, "embedded-kafka-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
  }

  /** Formats and starts a one-node cluster; returns once the broker accepts clients. */
  public static EmbeddedKafka start() throws Exception {
    Path dataDir = Files.createTempDirectory("koala-kafka-");
    KafkaClusterTestKit cluster =
        new KafkaClusterTestKit.Builder(
                new TestKitNodes.Builder()
                    .setCombined(true)
                    .setNumBrokerNodes(1)
                    .setNumControllerNodes(1)
                    .setBaseDirectory(dataDir)
                    .build())
            .setConfigProp("offsets.topic.replication.factor", "1")
            .setConfigProp("transaction.state.log.replication.factor", "1")
            .setConfigProp("transaction.state.log.min.isr", "1")
            .setConfigProp("group.initial.rebalance.delay.ms", "0")
            .setConfigProp("auto.create.topics.enable", "false")
            .setDeleteOnClose(true)
            .build();
    try {
      cluster.format();
      cluster.startup();
      cluster.waitForReadyBrokers();
    } catch (Exception e) {
      cluster.close();
      delete(dataDir);
      throw e;
    }
    return new EmbeddedKafka(cluster, dataDir);
  }

  /** The broker's data folder (deleted on close). */
  public Path dataDirectory() {
    return dataDir;
  }

  public String bootstrapServers() {
    return cluster.bootstrapServers();
  }

  /** Properties for a client of this broker. */
  public Properties clientProperties() {
    Properties props = new Properties();
    props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
    return props;
  }

  /** Creates topics (name → partitions) and waits until they exist. */
  public void createTopics(Map<String, Integer> partitions) throws Exception {
    try (Admin admin = Admin.create(clientProperties())) {
      List<NewTopic> topics =
          partitions.entrySet().stream()
              .map(e -> new NewTopic(e.getKey(), e.getValue(), (short) 1))
              .toList();
      admin.createTopics(topics).all().get(60, TimeUnit.SECONDS);
    }
  }

  @Override
  public void close() throws Exception {
    if (closed) {
      return;
    }
    closed = true;
    try {
      cluster.close();
    } finally {
      delete(dataDir);
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException shuttingDown) {
        // Called from the hook itself.
      }
    }
  }

  private void closeQuietly() {
    try {
      close();
    } catch (Exception ignored) {
      // Best effort at JVM exit.
    }
  }

  private static void delete(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
