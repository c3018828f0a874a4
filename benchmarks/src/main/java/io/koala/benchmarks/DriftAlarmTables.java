package io.koala.benchmarks;

import io.koala.benchmarks.DriftBench.Stream;
import io.koala.data.DriftingStream;
import io.koala.data.LabelledExample;
import io.koala.evaluation.DriftScore;
import io.koala.evaluation.Replay;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The drift benchmark's alarm tables: KOALA-V's drift alarms against true drifts, and on stationary
 * streams.
 */
final class DriftAlarmTables {

  private DriftAlarmTables() {}

  /** A drift costs what the constant-Q model loses: the 500 examples before against 200 after. */
  static final int COST_BEFORE = 500;

  static final int COST_AFTER = 200;
  static final double MIN_COST = 0.05;
  static final int WITHIN = 200;

  /**
   * The drift alarm tables at the defaults, then at a tenth of the designed false-alarm rate (a
   * sensitivity check, not a tuned default).
   */
  static void print() {
    List<String> limits = detectionTable("at its defaults");
    limitTable(limits);
    regressionTable("at its defaults");
    stationaryAlarmTable("at its defaults");
    String[] strict = {"koala.drift.false-alarm-rate", "0.05"};
    detectionTable("with koala.drift.false-alarm-rate 0.05", strict);
    stationaryAlarmTable("with koala.drift.false-alarm-rate 0.05", strict);
  }

  private static String[] koalaV(String... extra) {
    String[] settings = new String[extra.length + 2];
    settings[0] = "koala.optimizer";
    settings[1] = "koala-v";
    System.arraycopy(extra, 0, settings, 2, extra.length);
    return settings;
  }

  /** ln(ARL₀) at the target of one false alarm per 100,000 examples. */
  static final double LOG_ARL = Math.log(1e5);

  /**
   * The detection table; returns, per stream and B, a row of the information limit for the drifts
   * that cost ≥ 5 points (see {@link #limitTable}).
   */
  private static List<String> detectionTable(String label, String... extra) {
    List<String> limits = new java.util.ArrayList<>();
    System.out.println();
    System.out.println("### Drift alarms of KOALA-V " + label + ", against the true drifts");
    System.out.println();
    System.out.println(
        "Multi-key streams, 12 keys × 2,400 examples, two abrupt drifts per key (24 drifts). A "
            + "drift's cost: KOALA-V's accuracy with constant Q over the 500 examples before it "
            + "minus over the 200 after. Found: an alarm within 200 (800) examples after the drift. "
            + "False: an alarm more than 800 examples after every drift before it.");
    System.out.println();
    System.out.println(
        "| stream | B | drifts costing ≥ 5 points | found within 200 | within 800 "
            + "| median delay (examples) | false alarms |");
    System.out.println("|---|---:|---:|---:|---:|---:|---:|");
    String[] logistic3 = {"koala.model.type", "logistic", "koala.model.features", "3"};
    for (String name : new String[] {"linear concept jumps", "SEA"}) {
      List<LabelledExample> all =
          name.equals("SEA")
              ? DriftingStream.multiKeySea(7, 12, 2_400)
              : DriftingStream.multiKeyConcepts(7, 12, 2_400);
      Map<String, List<LabelledExample>> byKey = Replay.byKey(all);
      for (int batch : DriftBench.BATCH_SIZES) {
        int costly = 0;
        int within = 0;
        int within800 = 0;
        int falseAlarms = 0;
        int detectable = 0;
        int foundDetectable = 0;
        List<Integer> delays = new java.util.ArrayList<>();
        List<Double> needed = new java.util.ArrayList<>();
        List<Double> rises = new java.util.ArrayList<>();
        for (List<LabelledExample> examples : byKey.values()) {
          Stream s = new Stream(name, examples, logistic3, false);
          List<LabelledExample> used = examples.subList(0, examples.size() / batch * batch);
          List<Integer> alarms =
              Replay.run(DriftBench.trainer(s, koalaV(extra)), used, batch).alarms();
          double[] constant =
              Replay.run(
                      DriftBench.trainer(
                          s,
                          "koala.optimizer",
                          "koala-v",
                          "koala.optimizer.process-noise.adaptive",
                          "false"),
                      used,
                      batch)
                  .accuracy();
          List<Integer> drifts = s.drifts();
          for (int t : drifts) {
            double cost =
                DriftScore.mean(constant, Math.max(0, t - COST_BEFORE), t)
                    - DriftScore.mean(constant, t, Math.min(constant.length, t + COST_AFTER));
            int first = firstAfter(alarms, t, 800);
            if (cost >= MIN_COST) {
              costly++;
              boolean found = first >= 0 && first - t <= WITHIN;
              // The errors a CUSUM would need (ln ARL₀ / KL(p₁‖p₀)), at the constant-Q model's
              // error rates before (p₀) and after (p₁) the drift, the cost's windows.
              double p0 = 1 - DriftScore.mean(constant, Math.max(0, t - COST_BEFORE), t);
              double p1 =
                  1 - DriftScore.mean(constant, t, Math.min(constant.length, t + COST_AFTER));
              double n = LOG_ARL / divergence(p1, p0);
              needed.add(n);
              rises.add(p1 - p0);
              if (n <= WITHIN) {
                detectable++;
                foundDetectable += found ? 1 : 0;
              }
              within += found ? 1 : 0;
              within800 += first >= 0 ? 1 : 0;
              if (first >= 0) {
                delays.add(first - t);
              }
            }
          }
          for (int alarm : alarms) {
            boolean explained = false;
            for (int t : drifts) {
              explained |= alarm > t && alarm <= t + 800;
            }
            falseAlarms += explained ? 0 : 1;
          }
        }
        delays.sort(Integer::compare);
        System.out.printf(
            "| %s | %d | %d of 24 | %d of %d | %d of %d | %s | %d |%n",
            name,
            batch,
            costly,
            within,
            costly,
            within800,
            costly,
            delays.isEmpty() ? "–" : String.valueOf(delays.get(delays.size() / 2)),
            falseAlarms);
        needed.sort(Double::compare);
        rises.sort(Double::compare);
        limits.add(
            String.format(
                "| %s | %d | %d | %.1f | %.0f | %d of %d | %d of %d (%d of the %d) |",
                name,
                batch,
                costly,
                costly == 0 ? Double.NaN : 100 * rises.get(rises.size() / 2),
                costly == 0 ? Double.NaN : needed.get(needed.size() / 2),
                detectable,
                costly,
                within,
                costly,
                foundDetectable,
                detectable));
      }
    }
    return limits;
  }

