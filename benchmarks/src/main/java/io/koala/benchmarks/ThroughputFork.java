package io.koala.benchmarks;

import io.koala.connectors.Decoded;
import io.koala.connectors.Example;
import io.koala.connectors.OutputRecord;
import io.koala.connectors.TrainingEvent;
import io.koala.job.JobConfig;
import io.koala.job.KoalaPipeline;
import io.koala.job.TrainerSpec;
import io.koala.job.TrainingSettings;
import io.koala.optimizer.Optimizer;
import io.koala.state.KoalaVState;
import io.koala.state.OptimizerState;
import io.koala.training.Trainer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichMapFunction;
import org.apache.flink.api.common.state.CheckpointListener;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.datagen.source.DataGeneratorSource;
import org.apache.flink.connector.datagen.source.GeneratorFunction;
import org.apache.flink.runtime.checkpoint.AbstractCheckpointStats;
import org.apache.flink.runtime.checkpoint.CheckpointStatsSnapshot;
import org.apache.flink.runtime.checkpoint.CheckpointStatsStatus;
import org.apache.flink.runtime.checkpoint.RestoredCheckpointStats;
import org.apache.flink.runtime.execution.ExecutionState;
import org.apache.flink.runtime.executiongraph.AccessExecutionGraph;
import org.apache.flink.runtime.executiongraph.AccessExecutionVertex;
import org.apache.flink.runtime.jobmaster.JobResult;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.minicluster.MiniClusterConfiguration;
import org.apache.flink.runtime.state.FunctionInitializationContext;
import org.apache.flink.runtime.state.FunctionSnapshotContext;
import org.apache.flink.streaming.api.checkpoint.CheckpointedFunction;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;

/**
 * One measurement of {@link ThroughputHarness}, in its own JVM: a warm-up run, then the measured
 * run of the whole training job on a one-slot MiniCluster, printed as one {@code RESULT} line.
 *
 * <p>With checkpointing on (every 10 s, exactly-once, to {@code target/throughput/checkpoints};
 * incremental on RocksDB) the line carries every completed checkpoint's full and incremental size
 * and duration, read from the job's {@link CheckpointStatsSnapshot}. With {@code restore} one
 * failure is injected after the first checkpoint completed once every key holds a model, and the
 * line carries the time from the failure to every task RUNNING again (Flink reports INITIALIZING
 * while a task restores its state) and to the first batch closed after the restore.
 *
 * <pre>ThroughputFork d keys batchesPerKey backend(heap|rocksdb|heap-nockpt) variant [restore]
 * </pre>
 */
public final class ThroughputFork {

  private ThroughputFork() {}

  /** The batch size of every workload. */
  static final int BATCH = 32;

  /** One measured workload. */
  record Workload(int features, int keys, int batchesPerKey) {
    long events() {
      return (long) keys * batchesPerKey * BATCH;
    }
  }

  /** One completed checkpoint: id, full state bytes, bytes written by it, duration. */
  record Checkpoint(long id, long stateSize, long checkpointedSize, long durationMillis) {}

  // Failure injection and restore timing: the MiniCluster runs in this JVM.
  static volatile long failedAtMillis;
  static volatile long firstBatchAfterRestoreMillis;

