package io.koala.benchmarks;

import io.koala.data.LabelledExample;
import io.koala.evaluation.DriftScore;
import io.koala.evaluation.PrequentialSummary;
import io.koala.evaluation.Replay;
import io.koala.evaluation.Trace;
import io.koala.job.JobConfig;
import io.koala.state.OptimizerState;
import io.koala.training.Trainer;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.configuration.Configuration;

/**
 * KOALA with default hyperparameters against SGD and Adam tuned over a grid of learning rates, all
 * through the job's own configuration ({@link JobConfig}) and {@link Trainer} (test-then-train,
 * online standardisation), on drifting streams at batch sizes 1, 8 and 32.
 *
 * <p>Per run: prequential accuracy (loss for regression) over the whole stream; on the stationary
 * stretches (every example except the 2,000 after each drift); in the 1,000 examples after each
 * drift; and the examples until the accuracy over the last 500 is back within 1 point of its level
 * in the 1,000 before the drift (mean over the drifts it recovers from; how many it never recovers
 * from before the next drift is counted). Then the drift alarms of KOALA-V's defaults against the
 * true drifts, on multi-key streams.
 *
 * <pre>benchmarks/drift-bench [path/to/weather.csv]</pre>
 */
public final class DriftBench {

  private DriftBench() {}

  static final double[] SGD_RATES = {0.003, 0.01, 0.03, 0.1, 0.3, 1.0};
  static final double[] ADAM_RATES = {0.0003, 0.001, 0.003, 0.01, 0.03, 0.1};
  static final int[] BATCH_SIZES = {1, 8, 32};
  static final int AFTER = 1_000;
  static final int UNSETTLED = 2_000;
  static final int SPAM_DIMENSION = 1 << 10;
  static final String DEFAULT_ROW = "**koala-v, defaults (auto: a race over Q_k)**";
  static final String STREAM_ROW = "koala-v, `stream` (the previous default: adaptive Q_k)";
  static final String REFERENCE_ROW = "koala-v, the paper's reference defaults";
  static final String MLP_ROW = "koala-v, MLP (hidden 16) at the defaults";

  /** A stream, its model settings and its drift points (found from the examples' concepts). */
  record Stream(String name, List<LabelledExample> examples, String[] model, boolean regression) {
    List<Integer> drifts() {
      return DriftScore.trueDrifts(examples);
    }
  }

  /** What one run measured (NaN where it does not apply or the run diverged). */
  record Result(double score, double stationary, double afterDrift, double recovery, int never) {
    static Result of(PrequentialSummary s) {
      return new Result(s.overall(), s.stationary(), s.afterDrift(), s.recovery(), s.never());
    }
  }

  /** A row of a table: a name and how to configure the optimizer. */
  record Variant(String name, String... settings) {}

  /** {@code benchmarks/drift-bench --alarms}: only the drift alarm tables. */
  public static void main(String[] args) throws IOException {
    if (args.length > 0 && args[0].equals("--alarms")) {
      DriftAlarmTables.print();
      return;
    }
    System.out.println(
        "Drift benchmark: prequential, test-then-train, online standardisation; "
            + "seed 1; 20,000 examples per stream (weather: all of it).");
    for (Stream stream : DriftStreams.streams(args)) {
      table(stream);
    }
    DriftAlarmTables.print();
  }

