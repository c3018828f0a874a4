package io.koala.job;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.koala.connectors.JsonOutputReader;
import io.koala.connectors.TrainingEvent;
import io.koala.job.cluster.ClusterClasspath;
import io.koala.job.cluster.LocalCluster;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The end-to-end tests' world: a Kafka broker in its own JVM, a {@link LocalCluster} of separate
 * JVMs (TaskManagers of one slot, so a job of parallelism 2 runs on two of them), the stream of 200
 * keys in an input topic and the models of an uninterrupted run, computed in this JVM by the same
 * pipeline from a file of the same events.
 */
final class ClusterFixture implements AutoCloseable {

  static final int KEYS = 200;
  static final int EVENTS_PER_KEY = 1_000;
  static final ObjectMapper JSON = new ObjectMapper();

  final Path dir;
  final KafkaProcess kafka;
  final LocalCluster cluster;
  final List<String[]> records;
  private Map<String, double[]> expected;

  private ClusterFixture(
      Path dir, KafkaProcess kafka, LocalCluster cluster, List<String[]> records) {
    this.dir = dir;
    this.kafka = kafka;
    this.cluster = cluster;
    this.records = records;
  }

  /** Starts the broker, the JobManager and {@code taskManagers} TaskManagers; 200k events. */
  static ClusterFixture start(int taskManagers) throws Exception {
    return start(taskManagers, EVENTS_PER_KEY);
  }

  /** As {@link #start(int)} with {@code eventsPerKey} events for each of the 200 keys. */
  static ClusterFixture start(int taskManagers, int eventsPerKey) throws Exception {
    Path dir = Path.of("target", "cluster-it", UUID.randomUUID().toString().substring(0, 8));
    Files.createDirectories(dir);
    dir = dir.toAbsolutePath();
    List<TrainingEvent> events = Fixtures.stream(2026, KEYS, eventsPerKey);
    List<String[]> records = KafkaPipelineITCase.keyed(TestLines.json(events), events);
    // Three records that are not JSON: dead letters, by reason, on both runs alike.
    for (int at : new int[] {1_000, 2_000, 3_000}) {
      records.add(at, new String[] {"key-1", "{not json"});
    }
    KafkaProcess kafka = KafkaProcess.start(dir.resolve("kafka"));
    LocalCluster cluster = null;
    try {
      cluster =
          LocalCluster.create(
              dir.resolve("cluster"), ClusterClasspath.fromBuild(Path.of("target")), 1, Map.of());
      cluster.startJobManager();
      for (int i = 0; i < taskManagers; i++) {
        cluster.startTaskManager();
      }
      cluster.awaitTaskManagers(taskManagers, Duration.ofSeconds(120));
    } catch (Exception e) {
      if (cluster != null) {
        cluster.stop();
      }
      kafka.close();
      throw e;
    }
    ClusterFixture fixture = new ClusterFixture(dir, kafka, cluster, records);
    Runtime.getRuntime().addShutdownHook(new Thread(fixture::closeQuietly));
    return fixture;
  }

  /** The job's options: logistic models of 3 features, batches of 8, a snapshot every 4. */
  static Map<String, String> options() {
    Map<String, String> o = new java.util.LinkedHashMap<>();
    o.put("koala.model.type", "logistic");
    o.put("koala.model.features", "3");
    o.put("koala.optimizer", "koala-pp");
    o.put("koala.batch.size", "8");
    o.put("koala.snapshot.every-batches", "4");
    o.put("pipeline.generic-types", "false");
    o.put("execution.checkpointing.interval", "1 s");
    return o;
  }

  /**
   * New topics with the whole stream in the input topic (produced in order, per key). Every send is
   * checked and the topic's end offsets must add up to the stream before a job is submitted: an
   * idempotent producer on a loaded machine has had batches refused (OutOfOrderSequenceException in
   * the broker's log), which left events out of the input and made the job's models differ from the
   * uninterrupted run's for reasons of the test, not the engine.
   */
  KafkaTopics topicsWithInput() throws Exception {
    KafkaTopics topics = new KafkaTopics(kafka);
    Properties p = kafka.clientProperties();
    p.put("enable.idempotence", "true");
    p.put("acks", "all");
    p.put("linger.ms", "20");
    // One request in flight: a refused batch cannot be overtaken by the next one.
    p.put("max.in.flight.requests.per.connection", "1");
    try (var producer = new KafkaProducer<>(p, new StringSerializer(), new StringSerializer())) {
      List<java.util.concurrent.Future<org.apache.kafka.clients.producer.RecordMetadata>> sent =
          new ArrayList<>();
      for (String[] r : records) {
        sent.add(producer.send(new ProducerRecord<>(topics.input, r[0], r[1])));
        if (sent.size() == 10_000) {
          check(producer, sent);
        }
      }
      check(producer, sent);
    }
    long inTopic = topics.endOffsets(topics.input);
    if (inTopic != records.size()) {
      throw new IllegalStateException(
          "the input topic holds " + inTopic + " records, not the " + records.size() + " sent");
    }
    return topics;
  }