  /** KL(p₁‖p₀) of two Bernoulli rates, 0 unless p₁ &gt; p₀. */
  static double divergence(double p1, double p0) {
    if (!(p1 > p0) || p0 <= 0 || p1 >= 1) {
      return p1 > p0 ? Double.POSITIVE_INFINITY : 0.0;
    }
    return p1 * Math.log(p1 / p0) + (1 - p1) * Math.log((1 - p1) / (1 - p0));
  }

  /** What detection within 200 examples at ≤ 1 false alarm per 100,000 requires, drift by drift. */
  private static void limitTable(List<String> rows) {
    System.out.println();
    System.out.println(
        "### The information limit: which costly drifts can be found within 200 examples at all");
    System.out.println();
    System.out.println(
        "Per drift costing ≥ 5 points: p₀, p₁ = the constant-Q model's error rate over the 500 "
            + "examples before and the 200 after. A CUSUM with ARL₀ = 100,000 needs about "
            + "ln(ARL₀)/KL(p₁‖p₀) = 11.5 nats / KL examples to alarm, even knowing p₀ and p₁ "
            + "exactly; detectable in principle: that many ≤ 200.");
    System.out.println();
    System.out.println(
        "| stream | B | costly drifts | median rise p₁ − p₀ (points) "
            + "| median examples needed | detectable within 200 | found within 200 |");
    System.out.println("|---|---:|---:|---:|---:|---:|---:|");
    rows.forEach(System.out::println);
  }