  public static void main(String[] args) throws Exception {
    Workload w =
        new Workload(
            Integer.parseInt(args[0]), Integer.parseInt(args[1]), Integer.parseInt(args[2]));
    String backend = args[3];
    String variant = args[4];
    boolean restore = args.length > 5 && args[5].equals("restore");
    Path dir = Path.of("benchmarks/target/throughput").toAbsolutePath();
    Path checkpoints = dir.resolve("checkpoints-" + ProcessHandle.current().pid());
    Configuration conf = clusterConfiguration(backend, checkpoints, restore);
    try (MiniCluster cluster = oneSlotCluster(conf)) {
      cluster.start();
      // Warm-up in this JVM, not measured: the JIT and Flink's first job set-up.
      run(cluster, conf, new Workload(w.features(), 1_000, 10), variant, false);
      Run measured = run(cluster, conf, w, variant, restore);
      StringBuilder line = new StringBuilder("RESULT");
      line.append(" rate=").append(measured.rate());
      for (Checkpoint c : measured.checkpoints()) {
        line.append(" ckpt=")
            .append(c.id())
            .append(':')
            .append(c.stateSize())
            .append(':')
            .append(c.checkpointedSize())
            .append(':')
            .append(c.durationMillis());
      }
      if (restore) {
        line.append(" restoredRunning=").append(measured.restoredRunningMillis());
        line.append(" firstBatch=").append(measured.firstBatchMillis());
        line.append(" restoredFrom=").append(measured.restoredFrom());
      }
      System.out.println(line);
    } finally {
      deleteTree(checkpoints);
    }
  }

  static Configuration clusterConfiguration(String backend, Path checkpoints, boolean restore) {
    Configuration conf = new Configuration();
    conf.setString("pipeline.object-reuse", "true");
    conf.setString("pipeline.generic-types", "false");
    conf.setString("parallelism.default", "1");
    // Loopback only, and a free port for the REST endpoint (the MiniCluster would take 8081).
    conf.setString("rest.bind-address", "127.0.0.1");
    conf.setString("rest.address", "127.0.0.1");
    conf.setString("rest.port", "0");
    conf.setString("jobmanager.bind-host", "127.0.0.1");
    conf.setString("jobmanager.rpc.address", "127.0.0.1");
    conf.setString("taskmanager.bind-host", "127.0.0.1");
    conf.setString("taskmanager.host", "127.0.0.1");
    if (backend.equals("heap-nockpt")) {
      conf.setString("state.backend.type", "hashmap");
    } else {
      conf.setString("state.backend.type", backend.equals("rocksdb") ? "rocksdb" : "hashmap");
      conf.setString("execution.checkpointing.interval", "10 s");
      conf.setString("execution.checkpointing.mode", "EXACTLY_ONCE");
      conf.setString("execution.checkpointing.incremental", "true");
      conf.setString("execution.checkpointing.dir", checkpoints.toUri().toString());
      // RocksDB's block cache and write buffers: managed memory, 128 MB by default on a
      // MiniCluster.
      conf.setString("taskmanager.memory.managed.size", "1g");
      conf.setString("state.backend.rocksdb.localdir", checkpoints.resolve("rocksdb").toString());
    }
    if (restore) {
      conf.setString("restart-strategy.type", "fixed-delay");
      conf.setString("restart-strategy.fixed-delay.attempts", "1");
      conf.setString("restart-strategy.fixed-delay.delay", "0 ms");
    } else {
      conf.setString("restart-strategy.type", "none");
    }
    return conf;
  }

  /** What one run measured. */
  record Run(
      double rate,
      List<Checkpoint> checkpoints,
      long restoredRunningMillis,
      long firstBatchMillis,
      long restoredFrom) {}

