package io.koala.evaluation;

import io.koala.data.LabelledExample;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The drift scorer of the demo's report, the drift benchmark and the tests: per-example prequential
 * values (each example holds its batch's accuracy or loss) and drift alarms scored against known
 * drift points.
 *
 * @param after examples in the window after a drift, and in the reference window before it
 * @param recoveryWindow examples in the rolling window of the recovery test
 * @param recoveryStep how often (in examples) the recovery test is checked
 * @param unsettled examples after a drift left out of the stationary mean
 * @param detection examples after a drift within which an alarm detects it
 */
public record DriftScore(
    int after, int recoveryWindow, int recoveryStep, int unsettled, int detection) {

  /** The alarms against the true drift points; the median delay is NaN when none was detected. */
  public record Detection(int trueDrifts, int detected, int falseAlarms, double medianDelay) {}

  /**
   * The prequential summary over every key of {@code values}: drift measures over the drift points
   * of {@code drifts} (keys missing there have none). All NaN (never 0) when the overall mean is
   * not finite: the run diverged.
   */
  public PrequentialSummary summary(
      Map<String, double[]> values, Map<String, List<Integer>> drifts) {
    double sum = 0;
    long n = 0;
    double stationarySum = 0;
    long stationaryCount = 0;
    for (var e : values.entrySet()) {
      List<Integer> points = drifts.getOrDefault(e.getKey(), List.of());
      double[] v = e.getValue();
      for (int i = 0; i < v.length; i++) {
        sum += v[i];
        n++;
        boolean settled = true;
        for (int d : points) {
          settled &= !(i >= d && i < d + unsettled);
        }
        if (settled) {
          stationarySum += v[i];
          stationaryCount++;
        }
      }
    }
    double overall = sum / Math.max(1, n);
    if (!Double.isFinite(overall)) {
      return new PrequentialSummary(Double.NaN, Double.NaN, Double.NaN, Double.NaN, 0);
    }
    double afterSum = 0;
    int count = 0;
    double recovery = 0;
    int recovered = 0;
    int never = 0;
    for (var e : drifts.entrySet()) {
      double[] v = values.get(e.getKey());
      List<Integer> points = e.getValue();
      for (int k = 0; k < points.size(); k++) {
        int t = points.get(k);
        int end = k + 1 < points.size() ? points.get(k + 1) : v.length;
        afterSum += mean(v, t, t + after);
        count++;
        int back = recovery(v, t, end, recoveryWindow, recoveryStep, mean(v, t - after, t));
        if (back >= 0) {
          recovery += back;
          recovered++;
        } else {
          never++;
        }
      }
    }
    return new PrequentialSummary(
        overall,
        stationarySum / Math.max(1, stationaryCount),
        count == 0 ? Double.NaN : afterSum / count,
        recovered == 0 ? Double.NaN : recovery / recovered,
        never);
  }

  /**
   * Each key's alarms (examples seen when it rose) against its true drift points: an alarm within
   * {@link #detection} examples after a drift detects it, any other alarm is false.
   */
  public Detection detection(Map<String, List<Integer>> alarms, Map<String, List<Integer>> drifts) {
    int trueDrifts = 0;
    int detected = 0;
    int falseAlarms = 0;
    List<Integer> delays = new ArrayList<>();
    for (var e : drifts.entrySet()) {
      List<Integer> raised = alarms.getOrDefault(e.getKey(), List.of());
      boolean[] explained = new boolean[raised.size()];
      for (int t : e.getValue()) {
        trueDrifts++;
        int first = -1;
        for (int i = 0; i < raised.size(); i++) {
          if (raised.get(i) > t && raised.get(i) <= t + detection) {
            explained[i] = true;
            first = first < 0 ? raised.get(i) : first;
          }
        }
        if (first >= 0) {
          detected++;
          delays.add(first - t);
        }
      }
      for (boolean x : explained) {
        falseAlarms += x ? 0 : 1;
      }
    }
    delays.sort(Integer::compare);
    return new Detection(
        trueDrifts,
        detected,
        falseAlarms,
        delays.isEmpty() ? Double.NaN : delays.get(delays.size() / 2));
  }

  /** Where the concept changes in one key's examples: indices into that list. */
  public static List<Integer> trueDrifts(List<LabelledExample> examples) {
    List<Integer> points = new ArrayList<>();
    for (int i = 1; i < examples.size(); i++) {
      if (examples.get(i).concept() != examples.get(i - 1).concept()) {
        points.add(i);
      }
    }
    return points;
  }

  /** The mean of {@code values[from, to)} clipped to the array; NaN when that is empty. */
  public static double mean(double[] values, int from, int to) {
    from = Math.max(0, from);
    to = Math.min(values.length, to);
    double sum = 0;
    for (int i = from; i < to; i++) {
      sum += values[i];
    }
    return to > from ? sum / (to - from) : Double.NaN;
  }

  /**
   * Examples after a drift at {@code drift} until the mean of the last {@code window} values is
   * back within 1 point (0.01) of {@code before}, checked every {@code step} examples up to {@code
   * end}; -1 if it never is.
   */
  public static int recovery(
      double[] values, int drift, int end, int window, int step, double before) {
    for (int i = drift + window; i <= Math.min(end, values.length); i += step) {
      if (mean(values, i - window, i) >= before - 0.01) {
        return i - drift;
      }
    }
    return -1;
  }
}
