package io.koala.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.koala.connectors.Decoded;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.connector.source.util.ratelimit.RateLimiterStrategy;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.datagen.source.DataGeneratorSource;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Stop with a savepoint mid-stream, restore at parallelism 1, then 3, then 2: every key's model
 * equals the one of an uninterrupted run, and the outputs hold each line once.
 */
class RescaleITCase {

  @RegisterExtension
  static final MiniClusterExtension CLUSTER =
      new MiniClusterExtension(
          new MiniClusterResourceConfiguration.Builder()
              .setNumberTaskManagers(1)
              .setNumberSlotsPerTaskManager(4)
              .build());

  private static final Duration PATIENCE = Duration.ofMinutes(2);

  /** The index of the last record the source handed on, across restarts. */
  static final AtomicLong PROGRESS = new AtomicLong(-1);

  static final class Progress implements MapFunction<Long, Long> {
    private static final long serialVersionUID = 1L;

    @Override
    public Long map(Long i) {
      PROGRESS.accumulateAndGet(i, Math::max);
      return i;
    }
  }

  private static StreamExecutionEnvironment env(int parallelism, String restoreFrom) {
    Configuration conf = new Configuration();
    conf.setString("pipeline.generic-types", "false");
    conf.setString("execution.checkpointing.interval", "200 ms");
    if (restoreFrom != null) {
      conf.setString("execution.state-recovery.path", restoreFrom);
    }
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
    env.setParallelism(parallelism);
    env.setMaxParallelism(128);
    return env;
  }

  private static void build(
      StreamExecutionEnvironment env, List<String> lines, JobConfig config, double rate) {
    DataStream<Decoded> decoded =
        env.fromSource(
                new DataGeneratorSource<>(
                    i -> i, lines.size(), RateLimiterStrategy.perSecond(rate), Types.LONG),
                WatermarkStrategy.noWatermarks(),
                "lines")
            .uid("lines")
            .setParallelism(1)
            .map(new Progress())
            .uid("progress")
            .setParallelism(1)
            .map(new TestLines.Decode(lines, config))
            .returns(TypeInformation.of(Decoded.class))
            .uid("decode-lines")
            .setParallelism(1);
    KoalaPipeline.build(decoded, config).sinkTo(KoalaJob.fileSinks(config));
  }

  private static JobConfig config(Path out) {
    return Fixtures.config("koala-pp", "koala.output.dir", out.toString());
  }

  /** Runs until the source passed {@code until}, then stops with a savepoint; returns its path. */
  private static String runUntil(
      int parallelism,
      String restoreFrom,
      List<String> lines,
      Path out,
      long until,
      Path savepoints)
      throws Exception {
    StreamExecutionEnvironment env = env(parallelism, restoreFrom);
    build(env, lines, config(out), 1_500);
    JobClient job = env.executeAsync("rescale-p" + parallelism);
    long deadline = System.nanoTime() + PATIENCE.toNanos();
    while (PROGRESS.get() < until) {
      assertThat(System.nanoTime()).as("progress past record %d", until).isLessThan(deadline);
      assertThat(job.getJobStatus().get().isGloballyTerminalState())
          .as("job still running")
          .isFalse();
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
    }
    // A loaded machine lets a stopped job's source run past the next stop's record before it
    // stops, so the restored job can be past it before it is even running: a stop is tried once
    // the job is running, and again while its tasks are still starting.
    while (true) {
      assertThat(System.nanoTime()).as("a stop-with-savepoint accepted").isLessThan(deadline);
      if (job.getJobStatus().get() == org.apache.flink.api.common.JobStatus.RUNNING) {
        try {
          return job.stopWithSavepoint(
                  false, savepoints.toUri().toString(), SavepointFormatType.CANONICAL)
              .get(PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
          if (job.getJobStatus().get().isGloballyTerminalState()) {
            throw e;
          }
          System.out.println("stop-with-savepoint not yet possible: " + e.getCause());
        }
      }
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(100));
    }
  }

  @Test
  void stopAndRestoreAtParallelism1Then3Then2_givesTheModelsOfAnUninterruptedRun(@TempDir Path tmp)
      throws Exception {
    List<String> lines = TestLines.json(Fixtures.stream(41, 8, 250));
    StreamExecutionEnvironment straight = env(2, null);
    build(straight, lines, config(tmp.resolve("straight")), 1e9);
    straight.execute("straight");
    Map<String, double[]> expected =
        TestLines.finalModels(tmp.resolve("straight").resolve("models.jsonl"));

    Path out = tmp.resolve("rescaled");
    Path savepoints = tmp.resolve("savepoints");
    PROGRESS.set(-1);
    String first = runUntil(2, null, lines, out, 300, savepoints);
    String second = runUntil(1, first, lines, out, 700, savepoints);
    String third = runUntil(3, second, lines, out, 1_100, savepoints);
    StreamExecutionEnvironment last = env(2, third);
    build(last, lines, config(out), 1e9);
    last.execute("rescale-p2-final");

    Map<String, double[]> actual = TestLines.finalModels(out.resolve("models.jsonl"));
    assertThat(actual.keySet()).isEqualTo(expected.keySet()).hasSize(8);
    for (String key : expected.keySet()) {
      assertThat(actual.get(key)).as(key).containsExactly(expected.get(key));
    }
    assertThat(java.nio.file.Files.readAllLines(out.resolve("metrics.jsonl")))
        .containsExactlyInAnyOrderElementsOf(
            java.nio.file.Files.readAllLines(tmp.resolve("straight").resolve("metrics.jsonl")));
  }
}