  static Run run(MiniCluster cluster, Configuration conf, Workload w, String variant, boolean fail)
      throws Exception {
    failedAtMillis = 0;
    firstBatchAfterRestoreMillis = 0;
    StreamExecutionEnvironment env = new StreamExecutionEnvironment(conf);
    env.setParallelism(1);
    var source =
        new DataGeneratorSource<>(new Events(w), w.events(), TypeInformation.of(Decoded.class));
    DataStream<Decoded> decoded =
        env.fromSource(source, WatermarkStrategy.noWatermarks(), "events");
    if (fail) {
      decoded =
          decoded
              .map(new FailOnce((long) w.keys() * BATCH))
              .returns(TypeInformation.of(Decoded.class))
              .name("fail-once");
    }
    JobConfig config = variantConfig(w.features(), variant);
    KoalaPipeline.build(
            decoded, config, variant.equals("no-op") ? new NoOpTrainers() : TrainerSpec::trainer)
        .sinkTo(
            new KoalaPipeline.Sinks(
                new DiscardingSink<>(),
                new FirstAfterRestore(),
                new DiscardingSink<>(),
                new DiscardingSink<>(),
                new DiscardingSink<>(),
                false));
    JobID job = cluster.submitJob(env.getStreamGraph()).get().getJobID();
    Map<Long, Checkpoint> completed = new TreeMap<>();
    long restoredRunning = 0;
    long restoredFrom = -1;
    while (!cluster.getJobStatus(job).get().isGloballyTerminalState()) {
      AccessExecutionGraph graph = cluster.getExecutionGraph(job).get();
      collect(graph.getCheckpointStatsSnapshot(), completed);
      if (fail && failedAtMillis > 0 && restoredRunning == 0 && allRestoredAndRunning(graph)) {
        restoredRunning = System.currentTimeMillis() - failedAtMillis;
      }
      TimeUnit.MILLISECONDS.sleep(fail ? 20 : 200);
    }
    JobResult result = cluster.requestJobResult(job).get();
    if (!result.isSuccess()) {
      throw new IllegalStateException(
          "job failed", result.getSerializedThrowable().orElseThrow().deserializeError(null));
    }
    CheckpointStatsSnapshot last =
        cluster.getExecutionGraph(job).get().getCheckpointStatsSnapshot();
    collect(last, completed);
    RestoredCheckpointStats restored = last.getLatestRestoredCheckpoint();
    if (restored != null) {
      restoredFrom = restored.getCheckpointId();
    }
    long firstBatch =
        firstBatchAfterRestoreMillis > 0 ? firstBatchAfterRestoreMillis - failedAtMillis : -1;
    double rate = w.events() / (result.getNetRuntime() / 1000.0);
    return new Run(
        rate, new ArrayList<>(completed.values()), restoredRunning, firstBatch, restoredFrom);
  }

  private static void collect(CheckpointStatsSnapshot stats, Map<Long, Checkpoint> into) {
    for (AbstractCheckpointStats c : stats.getHistory().getCheckpoints()) {
      if (c.getStatus() == CheckpointStatsStatus.COMPLETED) {
        into.putIfAbsent(
            c.getCheckpointId(),
            new Checkpoint(
                c.getCheckpointId(),
                c.getStateSize(),
                c.getCheckpointedSize(),
                c.getEndToEndDuration()));
      }
    }
  }

  private static boolean allRestoredAndRunning(AccessExecutionGraph graph) {
    for (AccessExecutionVertex v : graph.getAllExecutionVertices()) {
      if (v.getCurrentExecutionAttempt().getAttemptNumber() == 0
          || v.getExecutionState() != ExecutionState.RUNNING) {
        return false;
      }
    }
    return true;
  }

  /** A MiniCluster of one TaskManager with one slot (not started). */
  static MiniCluster oneSlotCluster(Configuration conf) {
    return new MiniCluster(
        new MiniClusterConfiguration.Builder()
            .setConfiguration(conf)
            .setNumTaskManagers(1)
            .setNumSlotsPerTaskManager(1)
            .build());
  }

  static JobConfig variantConfig(int features, String variant) {
    Configuration conf = new Configuration();
    conf.setString("koala.model.type", "logistic");
    conf.setString("koala.model.features", Integer.toString(features));
    conf.setString("koala.batch.size", Integer.toString(BATCH));
    conf.setString("koala.snapshot.every-batches", "1000");
    switch (variant) {
      case "no-op", "koala-v-stream" -> {
        // The floor's no-op step stands in for one KOALA-V filter: the stream preset's state.
        conf.setString("koala.optimizer", "koala-v");
        conf.setString("koala.optimizer.defaults", "stream");
      }
      case "sgd-lazy", "adam-lazy" -> {
        conf.setString("koala.optimizer", variant.substring(0, variant.indexOf('-')));
        conf.setString("koala.optimizer.lazy", "true");
      }
      default -> conf.setString("koala.optimizer", variant);
    }
    return JobConfig.of(conf);
  }

