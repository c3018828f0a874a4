package io.koala.benchmarks;

import io.koala.connectors.Decoded;
import io.koala.connectors.Example;
import io.koala.connectors.RecordDecoder;
import io.koala.connectors.TrainingEvent;
import io.koala.job.JobConfig;
import io.koala.job.KoalaPipeline;
import io.koala.job.TrainerSpec;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.datagen.source.DataGeneratorSource;
import org.apache.flink.connector.datagen.source.GeneratorFunction;
import org.apache.flink.runtime.jobmaster.JobResult;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;

/**
 * One measurement of {@link SparseThroughput}, in its own JVM: the e-mail stream decoded in memory
 * by the job's own decoder (timed on its own), then the whole training job on a one-slot
 * MiniCluster fed from those decoded rows, printed as one {@code RESULT} line.
 *
 * <pre>SparseFork file d keys events variant</pre>
 */
public final class SparseFork {

  private SparseFork() {}

  /** The decoded e-mails; the generator reads them in this JVM (the MiniCluster runs here). */
  static volatile List<Example> rows;

  /** When the generator made the run's first and last events (System.nanoTime). */
  static volatile long firstEventNanos;

  static volatile long lastEventNanos;

  /** The index of the run's last event. */
  static volatile long lastEvent;

  public static void main(String[] args) throws Exception {
    Path file = Path.of(args[0]);
    int d = Integer.parseInt(args[1]);
    int keys = Integer.parseInt(args[2]);
    long events = Long.parseLong(args[3]);
    String variant = args[4];
    JobConfig config = ThroughputFork.variantConfig(d, variant);
    List<byte[]> lines = new ArrayList<>();
    for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
      if (!line.isBlank()) {
        lines.add(line.getBytes(StandardCharsets.UTF_8));
      }
    }
    RecordDecoder decoder = config.decoder(null);
    List<Example> decoded = decodeAll(decoder, lines);
    // Decode cost alone: one pass to warm the decoder up, then three timed passes.
    long start = System.nanoTime();
    for (int pass = 0; pass < 3; pass++) {
      decodeAll(decoder, lines);
    }
    double decodeNanos = (System.nanoTime() - start) / (3.0 * lines.size());
    long nonZeros = 0;
    for (Example e : decoded) {
      nonZeros += e.features().length;
    }
    rows = decoded;
    Configuration conf = ThroughputFork.clusterConfiguration("heap-nockpt", null, false);
    try (MiniCluster cluster = ThroughputFork.oneSlotCluster(conf)) {
      cluster.start();
      // Warm-up, not measured: the JIT and Flink's first job set-up.
      run(cluster, conf, config, keys, Math.min(events, 20_000), variant);
      double rate = run(cluster, conf, config, keys, events, variant);
      // The input's rate: from the first event made to the last, before the end of the input
      // trains every key's last open batch and writes its final snapshot (at d = 2^18 a JSON line
      // of 262,145 numbers per key). The source runs ahead of the trainer by at most the
      // network buffers, a few thousand events of the 100,000.
      double inputRate = (events - 1) / ((lastEventNanos - firstEventNanos) / 1e9);
      System.out.printf(
          "RESULT rate=%s inputRate=%s decodeNanos=%d nonZeros=%d rows=%d%n",
          rate, inputRate, Math.round(decodeNanos), nonZeros / decoded.size(), decoded.size());
    }
  }

  private static List<Example> decodeAll(RecordDecoder decoder, List<byte[]> lines) {
    List<Example> out = new ArrayList<>(lines.size());
    for (int i = 0; i < lines.size(); i++) {
      Decoded result = decoder.decode(lines.get(i), "spam:" + i, null);
      if (!(result.event() instanceof TrainingEvent.Labelled labelled)) {
        throw new IllegalStateException("line " + (i + 1) + " did not decode to an example");
      }
      out.add(labelled.example());
    }
    return out;
  }

  private static double run(
      MiniCluster cluster,
      Configuration conf,
      JobConfig config,
      int keys,
      long events,
      String variant)
      throws Exception {
    lastEvent = events - 1;
    StreamExecutionEnvironment env = new StreamExecutionEnvironment(conf);
    env.setParallelism(1);
    var source =
        new DataGeneratorSource<>(new Emails(keys), events, TypeInformation.of(Decoded.class));
    KoalaPipeline.build(
            env.fromSource(source, WatermarkStrategy.noWatermarks(), "emails"),
            config,
            variant.equals("no-op") ? new ThroughputFork.NoOpTrainers() : TrainerSpec::trainer)
        .sinkTo(
            new KoalaPipeline.Sinks(
                new DiscardingSink<>(),
                new DiscardingSink<>(),
                new DiscardingSink<>(),
                new DiscardingSink<>(),
                new DiscardingSink<>(),
                false));
    JobID job = cluster.submitJob(env.getStreamGraph()).get().getJobID();
    while (!cluster.getJobStatus(job).get().isGloballyTerminalState()) {
      TimeUnit.MILLISECONDS.sleep(100);
    }
    JobResult result = cluster.requestJobResult(job).get();
    if (!result.isSuccess()) {
      throw new IllegalStateException(
          "job failed", result.getSerializedThrowable().orElseThrow().deserializeError(null));
    }
    return events / (result.getNetRuntime() / 1000.0);
  }

  /** Event i: key i mod keys, the e-mails in arrival order, again and again. */
  static final class Emails implements GeneratorFunction<Long, Decoded> {
    private static final long serialVersionUID = 1L;
    private final int keys;

    Emails(int keys) {
      this.keys = keys;
    }

    @Override
    public Decoded map(Long i) {
      if (i == 0) {
        firstEventNanos = System.nanoTime();
      } else if (i == lastEvent) {
        lastEventNanos = System.nanoTime();
      }
      List<Example> pool = rows;
      return Decoded.of(
          new TrainingEvent.Labelled(
              "k" + (i % keys), pool.get((int) (i % pool.size())), i, "spam"));
    }
  }
}