  /** Waits for the sends so far; any failed one fails the fixture with its cause. */
  private static void check(
      KafkaProducer<String, String> producer,
      List<java.util.concurrent.Future<org.apache.kafka.clients.producer.RecordMetadata>> sent)
      throws Exception {
    producer.flush();
    for (var f : sent) {
      f.get();
    }
    sent.clear();
  }

  /** Writes the job's configuration file for {@code topics}. */
  Path jobConfig(KafkaTopics topics, String name) throws Exception {
    Map<String, String> o = options();
    String[] kafkaSettings = topics.settings();
    for (int i = 0; i + 1 < kafkaSettings.length; i += 2) {
      o.put(kafkaSettings[i], kafkaSettings[i + 1]);
    }
    StringBuilder yaml = new StringBuilder();
    o.forEach((k, v) -> yaml.append(k).append(": '").append(v).append("'\n"));
    Path file = dir.resolve(name + ".yaml");
    Files.writeString(file, yaml, StandardCharsets.UTF_8);
    return file;
  }

  /** Submits the job jar with Flink's CLI (detached); returns the job id. */
  String submit(Path config, int parallelism, String savepoint) throws Exception {
    List<String> args = new ArrayList<>(List.of("run", "-d", "-p", Integer.toString(parallelism)));
    if (savepoint != null) {
      args.add("-s");
      args.add(savepoint);
    }
    args.add(Path.of("target", "koala-job.jar").toAbsolutePath().toString());
    args.addAll(List.of("train", "--config", config.toString()));
    Path out = dir.resolve("submit-" + UUID.randomUUID().toString().substring(0, 4) + ".out");
    int code = cluster.flink(args, out);
    String text = Files.readString(out);
    Matcher m = Pattern.compile("JobID ([0-9a-f]{32})").matcher(text);
    if (code != 0 || !m.find()) {
      throw new IllegalStateException("flink run failed (" + code + "):\n" + text);
    }
    return m.group(1);
  }

  /**
   * Stop-with-savepoint by Flink's CLI; returns the savepoint's path. With {@code drain} the
   * sources end their input first (a final watermark closes every batch).
   */
  String stopWithSavepoint(String jobId, boolean drain) throws Exception {
    Path out = dir.resolve("stop-" + jobId + ".out");
    List<String> args = new ArrayList<>(List.of("stop"));
    if (drain) {
      args.add("--drain");
    }
    args.addAll(
        List.of(
            "--type",
            "canonical",
            "--savepointPath",
            cluster.dir().resolve("savepoints").toUri().toString(),
            jobId));
    int code = cluster.flink(args, out);
    String text = Files.readString(out);
    Matcher m = Pattern.compile("Savepoint completed\\. Path: (\\S+)").matcher(text);
    if (code != 0 || !m.find()) {
      throw new IllegalStateException("flink stop failed (" + code + "):\n" + text);
    }
    return m.group(1);
  }

  /** Records the source's chain has sent on (the REST API's write-records of the first vertex). */
  long sourceRecordsOut(String jobId) throws Exception {
    JsonNode job = rest("/jobs/" + jobId);
    return job == null
        ? -1
        : job.path("vertices").get(0).path("metrics").path("write-records").asLong();
  }

  JsonNode rest(String path) throws Exception {
    String body = cluster.rest(path);
    return body == null ? null : JSON.readTree(body);
  }

  String state(String jobId) throws Exception {
    JsonNode job = rest("/jobs/" + jobId);
    return job == null ? "UNKNOWN" : job.path("state").asText();
  }

