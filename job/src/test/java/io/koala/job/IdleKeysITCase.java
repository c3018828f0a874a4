package io.koala.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.koala.connectors.Decoded;
import io.koala.connectors.JsonOutputReader;
import io.koala.connectors.ModelSnapshot;
import io.koala.connectors.TrainingEvent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.connector.source.util.ratelimit.RateLimiterStrategy;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.datagen.source.DataGeneratorSource;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Idle keys in a checkpointed job on RocksDB, in event time: keys that go quiet are evicted with
 * one final snapshot, a key that returns starts fresh, and a failure while evictions are pending
 * restores from a checkpoint that holds their timers, which then fire: the outputs equal a
 * failure-free run's.
 */
class IdleKeysITCase {

  @RegisterExtension
  static final MiniClusterExtension CLUSTER =
      new MiniClusterExtension(
          new MiniClusterResourceConfiguration.Builder()
              .setNumberTaskManagers(1)
              .setNumberSlotsPerTaskManager(2)
              .build());

  private static final int RECORDS = 1_500;

  /** Quiet and returning keys send their last record before this one. */
  private static final int QUIET_AFTER = 300;

  /** The returning key's first record after its silence. */
  private static final int RETURN_AT = 1_100;

  /** 4 s of event time: 400 records, since records are 10 ms apart. */
  private static final long TIMEOUT = 4_000;

  /** The failure: after the quiet keys went silent, before their eviction (~700-800). */
  private static final long FAIL_AT = 680;

  private static final String[] KEYS = {
    "steady-0", "steady-1", "steady-2", "steady-3", "quiet-0", "quiet-1", "back-0"
  };

  private static long ts(int i) {
    return 1_000L + 10L * i;
  }

  private static List<TrainingEvent> events() {
    SplittableRandom random = new SplittableRandom(12);
    List<TrainingEvent> events = new ArrayList<>();
    for (int i = 0; i < RECORDS; i++) {
      String key = KEYS[i % KEYS.length];
      boolean quiet = !key.startsWith("steady") && i >= QUIET_AFTER;
      if (quiet && !(key.equals("back-0") && i >= RETURN_AT)) {
        key = KEYS[i % 4];
      }
      double[] x = {random.nextGaussian(), random.nextGaussian(), random.nextGaussian()};
      double z = x[0] * 1.5 - x[1] * 2 + x[2] * 0.5;
      double y = random.nextDouble() < 1 / (1 + Math.exp(-z)) ? 1 : 0;
      events.add(Fixtures.labelled(key, x, y, ts(i), "test:" + i));
    }
    return events;
  }

  private static JobConfig config(Path out) {
    return Fixtures.config(
        "koala-v",
        "koala.model.idle-timeout",
        TIMEOUT + " ms",
        "koala.model.idle-timeout.time",
        "event",
        "koala.output.dir",
        out.toString());
  }

  private static Path run(List<String> lines, Path out, boolean failure) throws Exception {
    Configuration conf = new Configuration();
    conf.setString("pipeline.generic-types", "false");
    conf.setString("execution.checkpointing.interval", "100 ms");
    conf.setString("state.backend.type", "rocksdb");
    conf.setString("restart-strategy.type", "fixed-delay");
    conf.setString("restart-strategy.fixed-delay.attempts", "3");
    conf.setString("restart-strategy.fixed-delay.delay", "20 ms");
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
    env.setParallelism(2);
    JobConfig config = config(out);
    TestLines.FailAt.schedule(failure ? List.of(FAIL_AT) : List.of());
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
    KoalaPipeline.build(decoded, config).sinkTo(KoalaJob.fileSinks(config));
    env.execute("idle-keys" + (failure ? "-failing" : ""));
    return out;
  }

  private static List<ModelSnapshot> snapshotsOf(Path out, String key) throws Exception {
    return JsonOutputReader.readAll(out.resolve("models.jsonl"), JsonOutputReader::snapshot)
        .stream()
        .filter(s -> s.key().equals(key))
        .toList();
  }

  /** A key's latest model of its life: the one with the most examples. */
  private static ModelSnapshot latest(List<ModelSnapshot> snapshots) {
    return snapshots.stream().max(Comparator.comparingLong(ModelSnapshot::examples)).orElseThrow();
  }

  private static long lastTs(List<TrainingEvent> events, String key) {
    return events.stream()
        .filter(e -> e.key().equals(key))
        .mapToLong(TrainingEvent::timestamp)
        .max()
        .orElseThrow();
  }

  private static long count(List<TrainingEvent> events, String key, int from, int to) {
    return events.subList(from, to).stream().filter(e -> e.key().equals(key)).count();
  }

  @Test
  void quietKeysGo_onceEach_aReturningKeyStartsFresh_andAPendingEvictionSurvivesAFailure(
      @TempDir Path tmp) throws Exception {
    List<TrainingEvent> events = events();
    List<String> lines = TestLines.json(events);
    Path clean = run(lines, tmp.resolve("clean"), false);

    for (String key : List.of("quiet-0", "quiet-1")) {
      List<ModelSnapshot> snapshots = snapshotsOf(clean, key);
      ModelSnapshot last = latest(snapshots);
      assertThat(last.examples()).as(key).isEqualTo(count(events, key, 0, RECORDS));
      long silent = lastTs(events, key);
      assertThat(last.ts())
          .as("%s evicted a timeout (and at most a quarter more) after its last event", key)
          .isBetween(silent + TIMEOUT, silent + TIMEOUT + TIMEOUT / 4 + 10);
      assertThat(snapshots).extracting(ModelSnapshot::version).doesNotHaveDuplicates();
    }
    // The returning key's first life ends in a final snapshot with all its examples; its second
    // model holds only what came after its return (a continued one would hold more).
    long before = count(events, "back-0", 0, RETURN_AT);
    long after = count(events, "back-0", RETURN_AT, RECORDS);
    assertThat(snapshotsOf(clean, "back-0"))
        .extracting(ModelSnapshot::examples)
        .contains(before, after)
        .allSatisfy(n -> assertThat(n).isLessThanOrEqualTo(Math.max(before, after)));
    for (int k = 0; k < 4; k++) {
      List<ModelSnapshot> steady = snapshotsOf(clean, "steady-" + k);
      assertThat(steady).extracting(ModelSnapshot::version).doesNotHaveDuplicates();
      assertThat(latest(steady).examples()).isEqualTo(count(events, "steady-" + k, 0, RECORDS));
    }

    Path failing = run(lines, tmp.resolve("failing"), true);
    assertThat(TestLines.FailAt.FAILED).containsExactly(FAIL_AT);
    assertThat(TestLines.FailAt.FIRST_SEEN)
        .as("the second attempt restored from a checkpoint taken while the evictions were pending")
        .hasSize(2)
        .element(1)
        .satisfies(first -> assertThat(first).isBetween((long) QUIET_AFTER, FAIL_AT));
    for (String file : new String[] {"models.jsonl", "metrics.jsonl", "dead-letters.jsonl"}) {
      assertThat(Files.readAllLines(failing.resolve(file)))
          .as(file)
          .containsExactlyInAnyOrderElementsOf(Files.readAllLines(clean.resolve(file)));
    }
  }
}