  /** KOALA-V's alarms on regression jumps: 12 seeds, one jump each, every jump costly. */
  private static void regressionTable(String label, String... extra) {
    System.out.println();
    System.out.println("### Drift alarms of KOALA-V " + label + " on regression jumps");
    System.out.println();
    System.out.println(
        "12 seeds × 4,000 examples (d = 5, noise σ = 0.1), the true weights redrawn at example "
            + "2,000 (every jump multiplies the mean squared error many times). Found: an alarm "
            + "within 200 (800) examples after the jump. False: any other alarm.");
    System.out.println();
    System.out.println(
        "| B | found within 200 | within 800 | median delay (examples) | false alarms |");
    System.out.println("|---:|---:|---:|---:|---:|");
    String[] linear5 = {"koala.model.type", "linear", "koala.model.features", "5"};
    for (int batch : DriftBench.BATCH_SIZES) {
      int within = 0;
      int within800 = 0;
      int falseAlarms = 0;
      List<Integer> delays = new java.util.ArrayList<>();
      for (long seed = 1; seed <= 12; seed++) {
        Stream s =
            new Stream(
                "regression jump",
                DriftingStream.regressionJump("r", seed, 4_000, 5, 2_000),
                linear5,
                true);
        List<LabelledExample> used = s.examples().subList(0, s.examples().size() / batch * batch);
        List<Integer> alarms =
            Replay.run(DriftBench.trainer(s, koalaV(extra)), used, batch).alarms();
        int t = s.drifts().get(0);
        int first = firstAfter(alarms, t, 800);
        within += first >= 0 && first - t <= WITHIN ? 1 : 0;
        within800 += first >= 0 ? 1 : 0;
        if (first >= 0) {
          delays.add(first - t);
        }
        for (int alarm : alarms) {
          falseAlarms += alarm > t && alarm <= t + 800 ? 0 : 1;
        }
      }
      delays.sort(Integer::compare);
      System.out.printf(
          "| %d | %d of 12 | %d of 12 | %s | %d |%n",
          batch,
          within,
          within800,
          delays.isEmpty() ? "–" : String.valueOf(delays.get(delays.size() / 2)),
          falseAlarms);
    }
  }

  private static int firstAfter(List<Integer> alarms, int t, int window) {
    for (int a : alarms) {
      if (a > t && a <= t + window) {
        return a;
      }
    }
    return -1;
  }

  /** False alarms of KOALA-V on the project's generators without drift. */
  private static void stationaryAlarmTable(String label, String... extra) {
    System.out.println();
    System.out.println("### False drift alarms on stationary streams, KOALA-V " + label);
    System.out.println();
    System.out.println(
        "The generators without drift, 3 seeds × 100,000 examples; every alarm is false, the "
            + "first ones of a run included. Alarms per 100,000 examples (of 300,000).");
    System.out.println();
    System.out.println("| stream | B=1 | B=8 | B=32 |");
    System.out.println("|---|---:|---:|---:|");
    List<Stream> streams = new java.util.ArrayList<>();
    for (long seed = 5; seed <= 7; seed++) {
      streams.addAll(stationaryStreams(seed));
    }
    Map<String, int[]> counts = new LinkedHashMap<>();
    for (Stream s : streams) {
      int[] c = counts.computeIfAbsent(s.name(), k -> new int[DriftBench.BATCH_SIZES.length]);
      for (int b = 0; b < DriftBench.BATCH_SIZES.length; b++) {
        int batch = DriftBench.BATCH_SIZES[b];
        List<LabelledExample> used = s.examples().subList(0, s.examples().size() / batch * batch);
        c[b] += Replay.run(DriftBench.trainer(s, koalaV(extra)), used, batch).alarms().size();
      }
    }
    counts.forEach(
        (name, c) ->
            System.out.printf(
                "| %s | %.1f | %.1f | %.1f |%n", name, c[0] / 3.0, c[1] / 3.0, c[2] / 3.0));
  }

  private static List<Stream> stationaryStreams(long seed) {
    return List.of(
        new Stream(
            "SEA, no drift (10 % label noise)",
            DriftingStream.sea("s", seed, 100_000),
            new String[] {"koala.model.type", "logistic", "koala.model.features", "3"},
            false),
        new Stream(
            "multiclass, 5 classes, no drift",
            DriftingStream.multiclass("m", seed, 100_000, 4, 5),
            new String[] {
              "koala.model.type", "softmax", "koala.model.features", "4", "koala.model.classes", "5"
            },
            false),
        new Stream(
            "regression, no drift (d = 5, noise σ = 0.1)",
            DriftingStream.regressionJump("r", seed, 100_000, 5),
            new String[] {"koala.model.type", "linear", "koala.model.features", "5"},
            true));
  }
}