  private static void table(Stream stream) {
    boolean drifts = !stream.drifts().isEmpty();
    System.out.println();
    System.out.println(
        "### "
            + stream.name()
            + (stream.regression()
                ? " — prequential mean squared-error loss (lower is better)"
                : " — prequential accuracy %"));
    System.out.println();
    System.out.println(
        "| optimizer | B=1 | B=8 | B=32 | stationary B=1/8/32 | after drift B=1/8/32 "
            + "| recovery B=1/8/32 (examples; never) |");
    System.out.println("|---|---:|---:|---:|---|---|---|");
    Map<String, Result[]> rows = new LinkedHashMap<>();
    List<Variant> variants =
        new java.util.ArrayList<>(
            List.of(
                new Variant(DEFAULT_ROW, "koala.optimizer", "koala-v"),
                new Variant(
                    STREAM_ROW, "koala.optimizer", "koala-v", "koala.optimizer.defaults", "stream"),
                new Variant(
                    REFERENCE_ROW,
                    "koala.optimizer",
                    "koala-v",
                    "koala.optimizer.defaults",
                    "reference"),
                new Variant("koala-m, defaults (auto)", "koala.optimizer", "koala-m"),
                new Variant(
                    "koala-m, `stream`",
                    "koala.optimizer",
                    "koala-m",
                    "koala.optimizer.defaults",
                    "stream"),
                new Variant("koala-pp, defaults (auto)", "koala.optimizer", "koala-pp"),
                new Variant(
                    "koala-pp, `stream`",
                    "koala.optimizer",
                    "koala-pp",
                    "koala.optimizer.defaults",
                    "stream")));
    if (stream.name().startsWith("weather") || stream.name().startsWith("outdoor")) {
      // The bar for the MLP: at its defaults at least the linear model at its defaults.
      variants.add(
          new Variant(
              MLP_ROW,
              "koala.optimizer",
              "koala-v",
              "koala.model.type",
              "mlp",
              "koala.model.head",
              stream.name().startsWith("outdoor") ? "softmax" : "logistic"));
    }
    for (Variant v : variants) {
      Result[] r = new Result[BATCH_SIZES.length];
      for (int b = 0; b < BATCH_SIZES.length; b++) {
        r[b] = run(stream, BATCH_SIZES[b], v.settings());
      }
      rows.put(v.name(), r);
    }
    Result[] bestOfAll = new Result[BATCH_SIZES.length];
    for (String row : new String[] {"sgd", "sgd, momentum 0.9", "adam"}) {
      String baseline = row.startsWith("sgd") ? "sgd" : "adam";
      String momentum = row.endsWith("0.9") ? "0.9" : "0";
      Result[] best = new Result[BATCH_SIZES.length];
      String[] chosen = new String[BATCH_SIZES.length];
      double[] rates = baseline.equals("sgd") ? SGD_RATES : ADAM_RATES;
      for (int b = 0; b < BATCH_SIZES.length; b++) {
        for (double rate : rates) {
          Result r =
              run(
                  stream,
                  BATCH_SIZES[b],
                  "koala.optimizer",
                  baseline,
                  "koala.optimizer.learning-rate",
                  String.valueOf(rate),
                  "koala.optimizer.momentum",
                  momentum);
          if (best[b] == null || better(r, best[b], stream.regression())) {
            best[b] = r;
            chosen[b] = String.valueOf(rate);
          }
        }
        if (bestOfAll[b] == null || better(best[b], bestOfAll[b], stream.regression())) {
          bestOfAll[b] = best[b];
        }
      }
      rows.put(
          row + ", best of " + rates.length + " rates (" + String.join(" / ", chosen) + ")", best);
    }
    rows.forEach(
        (name, r) ->
            System.out.printf(
                "| %s | %s | %s | %s | %s | %s | %s |%n",
                name,
                fmt(r[0].score(), stream),
                fmt(r[1].score(), stream),
                fmt(r[2].score(), stream),
                triple(r, Result::stationary, stream),
                drifts ? triple(r, Result::afterDrift, stream) : "–",
                drifts && !stream.regression() ? recoveries(r) : "–"));
    Result[] koala = rows.get(DEFAULT_ROW);
    Result[] bar = bestOfAll.clone();
    for (String row : new String[] {STREAM_ROW, REFERENCE_ROW}) {
      for (int b = 0; b < BATCH_SIZES.length; b++) {
        if (better(rows.get(row)[b], bar[b], stream.regression())) {
          bar[b] = rows.get(row)[b];
        }
      }
    }
    StringBuilder gap =
        new StringBuilder(
            "\nKOALA-V at its defaults against the best of the tuned baselines, `stream` and"
                + " `reference`: ");
    for (int b = 0; b < BATCH_SIZES.length; b++) {
      gap.append(
          String.format(
              "%sB=%d %s",
              b == 0 ? "" : ", ",
              BATCH_SIZES[b],
              stream.regression()
                  ? String.format("%.2f× the loss", koala[b].score() / bar[b].score())
                  : String.format("%+.1f points", 100 * (koala[b].score() - bar[b].score()))));
    }
    System.out.println(gap.append('.'));
    if (drifts && !stream.regression()) {
      Result[] adam =
          rows.entrySet().stream()
              .filter(e -> e.getKey().startsWith("adam"))
              .findFirst()
              .orElseThrow()
              .getValue();
      StringBuilder rec =
          new StringBuilder("Recovery after a drift, defaults against the tuned Adam: ");
      for (int b = 0; b < BATCH_SIZES.length; b++) {
        rec.append(
            String.format(
                "%sB=%d %s", b == 0 ? "" : ", ", BATCH_SIZES[b], speedup(adam[b], koala[b])));
      }
      System.out.println(rec.append('.'));
    }
  }