  /** The latest completed checkpoint: {id, ack time, trigger time}; {-1, 0, 0} before the first. */
  long[] latestCheckpoint(String jobId) throws Exception {
    JsonNode c = rest("/jobs/" + jobId + "/checkpoints");
    JsonNode latest = c == null ? null : c.path("latest").path("completed");
    if (latest == null || latest.isMissingNode() || latest.isNull()) {
      return new long[] {-1, 0, 0};
    }
    return new long[] {
      latest.path("id").asLong(),
      latest.path("latest_ack_timestamp").asLong(),
      latest.path("trigger_timestamp").asLong()
    };
  }

  static void await(String what, Duration timeout, Check check) throws Exception {
    Poll.until(what, timeout, () -> check.ok() ? Boolean.TRUE : null);
  }

  /** A condition polled with a deadline. */
  @FunctionalInterface
  interface Check {
    boolean ok() throws Exception;
  }

  /**
   * The final models of an uninterrupted run: the same pipeline and options over a file of the same
   * events, in a MiniCluster in this JVM (computed once).
   */
  synchronized Map<String, double[]> expectedModels() throws Exception {
    if (expected == null) {
      Path in = dir.resolve("uninterrupted");
      Files.createDirectories(in);
      List<String> lines = new ArrayList<>();
      for (String[] r : records) {
        lines.add(r[1]);
      }
      TestLines.write(in.resolve("events.jsonl"), lines);
      Configuration conf = new Configuration();
      options().forEach(conf::setString);
      conf.setString("koala.source", "file");
      conf.setString("koala.file.input", in.resolve("events.jsonl").toString());
      conf.setString("koala.output.dir", in.resolve("out").toString());
      JobConfig config = JobConfig.of(conf);
      StreamExecutionEnvironment env =
          StreamExecutionEnvironment.getExecutionEnvironment(config.configuration());
      env.setParallelism(2);
      KoalaJob.buildFileJob(env, config);
      env.execute("uninterrupted");
      expected = TestLines.finalModels(in.resolve("out").resolve("models.jsonl"));
    }
    return expected;
  }

  /** (key@version → how many times a read_committed consumer saw it) of the models topic. */
  static Map<String, Integer> snapshotsSeen(
      List<org.apache.kafka.clients.consumer.ConsumerRecord<String, String>> models) {
    Map<String, Integer> perVersion = new HashMap<>();
    for (var r : models) {
      perVersion.merge(
          r.key() + "@" + JsonOutputReader.snapshot(r.value()).version(), 1, Integer::sum);
    }
    return perVersion;
  }

  /**
   * Kills a TaskManager that runs the job with SIGKILL, starts a replacement, and returns the
   * seconds from the kill to the next completed checkpoint.
   */
  double killTaskManager(String jobId, String name) throws Exception {
    long before = latestCheckpoint(jobId)[0];
    long pid = cluster.running().get(name);
    long killedAt = System.currentTimeMillis();
    if (!cluster.kill(pid)) {
      throw new IllegalStateException(name + " (pid " + pid + ") is not ours");
    }
    cluster.startTaskManager();
    long[] next = new long[1];
    await(
        "a checkpoint after the kill of " + name,
        Duration.ofMinutes(3),
        () -> {
          long[] c = latestCheckpoint(jobId);
          next[0] = c[1];
          // Triggered after the kill: one that was under way may still complete just after it.
          return c[0] > before && c[2] > killedAt;
        });
    return (next[0] - killedAt) / 1000.0;
  }

  /**
   * The engine's metrics (names starting flink_taskmanager_job_task_operator_koala) of an endpoint.
   */
  List<String> koalaMetrics(String endpoint) throws Exception {
    return metricLines(endpoint, "flink_taskmanager_job_task_operator_koala").stream()
        .map(l -> l.substring(0, l.indexOf('{') < 0 ? l.indexOf(' ') : l.indexOf('{')))
        .distinct()
        .toList();
  }

  /**
   * The lines (name, labels, value) of an endpoint whose metric name starts with {@code prefix}.
   */
  List<String> metricLines(String endpoint, String prefix) throws Exception {
    String body = cluster.get(endpoint);
    return body == null ? List.of() : body.lines().filter(l -> l.startsWith(prefix)).toList();
  }

  @Override
  public void close() throws Exception {
    try {
      cluster.stop();
    } finally {
      kafka.close();
    }
  }

  private void closeQuietly() {
    try {
      close();
    } catch (Exception ignored) {
      // best effort at JVM exit
    }
  }
}
