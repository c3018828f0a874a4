package io.koala.benchmarks;

import io.koala.job.JobConfig;
import io.koala.model.Batch;
import io.koala.state.ModelState;
import io.koala.state.OptimizerState;
import io.koala.state.PendingRow;
import io.koala.state.PendingRowSerializer;
import io.koala.training.Trainer;
import java.util.SplittableRandom;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.memory.DataOutputSerializer;

/**
 * Serialized bytes of one key's model state for every optimizer, preset and model at d = 10, 100
 * and 10,000, after three batches (so every optional part a trained key carries is there), beside
 * the state-sizing formula of benchmarks/README.md; and the bytes of one pending row.
 *
 * <pre>benchmarks/state-sizes</pre>
 */
public final class StateSizes {

  private StateSizes() {}

  static final String[] OPTIMIZERS = {"koala-v", "koala-m", "koala-pp", "sgd", "adam"};
  static final String[] MODELS = {"linear", "logistic", "softmax", "mlp"};

  public static void main(String[] args) throws Exception {
    System.out.println(
        "| optimizer | preset | model | d | parameters P | serialized bytes | formula | difference |");
    System.out.println("|---|---|---|---:|---:|---:|---:|---:|");
    for (String optimizer : OPTIMIZERS) {
      boolean koala = optimizer.startsWith("koala");
      for (String preset : koala ? new String[] {"auto", "stream"} : new String[] {"stream"}) {
        for (String model : MODELS) {
          for (int d : new int[] {10, 100, 10_000}) {
            JobConfig config = config(optimizer, preset, model, d);
            Trainer<OptimizerState> trainer = config.trainer();
            ModelState<OptimizerState> state = trainer.initial();
            SplittableRandom random = new SplittableRandom(3);
            for (int b = 0; b < 3; b++) {
              state = trainer.train(state, batch(random, d, model)).state();
            }
            DataOutputSerializer out = new DataOutputSerializer(1 << 16);
            config.stateSerializer().serialize(state, out);
            int p = trainer.model().parameterCount();
            long formula = formula(optimizer, preset, model, p);
            System.out.printf(
                "| %s | %s | %s | %,d | %,d | %,d | %,d | %+d |%n",
                optimizer, preset, model, d, p, out.length(), formula, out.length() - formula);
          }
        }
      }
    }
    for (int d : new int[] {10, 100, 10_000}) {
      DataOutputSerializer out = new DataOutputSerializer(1 << 16);
      PendingRowSerializer.INSTANCE.serialize(new PendingRow(new double[d], 1.0), out);
      System.out.printf(
          "pending row at d = %,d, no origin: %,d bytes (formula 8d + 26)%n", d, out.length());
    }
  }

  /** The README's formula: bytes of one key's model state. */
  static long formula(String optimizer, String preset, String model, int p) {
    boolean koala = optimizer.startsWith("koala");
    boolean classifier = !model.equals("linear");
    // ModelState: four flags and counters (19 B); KOALA's residual moments (5 doubles) and, for a
    // classifier, its logit-scale evidence (a weight and an array of 8 doubles).
    long wrapper = 19 + (koala ? 40 + (classifier ? 8 + 4 + 8 * 8 : 0) : 0);
    long drift = 13 * 8 + 1;
    // Covariance blocks (layerwise): a weight matrix and a bias per layer.
    long blocks = model.equals("mlp") ? 4 : 2;
    long member =
        switch (optimizer) {
          // step, θ, covariance, R, drift, tuner flag (no tuner under either preset)
          case "koala-v" -> 8 + (4 + 8L * p) + 16 + drift + 1;
          // step, θ, velocity, average, 5 doubles, drift
          case "koala-m" -> 8 + 3 * (4 + 8L * p) + 40 + drift;
          // step, θ, covariance row, previous gradient, innovation variance and previous Q per
          // block, R, drift
          case "koala-pp" -> 8 + 3 * (4 + 8L * p) + 2 * (4 + 8 * blocks) + 8 + drift;
          case "sgd" -> 8 + 2 * (4 + 8L * p);
          case "adam" -> 8 + 3 * (4 + 8L * p);
          default -> throw new IllegalArgumentException(optimizer);
        };
    if (preset.equals("auto") && koala) {
      // RaceState: step, centre, leader, three members, evidence (4 per outer member).
      return wrapper + 8 + 4 + 4 + 3 * member + 4 + 8 * 8;
    }
    return wrapper + member;
  }

  static Batch batch(SplittableRandom random, int d, String model) {
    double[][] x = new double[32][];
    double[] y = new double[32];
    for (int i = 0; i < 32; i++) {
      x[i] = random.doubles(d, -1, 1).toArray();
      y[i] =
          switch (model) {
            case "linear" -> x[i][0] + 0.1 * random.nextGaussian();
            case "softmax" -> random.nextInt(3);
            default -> x[i][0] > 0 ? 1 : 0;
          };
    }
    return new Batch(x, y);
  }

  static JobConfig config(String optimizer, String preset, String model, int d) {
    Configuration conf = new Configuration();
    conf.setString("koala.model.type", model);
    conf.setString("koala.model.features", Integer.toString(d));
    if (model.equals("softmax")) {
      conf.setString("koala.model.classes", "3");
    }
    conf.setString("koala.optimizer", optimizer);
    conf.setString("koala.optimizer.defaults", preset);
    conf.setString("koala.batch.size", "32");
    return JobConfig.of(conf);
  }
}
