package io.koala.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.koala.connectors.Decoded;
import io.koala.connectors.JsonOutputReader;
import io.koala.connectors.ModelSnapshot;
import io.koala.testing.TestSeed;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeSet;
import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.connector.source.util.ratelimit.RateLimiterStrategy;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.datagen.source.DataGeneratorSource;
import org.apache.flink.metrics.Counter;
import org.apache.flink.runtime.testutils.InMemoryReporter;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Failures injected at random points of a checkpointed run: the final models must be bit-identical
 * to a failure-free run, and the file sinks must hold each snapshot exactly once.
 */
@ExtendWith(TestSeed.Printer.class)
class RecoveryITCase {

  /** The operators' counters, kept after each job ends. */
  private static final InMemoryReporter METRICS = InMemoryReporter.createWithRetainedMetrics();

  @RegisterExtension
  static final MiniClusterExtension CLUSTER =
      new MiniClusterExtension(
          new MiniClusterResourceConfiguration.Builder()
              .setConfiguration(METRICS.addToConfiguration(new Configuration()))
              .setNumberTaskManagers(1)
              .setNumberSlotsPerTaskManager(2)
              .build());

  private static final int KEYS = 6;
  private static final int PER_KEY = 150;

  /**
   * The run's configuration. {@code sparse} is null for the dense input; for the sparse input the
   * optimizer and then option pairs of its own.
   */
  private static JobConfig config(Path out, List<String> sparse) {
    if (sparse != null) {
      // Named features hashed into d = 1,024: each batch trains on the sparse path, which writes
      // the model (and the baselines' velocity or moments) in place.
      List<String> options =
          new ArrayList<>(
              List.of("koala.model.features", "1024", "koala.output.dir", out.toString()));
      options.addAll(sparse.subList(1, sparse.size()));
      return Fixtures.config(sparse.get(0), options.toArray(String[]::new));
    }
    return Fixtures.config(
        "koala-v",
        "koala.model.standardise",
        "true",
        "koala.optimizer.process-noise.adaptive",
        "true",
        "koala.output.dir",
        out.toString());
  }

  /** The last job run. */
  private static JobID lastJob;

  /** Runs the job over the lines; returns the output folder. */
  private static Path run(
      List<String> lines, Path out, String backend, boolean failures, List<String> sparse)
      throws Exception {
    Configuration conf = new Configuration();
    conf.setString("pipeline.generic-types", "false");
    conf.setString("execution.checkpointing.interval", "100 ms");
    conf.setString("state.backend.type", backend);
    conf.setString("restart-strategy.type", "fixed-delay");
    conf.setString("restart-strategy.fixed-delay.attempts", "10");
    conf.setString("restart-strategy.fixed-delay.delay", "20 ms");
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
    env.setParallelism(2);
    JobConfig config = config(out, sparse);
    DataStream<Decoded> decoded =
        env.fromSource(
                new DataGeneratorSource<>(
                    i -> i, lines.size(), RateLimiterStrategy.perSecond(500), Types.LONG),
                WatermarkStrategy.noWatermarks(),
                "lines")
            .uid("lines")
            .setParallelism(1)
            .map(new TestLines.FailAt())
            .uid("fail")
            .setParallelism(1)
            .map(new TestLines.Decode(lines, config))
            .returns(TypeInformation.of(Decoded.class))
            .uid("decode-lines")
            .setParallelism(1);
    if (!failures) {
      TestLines.FailAt.schedule(List.of());
    }
    KoalaPipeline.build(decoded, config).sinkTo(KoalaJob.fileSinks(config));
    lastJob = env.execute("recovery-" + backend + (failures ? "-failing" : "")).getJobID();
    return out;
  }

  private static List<String> input() {
    List<String> lines = TestLines.json(Fixtures.stream(21, KEYS, PER_KEY));
    // A few bad records too: they must reach the dead letters once each, failures or not.
    lines.add(100, "{\"key\":\"key-1\",\"features\":[1,2],\"label\":1}");
    lines.add(400, "not json");
    lines.add(700, "{\"key\":\"key-2\",\"features\":[1,2,3],\"label\":7}");
    return lines;
  }

  /**
   * Words drawn from a vocabulary of 200 as named features, 3 to 12 distinct ones per event, a
   * label from hidden word weights whose sign flips half way (so that the race moves and alarms).
   */
  private static List<String> sparseInput() {
    java.util.SplittableRandom random = new java.util.SplittableRandom(31);
    double[] weight = random.doubles(200, -2, 2).toArray();
    List<String> lines = new ArrayList<>();
    for (int i = 0; i < PER_KEY; i++) {
      for (int k = 0; k < KEYS; k++) {
        StringBuilder features = new StringBuilder();
        double z = 0;
        java.util.Set<Integer> words = new java.util.LinkedHashSet<>();
        int count = 3 + random.nextInt(10);
        while (words.size() < count) {
          words.add(random.nextInt(200));
        }
        for (int word : words) {
          z += weight[word];
          features.append(features.length() == 0 ? "" : ",");
          features.append("\"w").append(word).append("\":1");
        }
        double y = random.nextDouble() < 1 / (1 + Math.exp(i < PER_KEY / 2 ? -z : z)) ? 1 : 0;
        lines.add(
            String.format(
                "{\"key\":\"key-%d\",\"features\":{%s},\"label\":%s,\"ts\":%d}",
                k, features, y, 1_000L + 10L * lines.size()));
      }
    }
    lines.add(100, "{\"key\":\"key-1\",\"features\":{\"w1\":\"x\"},\"label\":1}");
    lines.add(400, "not json");
    lines.add(700, "{\"key\":\"key-2\",\"features\":{\"w3\":1},\"label\":7}");
    return lines;
  }

