package io.koala.benchmarks;

import io.koala.data.DriftingStream;
import io.koala.data.LabelledExample;
import io.koala.model.Batch;
import io.koala.model.LinearModel;
import io.koala.model.Model;
import io.koala.noise.ProcessNoise;
import io.koala.optimizer.Adam;
import io.koala.optimizer.BlockLayout;
import io.koala.optimizer.KoalaM;
import io.koala.optimizer.KoalaMConfig;
import io.koala.optimizer.KoalaPlusPlus;
import io.koala.optimizer.KoalaPlusPlusConfig;
import io.koala.optimizer.KoalaV;
import io.koala.optimizer.KoalaVConfig;
import io.koala.optimizer.Optimizer;
import io.koala.optimizer.Sgd;
import io.koala.state.OptimizerState;
import io.koala.training.ModelState;
import io.koala.training.Trainer;
import io.koala.training.TrainingOutcome;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * KOALA with default hyperparameters against SGD and Adam tuned over a grid of learning rates,
 * all through the same {@link Trainer} (test-then-train, online standardisation), on drifting
 * streams and batch sizes 1, 8 and 32.
 *
 * <p>Per run: prequential accuracy (loss for regression) over the whole stream; accuracy in the
 * 1,000 examples after each drift; and the examples until the accuracy over the last 500 is back
 * within 1 point of its level in the 1,000 before the drift (mean over drifts; "never" when it
 * does not come back before the next drift).
 *
 * <pre>benchmarks/drift-bench [path/to/weather.csv]</pre>
 */
public final class DriftBench {

  private DriftBench() {}

  static final double[] SGD_RATES = {0.003, 0.01, 0.03, 0.1, 0.3};
  static final double[] ADAM_RATES = {0.0003, 0.001, 0.003, 0.01, 0.03};
  static final int[] BATCH_SIZES = {1, 8, 32};

  /**
   * Candidate stream default under study (issue 5): process noise per example, so that the
   * random walk of the concept accrues per example seen, whatever the batch size.
   */
  static final double Q_PER_EXAMPLE = 0.001;

  /** A stream, its model and its drift points. */
  record Stream(String name, List<LabelledExample> examples, Function<Integer, Model> model,
      long[] drifts, boolean regression) {}

  /** What one run measured. */
  record Result(double score, double afterDrift, double recovery) {}

  public static void main(String[] args) throws IOException {
    List<Stream> streams = new ArrayList<>(List.of(
        new Stream("SEA (abrupt)", DriftingStream.sea("s", 1, 20_000, 5_000, 10_000, 15_000),
            d -> LinearModel.logisticRegression(d), new long[] {5_000, 10_000, 15_000}, false),
        new Stream("rotating hyperplane (gradual)",
            DriftingStream.rotatingHyperplane("h", 1, 20_000, 10, 0.001),
            d -> LinearModel.logisticRegression(d), new long[0], false),
        new Stream("regression jump", DriftingStream.regressionJump("r", 1, 20_000, 5, 10_000),
            d -> LinearModel.linearRegression(d), new long[] {10_000}, true),
        new Stream("multiclass (5 classes)",
            DriftingStream.multiclass("m", 1, 20_000, 4, 5, 10_000),
            d -> LinearModel.softmaxRegression(d, 5), new long[] {10_000}, false)));
    Path weather = Path.of(args.length > 0 ? args[0] : "../shared/data/weather.csv");
    if (Files.isRegularFile(weather)) {
      streams.add(new Stream("weather (real, NOAA)", weather(weather),
          d -> LinearModel.logisticRegression(d), new long[0], false));
    } else {
      System.out.println("(weather.csv not found at " + weather + ": skipped)");
    }
    for (Stream stream : streams) {
      System.out.println();
      System.out.println("### " + stream.name() + (stream.regression()
          ? " — prequential mean squared-error loss (lower is better)"
          : " — prequential accuracy %"));
      System.out.println();
      System.out.println("| optimizer | B=1 | B=8 | B=32 | after drift B=1/8/32 | recovery B=1/8/32 (examples) |");
      System.out.println("|---|---:|---:|---:|---|---|");
      Map<String, Result[]> rows = new LinkedHashMap<>();
      for (String koala : new String[] {"koala-v", "koala-v adaptive-Q", "koala-m",
          "koala-m adaptive-Q", "koala-pp", "koala-pp adaptive-Q", "koala-v adaptive-Q q/example",
          "koala-pp adaptive-Q q/example"}) {
        Result[] r = new Result[BATCH_SIZES.length];
        for (int b = 0; b < BATCH_SIZES.length; b++) {
          r[b] = run(stream, koala, 0, BATCH_SIZES[b]);
        }
        rows.put(koala.endsWith("q/example")
            ? koala.replace(" q/example", "") + ", Q = " + Q_PER_EXAMPLE + " × B (candidate)"
            : koala + " (defaults)", r);
      }
      for (String baseline : new String[] {"sgd", "adam"}) {
        Result[] best = new Result[BATCH_SIZES.length];
        String[] chosen = new String[BATCH_SIZES.length];
        for (int b = 0; b < BATCH_SIZES.length; b++) {
          for (double rate : baseline.equals("sgd") ? SGD_RATES : ADAM_RATES) {
            Result r = run(stream, baseline, rate, BATCH_SIZES[b]);
            if (best[b] == null || better(r, best[b], stream.regression())) {
              best[b] = r;
              chosen[b] = String.valueOf(rate);
            }
          }
        }
        rows.put(baseline + " best of 5 rates (" + String.join("/", chosen) + ")", best);
      }
      rows.forEach((name, r) -> System.out.printf("| %s | %s | %s | %s | %s | %s |%n", name,
          fmt(r[0].score(), stream), fmt(r[1].score(), stream), fmt(r[2].score(), stream),
          stream.drifts().length == 0 ? "–" : fmt(r[0].afterDrift(), stream) + " / "
              + fmt(r[1].afterDrift(), stream) + " / " + fmt(r[2].afterDrift(), stream),
          stream.drifts().length == 0 || stream.regression() ? "–"
              : rec(r[0].recovery()) + " / " + rec(r[1].recovery()) + " / " + rec(r[2].recovery())));
    }
  }

