package io.koala.job.demo;

import io.koala.connectors.TrainingMetrics;
import io.koala.data.LabelledExample;
import io.koala.evaluation.DriftScore;
import io.koala.evaluation.PrequentialSummary;
import io.koala.evaluation.Replay;
import io.koala.evaluation.Trace;
import io.koala.job.JobConfig;
import io.koala.job.KoalaOptions;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.configuration.Configuration;

/**
 * The report's runs and numbers: the job's metrics as per-example traces, in-process replays of the
 * baselines through the same trainer, and their scores from the shared {@link DriftScore}.
 */
final class ReportStats {

  private ReportStats() {}

  static final double[] SGD_RATES = {0.001, 0.003, 0.01, 0.03, 0.1};
  static final double[] ADAM_RATES = {0.001, 0.003, 0.01, 0.03, 0.1};

  /** Examples after a true drift within which an alarm counts as detecting it. */
  static final int DETECTION_WINDOW = 800;

  /** Examples in the "after drift" window and the pre-drift reference window. */
  static final int DRIFT_WINDOW = 400;

  /** Examples in the rolling window of the recovery test. */
  static final int RECOVERY_WINDOW = 200;

  /** The report's windows; recovery checked at every example. */
  static final DriftScore SCORER =
      new DriftScore(DRIFT_WINDOW, RECOVERY_WINDOW, 1, 2 * DRIFT_WINDOW, DETECTION_WINDOW);

  /** Prequential accuracy over every example, after drifts, and recovery (mean, examples). */
  record Stats(
      String name, double accuracy, double afterDrift, double recovery, int notRecovered) {}

  /** A run over every key: each key's per-example trace. */
  record Run(String name, Map<String, Trace> traces) {
    double[] accuracy(String key) {
      return traces.get(key).accuracy();
    }

    Map<String, double[]> accuracy() {
      Map<String, double[]> accuracy = new LinkedHashMap<>();
      traces.forEach((key, trace) -> accuracy.put(key, trace.accuracy()));
      return accuracy;
    }

    Map<String, List<Integer>> alarms() {
      Map<String, List<Integer>> alarms = new LinkedHashMap<>();
      traces.forEach((key, trace) -> alarms.put(key, trace.alarms()));
      return alarms;
    }
  }

  /** The job's run as its metrics tell it, per-batch values spread over the batch's examples. */
  static Run fromMetrics(
      String name, Map<String, List<TrainingMetrics>> metrics, Collection<String> keys) {
    Map<String, Trace> traces = new LinkedHashMap<>();
    for (String key : keys) {
      Trace.Builder trace = Trace.builder();
      for (TrainingMetrics m : metrics.getOrDefault(key, List.of())) {
        trace.batch((int) m.examples(), m.accuracy(), m.loss(), m.drift());
      }
      traces.put(key, trace.build());
    }
    return new Run(name, traces);
  }

  /** Every key's stream through a fresh trainer of {@code config}, in batches of {@code batch}. */
  static Run replay(
      String name, JobConfig config, Map<String, List<LabelledExample>> byKey, int batch) {
    return new Run(name, Replay.run(config.trainer(), byKey, batch));
  }

  /** Examples whose accuracy differs, bit for bit, between the job's run and a replay. */
  static long mismatches(Run job, Run replay) {
    long mismatches = 0;
    for (String key : replay.traces().keySet()) {
      double[] a = job.traces().containsKey(key) ? job.accuracy(key) : null;
      double[] b = replay.accuracy(key);
      for (int i = 0; i < b.length; i++) {
        if (a == null
            || i >= a.length
            || Double.doubleToLongBits(a[i]) != Double.doubleToLongBits(b[i])) {
          mismatches++;
        }
      }
    }
    return mismatches;
  }

  /** The baseline at its best learning rate on this stream (mean accuracy over all keys). */
  static Run best(
      String optimizer,
      double[] rates,
      JobConfig config,
      Map<String, List<LabelledExample>> byKey,
      int batch) {
    Run best = null;
    double bestScore = -1;
    for (double rate : rates) {
      Configuration conf = config.configuration();
      conf.setString(KoalaOptions.OPTIMIZER.key(), optimizer);
      conf.setString(KoalaOptions.LEARNING_RATE.key(), String.valueOf(rate));
      Run run =
          replay(optimizer + " (best of 5 rates: " + rate + ")", JobConfig.of(conf), byKey, batch);
      double score = summary(run, Map.of()).overall();
      if (score > bestScore) {
        bestScore = score;
        best = run;
      }
    }
    return best;
  }

  static PrequentialSummary summary(Run run, Map<String, List<Integer>> drifts) {
    return SCORER.summary(run.accuracy(), drifts);
  }

  static Stats stats(String name, Run run, Map<String, List<Integer>> drifts) {
    PrequentialSummary s = summary(run, drifts);
    return new Stats(name, s.overall(), s.afterDrift(), s.recovery(), s.never());
  }

  static DriftScore.Detection detection(Run run, Map<String, List<Integer>> drifts) {
    return SCORER.detection(run.alarms(), drifts);
  }
}
