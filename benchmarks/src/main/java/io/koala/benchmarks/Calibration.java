package io.koala.benchmarks;

import io.koala.data.DriftingStream;
import io.koala.data.LabelledExample;
import io.koala.evaluation.Replay;
import io.koala.job.JobConfig;
import io.koala.model.Prediction;
import io.koala.state.OptimizerState;
import io.koala.training.Trainer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.configuration.Configuration;

/**
 * Calibration of the answers to prediction requests, prequential (each example asked about before
 * the model trains on it, through {@link Replay}), at the engine's defaults with online
 * standardisation, at batch sizes 1, 8 and 32.
 *
 * <p>Regression: the mean of (y − ŷ)²/variance (1 when calibrated) and the coverage of the central
 * 90 % Gaussian interval ŷ ± 1.645 σ. Classifiers: the expected calibration error of the predicted
 * class's probability (10 equal-width bins, in points of %). "Before" is the answer as it was until
 * the predictive distribution: the delta-method variance p·‖∂ŷ/∂θ‖² at the posterior p, and plug-in
 * probabilities; "after" is {@link Trainer#predict}'s answer.
 *
 * <pre>benchmarks/calibration [path/to/shared/data]</pre>
 */
public final class Calibration {

  private Calibration() {}

  static final int[] BATCH_SIZES = {1, 8, 32};
  static final String[] OPTIMIZERS = {"koala-v", "koala-m", "koala-pp"};
  static final double Z90 = 1.6448536269514722;
  static final int BINS = 10;

  record Stream(String name, List<LabelledExample> examples, String... model) {}

  public static void main(String[] args) throws IOException {
    Path data = Path.of(args.length > 0 ? args[0] : "../shared/data");
    System.out.println("Calibration benchmark: prequential, defaults, standardised; seed 1.");
    regression(
        List.of(
            new Stream(
                "regression, stationary (d = 5, noise σ = 0.1)",
                DriftingStream.regressionJump("r", 1, 20_000, 5),
                linear(5)),
            new Stream(
                "regression jump (d = 5, 1 drift)",
                DriftingStream.regressionJump("r", 1, 20_000, 5, 10_000),
                linear(5))));
    List<Stream> classifiers = new ArrayList<>();
    classifiers.add(
        new Stream(
            "SEA (3 drifts)",
            DriftingStream.sea("s", 1, 20_000, 5_000, 10_000, 15_000),
            logistic(3)));
    classifiers.add(
        new Stream(
            "rotating hyperplane",
            DriftingStream.rotatingHyperplane("h", 1, 20_000, 10, 0.001),
            logistic(10)));
    classifiers.add(
        new Stream(
            "multiclass, 5 classes (1 drift)",
            DriftingStream.multiclass("m", 1, 20_000, 4, 5, 10_000),
            DriftStreams.softmax(4, 5)));
    addCsv(classifiers, data, "weather", logistic(8));
    addCsv(classifiers, data, "outdoor", DriftStreams.softmax(21, 40));
    addCsv(classifiers, data, "keystroke", DriftStreams.softmax(10, 4));
    classification(classifiers);
  }

  private static String[] linear(int features) {
    return new String[] {"koala.model.type", "linear", "koala.model.features", "" + features};
  }

  private static String[] logistic(int features) {
    return new String[] {"koala.model.type", "logistic", "koala.model.features", "" + features};
  }

  private static void addCsv(List<Stream> streams, Path data, String name, String[] model)
      throws IOException {
    Path csv = data.resolve(name + ".csv");
    if (Files.isRegularFile(csv)) {
      streams.add(new Stream(name + " (real)", csv(csv, name), model));
    } else {
      System.out.println("(" + csv + " not found: " + name + " skipped)");
    }
  }

  /** A CSV with a header and the label in the last column (third-party, read, never copied). */
  static List<LabelledExample> csv(Path file, String key) throws IOException {
    List<String> lines = Files.readAllLines(file);
    List<LabelledExample> out = new ArrayList<>();
    for (int i = 1; i < lines.size(); i++) {
      String[] parts = lines.get(i).split(",");
      double[] x = new double[parts.length - 1];
      for (int j = 0; j < x.length; j++) {
        x[j] = Double.parseDouble(parts[j]);
      }
      out.add(new LabelledExample(key, x, Double.parseDouble(parts[x.length]), i - 1, 0));
    }
    return out;
  }

  static Trainer<OptimizerState> trainer(Stream stream, String optimizer) {
    Configuration conf = new Configuration();
    conf.setString("koala.model.standardise", "true");
    conf.setString("koala.optimizer", optimizer);
    for (int i = 0; i + 1 < stream.model().length; i += 2) {
      conf.setString(stream.model()[i], stream.model()[i + 1]);
    }
    return JobConfig.of(conf).trainer();
  }