  private static boolean better(Result a, Result b, boolean regression) {
    return regression ? a.score() < b.score() : a.score() > b.score();
  }

  private static String fmt(double v, Stream s) {
    return Double.isNaN(v) ? "diverged" : s.regression() ? String.format("%.4f", v)
        : String.format("%.1f", 100 * v);
  }

  private static String rec(double v) {
    return Double.isNaN(v) ? "never" : String.format("%,.0f", v);
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  static Result run(Stream stream, String variant, double rate, int batchSize) {
    int d = stream.examples().get(0).features().length;
    Model model = stream.model().apply(d);
    BlockLayout layout = model.layerwiseLayout();
    boolean adaptive = variant.contains("adaptive-Q");
    boolean qPerExample = variant.endsWith("q/example");
    Optimizer<?> optimizer = switch (variant.split(" ")[0]) {
      case "koala-v" -> new KoalaV(KoalaVConfig.reference(layout).withProcessNoise(
          processNoise(adaptive, qPerExample ? Q_PER_EXAMPLE : 1.0).withPerExample(qPerExample)));
      case "koala-m" -> new KoalaM(KoalaMConfig.reference(layout)
          .withDriftNoise(adaptive ? ProcessNoise.adaptive(0.0) : ProcessNoise.constant(0.0)));
      case "koala-pp" -> new KoalaPlusPlus(KoalaPlusPlusConfig.reference(layout).withProcessNoise(
          processNoise(adaptive, qPerExample ? Q_PER_EXAMPLE : 0.1).withPerExample(qPerExample)));
      case "sgd" -> new Sgd(new Sgd.Config(layout, rate, 0.0, 0.0));
      case "adam" -> new Adam(Adam.Config.defaults(layout, rate));
      default -> throw new IllegalArgumentException(variant);
    };
    Trainer<OptimizerState> trainer = new Trainer<>(model, (Optimizer) optimizer, true, 42);
    ModelState<OptimizerState> state = trainer.initial();
    List<LabelledExample> examples = stream.examples();
    int n = examples.size() / batchSize * batchSize;
    double[] perExample = new double[n];
    for (int start = 0; start < n; start += batchSize) {
      double[][] x = new double[batchSize][];
      double[] y = new double[batchSize];
      for (int i = 0; i < batchSize; i++) {
        x[i] = examples.get(start + i).features();
        y[i] = examples.get(start + i).label();
      }
      TrainingOutcome<OptimizerState> outcome = trainer.train(state, new Batch(x, y));
      state = outcome.state();
      double value = stream.regression() ? outcome.loss() : outcome.accuracy();
      for (int i = 0; i < batchSize; i++) {
        perExample[start + i] = value;
      }
    }
    double score = mean(perExample, 0, n);
    if (!Double.isFinite(score)) {
      return new Result(Double.NaN, Double.NaN, Double.NaN);
    }
    double after = 0;
    double recovery = 0;
    for (int k = 0; k < stream.drifts().length; k++) {
      int drift = (int) stream.drifts()[k];
      after += mean(perExample, drift, Math.min(n, drift + 1_000)) / stream.drifts().length;
      double before = mean(perExample, Math.max(0, drift - 1_000), drift);
      int end = k + 1 < stream.drifts().length ? (int) stream.drifts()[k + 1] : n;
      double back = Double.NaN;
      for (int i = drift + 500; i <= end; i += batchSize) {
        if (mean(perExample, i - 500, i) >= before - 0.01) {
          back = i - drift;
          break;
        }
      }
      recovery += back / stream.drifts().length;
    }
    return new Result(score, after, recovery);
  }

  private static ProcessNoise processNoise(boolean adaptive, double q) {
    return adaptive ? ProcessNoise.adaptive(q) : ProcessNoise.constant(q);
  }

  private static double mean(double[] values, int from, int to) {
    double sum = 0;
    for (int i = from; i < to; i++) {
      sum += values[i];
    }
    return sum / Math.max(1, to - from);
  }

  /** NOAA weather (third-party, read from ../shared/data, never copied): 8 features, target. */
  static List<LabelledExample> weather(Path csv) throws IOException {
    List<String> lines = Files.readAllLines(csv);
    List<LabelledExample> out = new ArrayList<>();
    for (int i = 1; i < lines.size(); i++) {
      String[] parts = lines.get(i).split(",");
      double[] x = new double[parts.length - 1];
      for (int j = 0; j < x.length; j++) {
        x[j] = Double.parseDouble(parts[j]);
      }
      out.add(new LabelledExample("weather", x, Double.parseDouble(parts[parts.length - 1]), i - 1, 0));
    }
    return out;
  }
}
