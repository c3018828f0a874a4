package io.koala.job;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.Uuid;

/**
 * A Kafka 4.2 broker in KRaft mode (combined broker and controller) in a JVM of its own ({@code
 * kafka.Kafka}), on free loopback ports, its storage formatted first with {@code
 * kafka.tools.StorageTool}, as {@code kafka-storage.sh format} and {@code kafka-server-start.sh}
 * do. Close it and the process (only this one, by its handle) is stopped.
 */
final class KafkaProcess implements KafkaTopics.Broker, AutoCloseable {

  private final Path dir;
  private final int port;
  private final Process process;

  private KafkaProcess(Path dir, int port, Process process) {
    this.dir = dir;
    this.port = port;
    this.process = process;
  }

  /** Formats {@code dir/data}, starts the broker, returns once it answers an admin client. */
  static KafkaProcess start(Path dir) throws Exception {
    Files.createDirectories(dir);
    int port = freePort();
    int controller = freePort();
    Path config = dir.resolve("server.properties");
    Files.writeString(
        config,
        String.join(
            "\n",
            "process.roles=broker,controller",
            "node.id=1",
            "controller.quorum.voters=1@127.0.0.1:" + controller,
            "listeners=PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controller,
            "advertised.listeners=PLAINTEXT://127.0.0.1:" + port,
            "controller.listener.names=CONTROLLER",
            "inter.broker.listener.name=PLAINTEXT",
            "listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT",
            "log.dirs=" + dir.resolve("data"),
            "offsets.topic.replication.factor=1",
            "transaction.state.log.replication.factor=1",
            "transaction.state.log.min.isr=1",
            "group.initial.rebalance.delay.ms=0",
            "auto.create.topics.enable=false",
            ""),
        StandardCharsets.UTF_8);
    Path log4j = dir.resolve("log4j2.properties");
    Files.writeString(
        log4j,
        String.join(
            "\n",
            "rootLogger.level = INFO",
            "rootLogger.appenderRef.file.ref = file",
            "appender.file.name = file",
            "appender.file.type = FILE",
            "appender.file.fileName = " + dir.resolve("kafka.log"),
            "appender.file.layout.type = PatternLayout",
            "appender.file.layout.pattern = %d %-5p %c - %m%n",
            ""),
        StandardCharsets.UTF_8);
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    String cp = System.getProperty("java.class.path");
    String log = "-Dlog4j2.configurationFile=" + log4j.toUri();
    Process format =
        new ProcessBuilder(
                java,
                log,
                "-cp",
                cp,
                "kafka.tools.StorageTool",
                "format",
                "-t",
                Uuid.randomUuid().toString(),
                "-c",
                config.toString())
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("format.out").toFile())
            .start();
    if (!format.waitFor(120, TimeUnit.SECONDS) || format.exitValue() != 0) {
      throw new IllegalStateException(
          "kafka storage format failed: " + Files.readString(dir.resolve("format.out")));
    }
    Process broker =
        new ProcessBuilder(java, "-Xmx512m", log, "-cp", cp, "kafka.Kafka", config.toString())
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("kafka.out").toFile())
            .start();
    KafkaProcess kafka = new KafkaProcess(dir, port, broker);
    try {
      kafka.awaitReady(Duration.ofSeconds(120));
    } catch (Exception e) {
      kafka.close();
      throw e;
    }
    return kafka;
  }

  long pid() {
    return process.pid();
  }

  @Override
  public String bootstrapServers() {
    return "127.0.0.1:" + port;
  }

  @Override
  public Properties clientProperties() {
    Properties props = new Properties();
    props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
    return props;
  }

  @Override
  public void createTopics(Map<String, Integer> partitions) throws Exception {
    try (Admin admin = Admin.create(clientProperties())) {
      List<NewTopic> topics =
          partitions.entrySet().stream()
              .map(e -> new NewTopic(e.getKey(), e.getValue(), (short) 1))
              .toList();
      admin.createTopics(topics).all().get(60, TimeUnit.SECONDS);
    }
  }

  private void awaitReady(Duration timeout) throws Exception {
    Poll.until(
        "the kafka broker to answer",
        timeout,
        () -> {
          if (!process.isAlive()) {
            throw new IllegalStateException(
                "kafka broker exited: " + Files.readString(dir.resolve("kafka.out")));
          }
          try (Admin admin = Admin.create(clientProperties())) {
            return admin.describeCluster().nodes().get(5, TimeUnit.SECONDS);
          } catch (java.util.concurrent.ExecutionException
              | java.util.concurrent.TimeoutException notYet) {
            return null;
          }
        });
  }

  @Override
  public void close() throws Exception {
    process.destroy();
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor();
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }
}