  /** The configured KOALA-V trainer with the step replaced by a no-op. */
  static final class NoOpTrainers implements TrainingSettings.TrainerFactory {
    private static final long serialVersionUID = 1L;

    @SuppressWarnings({"unchecked", "rawtypes"})
    @Override
    public Trainer<OptimizerState> create(TrainerSpec spec) {
      Trainer<OptimizerState> real = spec.trainer();
      Optimizer<KoalaVState> shape = (Optimizer) real.optimizer();
      return new Trainer<>(real.model(), (Optimizer) new NoOpUpdate(shape), false, 42);
    }
  }

  /**
   * Passes events on; in the first attempt, throws once after a checkpoint taken after {@code
   * threshold} events has completed.
   */
  static final class FailOnce extends RichMapFunction<Decoded, Decoded>
      implements CheckpointedFunction, CheckpointListener {
    private static final long serialVersionUID = 1L;
    private final long threshold;
    private transient long count;
    private transient Map<Long, Long> countAt;
    private transient boolean failNext;
    private transient int attempt;

    FailOnce(long threshold) {
      this.threshold = threshold;
    }

    @Override
    public void open(OpenContext context) {
      attempt = getRuntimeContext().getTaskInfo().getAttemptNumber();
    }

    @Override
    public void initializeState(FunctionInitializationContext context) {
      countAt = new ConcurrentHashMap<>();
    }

    @Override
    public void snapshotState(FunctionSnapshotContext context) {
      countAt.put(context.getCheckpointId(), count);
    }

    @Override
    public void notifyCheckpointComplete(long checkpointId) {
      Long at = countAt.get(checkpointId);
      if (attempt == 0 && at != null && at >= threshold) {
        failNext = true;
      }
    }

    @Override
    public Decoded map(Decoded value) {
      if (failNext) {
        failNext = false;
        failedAtMillis = System.currentTimeMillis();
        throw new IllegalStateException("injected failure (benchmark)");
      }
      count++;
      return value;
    }
  }

  /** Discards; notes when the first closed batch's metrics arrive after a restore. */
  static final class FirstAfterRestore implements Sink<OutputRecord> {
    private static final long serialVersionUID = 1L;

    @Override
    public SinkWriter<OutputRecord> createWriter(WriterInitContext context) {
      boolean restored = context.getTaskInfo().getAttemptNumber() > 0;
      return new SinkWriter<>() {
        @Override
        public void write(OutputRecord element, Context ctx) {
          if (restored && firstBatchAfterRestoreMillis == 0) {
            firstBatchAfterRestoreMillis = System.currentTimeMillis();
          }
        }

        @Override
        public void flush(boolean endOfInput) {}

        @Override
        public void close() {}
      };
    }
  }

  /** Event i: key i mod keys, a feature row from a fixed pool, a label drawn once per row. */
  static final class Events implements GeneratorFunction<Long, Decoded> {
    private static final long serialVersionUID = 1L;
    private final int keys;
    private final int features;
    private transient double[][] rows;
    private transient double[] labels;

    Events(Workload w) {
      this.keys = w.keys();
      this.features = w.features();
    }

    @Override
    public Decoded map(Long i) {
      if (rows == null) {
        SplittableRandom random = new SplittableRandom(7);
        rows = new double[256][];
        labels = new double[256];
        for (int r = 0; r < rows.length; r++) {
          rows[r] = random.doubles(features, -1, 1).toArray();
          labels[r] = rows[r][0] + rows[r][1] > 0 ? 1 : 0;
        }
      }
      int row = (int) ((i / keys) % rows.length);
      return Decoded.of(
          new TrainingEvent.Labelled(
              "k" + (i % keys), new Example(rows[row], labels[row]), i, "gen"));
    }
  }

  private static void deleteTree(Path root) throws IOException {
    if (!Files.exists(root)) {
      return;
    }
    try (var paths = Files.walk(root)) {
      paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }
}
