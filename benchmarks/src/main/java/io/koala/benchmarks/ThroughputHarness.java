package io.koala.benchmarks;

import io.koala.connectors.Decoded;
import io.koala.connectors.Example;
import io.koala.connectors.TrainingEvent;
import io.koala.job.JobConfig;
import io.koala.job.KoalaPipeline;
import io.koala.job.TrainerSpec;
import io.koala.job.TrainingSettings;
import io.koala.optimizer.Optimizer;
import io.koala.state.KoalaVState;
import io.koala.state.ModelState;
import io.koala.state.OptimizerState;
import io.koala.training.Trainer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.datagen.source.DataGeneratorSource;
import org.apache.flink.connector.datagen.source.GeneratorFunction;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;

/**
 * Throughput of the whole training job on one core: in-memory events, parallelism 1, heap state,
 * batches of 32, logistic regression; KOALA-V, KOALA++ and SGD beside the same job with a no-op
 * update (the Flink floor), in rotation, so every ratio compares runs made minutes apart at most.
 *
 * <pre>benchmarks/throughput [rounds]</pre>
 */
public final class ThroughputHarness {

  private ThroughputHarness() {}

  /** One workload: dimension, keys, and batches per key. */
  record Workload(int features, int keys, int batchesPerKey) {
    long events() {
      return (long) keys * batchesPerKey * 32;
    }
  }

  static final String[] VARIANTS = {"no-op", "koala-v", "koala-pp", "sgd"};

  public static void main(String[] args) throws Exception {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 3;
    List<Workload> workloads =
        List.of(
            new Workload(100, 1_000, 40),
            new Workload(10_000, 1_000, 4),
            new Workload(100, 100_000, 2));
    System.out.println(
        "| d | keys | events | variant | events/s (median of "
            + rounds
            + ") | × no-op floor (median of per-round ratios) | per-round ratios |");
    System.out.println("|---:|---:|---:|---|---:|---:|---|");
    // Warm-up, not measured: the JIT and Flink's first job set-up would bias the first variant.
    for (String variant : VARIANTS) {
      run(new Workload(100, 1_000, 10), variant);
    }
    for (Workload w : workloads) {
      Map<String, List<Double>> rates = new LinkedHashMap<>();
      Map<String, List<Double>> ratios = new LinkedHashMap<>();
      for (int round = 0; round < rounds; round++) {
        Map<String, Double> measured = new LinkedHashMap<>();
        for (int v = 0; v < VARIANTS.length; v++) {
          // Rotate the order every round, so no variant always runs first or last.
          String variant = VARIANTS[(v + round) % VARIANTS.length];
          measured.put(variant, run(w, variant));
        }
        double floor = measured.get("no-op");
        for (String variant : VARIANTS) {
          rates.computeIfAbsent(variant, x -> new ArrayList<>()).add(measured.get(variant));
          ratios
              .computeIfAbsent(variant, x -> new ArrayList<>())
              .add(measured.get(variant) / floor);
        }
      }
      for (String variant : VARIANTS) {
        System.out.printf(
            "| %,d | %,d | %,d | %s | %,.0f | %.2f | %s |%n",
            w.features(),
            w.keys(),
            w.events(),
            variant,
            median(rates.get(variant)),
            median(ratios.get(variant)),
            ratios.get(variant).stream()
                .map(r -> String.format("%.2f", r))
                .collect(java.util.stream.Collectors.joining(" ")));
      }
    }
    for (int d : new int[] {100, 10_000}) {
      JobConfig config = config(d);
      ModelState<OptimizerState> state = config.trainer().initial();
      DataOutputSerializer out = new DataOutputSerializer(8 * d + 256);
      config.stateSerializer().serialize(state, out);
      System.out.printf(
          "KOALA-V model state per key at d = %,d: %,d bytes serialized for %,d "
              + "parameter bytes (limit 5 %% + 128 B = %,d)%n",
          d, out.length(), 8 * (d + 1), (int) (1.05 * 8 * (d + 1)) + 128);
    }
  }

  /** The median (upper median for an even count). */
  static double median(List<Double> values) {
    double[] sorted = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    return sorted[sorted.length / 2];
  }

  static JobConfig config(int features) {
    Configuration conf = new Configuration();
    conf.setString("koala.model.type", "logistic");
    conf.setString("koala.model.features", Integer.toString(features));
    conf.setString("koala.optimizer", "koala-v");
    conf.setString("koala.batch.size", "32");
    conf.setString("koala.snapshot.every-batches", "1000");
    return JobConfig.of(conf);
  }

  /** Examples per second through the whole job. */
  static double run(Workload w, String variant) throws Exception {
    Configuration conf = new Configuration();
    conf.setString("state.backend.type", "hashmap");
    conf.setString("pipeline.object-reuse", "true");
    conf.setString("pipeline.generic-types", "false");
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
    env.setParallelism(1);
    JobConfig config = variantConfig(w.features(), variant);
    var source =
        new DataGeneratorSource<>(new Events(w), w.events(), TypeInformation.of(Decoded.class));
    var decoded = env.fromSource(source, WatermarkStrategy.noWatermarks(), "events");
    KoalaPipeline.build(
            decoded, config, variant.equals("no-op") ? new NoOpTrainers() : TrainerSpec::trainer)
        .sinkTo(
            new KoalaPipeline.Sinks(
                new DiscardingSink<>(),
                new DiscardingSink<>(),
                new DiscardingSink<>(),
                new DiscardingSink<>(),
                new DiscardingSink<>(),
                false));
    JobExecutionResult result = env.execute("throughput-" + variant);
    return w.events() / (result.getNetRuntime() / 1000.0);
  }

  private static JobConfig variantConfig(int features, String variant) {
    if (variant.equals("no-op")) {
      return config(features);
    }
    Configuration conf = config(features).configuration();
    conf.setString("koala.optimizer", variant);
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
}