  /** Sums of (y − ŷ)²/variance and of 90 % coverage, before and after. */
  static final class RegressionScore {
    double ratioBefore;
    double ratioAfter;
    long coveredBefore;
    long coveredAfter;
    long n;

    void add(double squaredError, double before, double after) {
      n++;
      ratioBefore += squaredError / before;
      ratioAfter += squaredError / after;
      coveredBefore += squaredError <= Z90 * Z90 * before ? 1 : 0;
      coveredAfter += squaredError <= Z90 * Z90 * after ? 1 : 0;
    }

    String cells() {
      return String.format(
          "%.3g → %.3g | %.1f → %.1f",
          ratioBefore / n, ratioAfter / n, 100.0 * coveredBefore / n, 100.0 * coveredAfter / n);
    }
  }

  static void regression(List<Stream> streams) {
    for (Stream stream : streams) {
      System.out.println();
      System.out.println(
          "### " + stream.name() + " — mean (y − ŷ)²/variance and 90 % coverage, before → after");
      System.out.println();
      System.out.println("| optimizer | B | mean e²/var | coverage % (90 %) |");
      System.out.println("|---|---:|---|---|");
      for (String optimizer : OPTIMIZERS) {
        Trainer<OptimizerState> trainer = trainer(stream, optimizer);
        for (int b : BATCH_SIZES) {
          RegressionScore score = new RegressionScore();
          Replay.run(
              trainer,
              stream.examples(),
              b,
              (state, batch) -> {
                for (LabelledExample e : batch) {
                  Trainer.Answer a = trainer.predict(state, e.features());
                  double error = e.label() - a.label();
                  double before =
                      a.prediction().variance(trainer.optimizer().covariance(state.optimizer()));
                  score.add(error * error, before, a.variance());
                }
              });
          System.out.println("| " + optimizer + " | " + b + " | " + score.cells() + " |");
        }
      }
    }
  }

  /** Reliability bins of the predicted class's probability. */
  static final class Ece {
    final double[] confidence = new double[BINS];
    final double[] correct = new double[BINS];
    final long[] count = new long[BINS];
    long n;
    long hits;
    double confidenceSum;

    void add(double probability, boolean right) {
      confidenceSum += probability;
      int bin = Math.min(BINS - 1, (int) (probability * BINS));
      confidence[bin] += probability;
      correct[bin] += right ? 1 : 0;
      count[bin]++;
      n++;
      hits += right ? 1 : 0;
    }

    double value() {
      double sum = 0;
      for (int b = 0; b < BINS; b++) {
        sum += Math.abs(correct[b] - confidence[b]);
      }
      return 100.0 * sum / n;
    }
  }

  static void classification(List<Stream> streams) {
    System.out.println();
    System.out.println(
        "### Classifiers — expected calibration error, points of % (10 bins), before → after;"
            + " prequential accuracy % of the answers after, and their mean confidence %,"
            + " before → after");
    System.out.println();
    System.out.println(
        "| stream | optimizer | ECE B=1 | ECE B=8 | ECE B=32 | accuracy (mean confidence) B=1/8/32 |");
    System.out.println("|---|---|---|---|---|---|");
    for (Stream stream : streams) {
      for (String optimizer : OPTIMIZERS) {
        Trainer<OptimizerState> trainer = trainer(stream, optimizer);
        StringBuilder row = new StringBuilder("| " + stream.name() + " | " + optimizer + " |");
        StringBuilder accuracy = new StringBuilder();
        for (int b : BATCH_SIZES) {
          Ece before = new Ece();
          Ece after = new Ece();
          Replay.run(
              trainer,
              stream.examples(),
              b,
              (state, batch) -> {
                for (LabelledExample e : batch) {
                  Trainer.Answer a = trainer.predict(state, e.features());
                  Prediction p = a.prediction();
                  double plugInLabel = trainer.model().predictedLabel(p);
                  double plugIn =
                      p.scores() == null
                          ? Math.max(p.value(), 1 - p.value())
                          : p.scores()[(int) p.value()];
                  double moderated =
                      a.probabilities() == null
                          ? Math.max(a.probability(), 1 - a.probability())
                          : a.probabilities()[(int) a.label()];
                  before.add(plugIn, plugInLabel == e.label());
                  after.add(moderated, a.label() == e.label());
                }
              });
          row.append(String.format(" %.2f → %.2f |", before.value(), after.value()));
          accuracy.append(
              String.format(
                  "%s%.1f (%.1f → %.1f)",
                  accuracy.length() == 0 ? "" : " / ",
                  100.0 * after.hits / after.n,
                  100.0 * before.confidenceSum / before.n,
                  100.0 * after.confidenceSum / after.n));
        }
        System.out.println(row + " " + accuracy + " |");
      }
    }
  }
}