  /**
   * How much faster {@code fast} recovers than {@code slow} (drifts never recovered count as the
   * stretch to the next drift).
   */
  private static String speedup(Result slow, Result fast) {
    if (Double.isNaN(slow.recovery()) || Double.isNaN(fast.recovery())) {
      return "n/a";
    }
    return String.format(
        "%.1f× faster%s",
        slow.recovery() / fast.recovery(),
        slow.never() + fast.never() > 0
            ? " (never: " + fast.never() + " defaults, " + slow.never() + " Adam)"
            : "");
  }

  private static boolean better(Result a, Result b, boolean regression) {
    if (Double.isNaN(a.score())) {
      return false;
    }
    if (Double.isNaN(b.score())) {
      return true;
    }
    return regression ? a.score() < b.score() : a.score() > b.score();
  }

  private static String fmt(double v, Stream s) {
    return Double.isNaN(v)
        ? "diverged"
        : s.regression() ? String.format("%.4f", v) : String.format("%.1f", 100 * v);
  }

  private static String triple(
      Result[] r, java.util.function.ToDoubleFunction<Result> f, Stream s) {
    return fmt(f.applyAsDouble(r[0]), s)
        + " / "
        + fmt(f.applyAsDouble(r[1]), s)
        + " / "
        + fmt(f.applyAsDouble(r[2]), s);
  }

  private static String recoveries(Result[] r) {
    StringBuilder sb = new StringBuilder();
    for (int b = 0; b < r.length; b++) {
      sb.append(b == 0 ? "" : " / ")
          .append(Double.isNaN(r[b].recovery()) ? "–" : String.format("%,.0f", r[b].recovery()));
      if (r[b].never() > 0) {
        sb.append(" (").append(r[b].never()).append(" never)");
      }
    }
    return sb.toString();
  }

  /** The trainer the job would build from these settings (on top of the stream's model). */
  static Trainer<OptimizerState> trainer(Stream stream, String... settings) {
    Configuration conf = new Configuration();
    conf.setString("koala.model.standardise", "true");
    for (int i = 0; i + 1 < stream.model().length; i += 2) {
      conf.setString(stream.model()[i], stream.model()[i + 1]);
    }
    for (int i = 0; i + 1 < settings.length; i += 2) {
      conf.setString(settings[i], settings[i + 1]);
    }
    return JobConfig.of(conf).trainer();
  }

  /** One prequential run; per-example values (each example gets its batch's value). */
  static double[] trace(Stream stream, int batchSize, String... settings) {
    List<LabelledExample> examples = stream.examples();
    Trace trace =
        Replay.run(
            trainer(stream, settings),
            examples.subList(0, examples.size() / batchSize * batchSize),
            batchSize);
    return stream.regression() ? trace.loss() : trace.accuracy();
  }

  /** The drift windows of these tables: recovery checked once a batch. */
  static DriftScore scorer(int batchSize) {
    return new DriftScore(AFTER, 500, batchSize, UNSETTLED, 800);
  }

  static Result run(Stream stream, int batchSize, String... settings) {
    return Result.of(
        scorer(batchSize)
            .summary(
                Map.of(stream.name(), trace(stream, batchSize, settings)),
                Map.of(stream.name(), stream.drifts())));
  }
}