  @ParameterizedTest
  @ValueSource(strings = {"hashmap", "rocksdb"})
  void threeInjectedFailures_giveBitIdenticalModels_andEachSnapshotOnce(
      String backend, @TempDir Path tmp) throws Exception {
    failAndCompare(input(), backend, null, tmp);
  }

  /**
   * Hashed sparse input at the defaults, and with the baselines that step sparse (plain SGD, lazy
   * SGD and lazy Adam, which write their velocity and moments in place too): the in-place step
   * meets the heap backend's copy-on-write snapshots (checkpoints every 100 ms) and RocksDB's,
   * failures and all.
   */
  @ParameterizedTest
  @CsvSource({
    "hashmap, koala-v, , ",
    "rocksdb, koala-v, , ",
    "hashmap, sgd, koala.optimizer.momentum, 0",
    "hashmap, sgd, koala.optimizer.lazy, true",
    "hashmap, adam, koala.optimizer.lazy, true"
  })
  void sparseInput_threeInjectedFailures_giveBitIdenticalModels_andEachSnapshotOnce(
      String backend, String optimizer, String option, String value, @TempDir Path tmp)
      throws Exception {
    List<String> sparse = option == null ? List.of(optimizer) : List.of(optimizer, option, value);
    failAndCompare(sparseInput(), backend, sparse, tmp);
  }

  private static void failAndCompare(
      List<String> lines, String backend, List<String> sparse, Path tmp) throws Exception {
    Path clean = run(lines, tmp.resolve("clean"), backend, false, sparse);
    // Every batch of the sparse input takes the in-place sparse path, none of the dense input.
    long batches = counter(lastJob, "batches");
    assertThat(batches).isPositive();
    assertThat(counter(lastJob, "sparseBatches")).isEqualTo(sparse != null ? batches : 0);

    long seed = TestSeed.next();
    Random random = new Random(seed);
    TreeSet<Long> points = new TreeSet<>();
    while (points.size() < 3) {
      points.add(50L + random.nextInt(lines.size() - 100));
    }
    TestLines.FailAt.schedule(new ArrayList<>(points));
    Path failing = run(lines, tmp.resolve("failing"), backend, true, sparse);
    assertThat(TestLines.FailAt.FAILED).as("failures injected (seed %d)", seed).hasSize(3);
    assertThat(TestLines.FailAt.FIRST_SEEN)
        .as("attempts' first records")
        .hasSize(4)
        .anySatisfy(first -> assertThat(first).as("resumed from a checkpoint").isPositive());

    Map<String, double[]> expected = TestLines.finalModels(clean.resolve("models.jsonl"));
    Map<String, double[]> actual = TestLines.finalModels(failing.resolve("models.jsonl"));
    assertThat(expected).hasSize(KEYS);
    assertThat(actual.keySet()).isEqualTo(expected.keySet());
    for (String key : expected.keySet()) {
      assertThat(actual.get(key))
          .as("%s (failures at %s)", key, points)
          .containsExactly(expected.get(key));
    }
    for (String file : new String[] {"models.jsonl", "metrics.jsonl", "dead-letters.jsonl"}) {
      assertThat(Files.readAllLines(failing.resolve(file)))
          .as(file + " after failures at " + points)
          .containsExactlyInAnyOrderElementsOf(Files.readAllLines(clean.resolve(file)));
    }
    assertThat(Files.readAllLines(clean.resolve("dead-letters.jsonl"))).hasSize(3);
    assertThat(uniqueSnapshots(failing.resolve("models.jsonl"))).isTrue();
  }

  /** The sum over the training operator's subtasks of one of its counters. */
  private static long counter(JobID job, String name) {
    long sum = 0;
    int found = 0;
    for (var group : METRICS.getMetricsByGroup().entrySet()) {
      boolean ours =
          job.toString().equals(group.getKey().getAllVariables().get("<job_id>"))
              && group.getKey().getMetricIdentifier(name).endsWith(".koala." + name);
      if (ours && group.getValue().get(name) instanceof Counter c) {
        sum += c.getCount();
        found++;
      }
    }
    assertThat(found).as("subtasks counting " + name).isPositive();
    return sum;
  }

  private static boolean uniqueSnapshots(Path models) throws Exception {
    Map<String, Integer> seen = new HashMap<>();
    for (ModelSnapshot s : JsonOutputReader.readAll(models, JsonOutputReader::snapshot)) {
      seen.merge(s.key() + "@" + s.version(), 1, Integer::sum);
    }
    return seen.values().stream().allMatch(c -> c == 1);
  }
}
