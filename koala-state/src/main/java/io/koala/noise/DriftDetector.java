package io.koala.noise;

import io.koala.state.DriftState;

/**
 * Drift alarms from a Bernoulli CUSUM on the per-example prequential errors, with a threshold set
 * by the statistic's known null rather than fitted to streams.
 *
 * <h2>Implementation notes</h2>
 *
 * <p>Each example contributes a binary error x_i, taken before the step that learns from it: for a
 * classifier x_i = 1 when the predicted label was wrong; for regression x_i = 1 when the squared
 * residual exceeds {@value #EXCEEDANCE} σ̂₀² (|e| &gt; 2σ̂₀), so that a rise of the residual scale
 * becomes a rise of an exceedance rate and both cases share one test. In control x_i ~
 * Bernoulli(p₀); the alternative is p₁ = min(p₀ + δ, {@value #MAX_RATE}). Page's CUSUM [1] of the
 * log-likelihood ratio, example by example within a batch (so a batch of B contributes exactly what
 * B single examples would):
 *
 * <pre>
 *   a = log(p₁/p₀),  b = log((1 − p₁)/(1 − p₀))
 *   S_i = max(0, S_{i−1} + a·x_i + b·(1 − x_i)),            alarm when S_i &gt; h
 * </pre>
 *
 * <p>The threshold h comes from the target false-alarm rate: an in-control average run length ARL₀
 * = 100,000 / (false alarms per 100,000 examples). Under the null the increment has mean μ = p₀a +
 * (1 − p₀)b &lt; 0 and variance σ² = p₀(1 − p₀)(a − b)²; Siegmund's corrected diffusion
 * approximation [2, §X.2] gives
 *
 * <pre>
 *   ARL₀ ≈ (e^x − x − 1) / (2μ²/σ²),   x = 2|μ|(h + 1.166σ)/σ²
 * </pre>
 *
 * solved for x by fixed-point iteration x ← log(ARL₀·2μ²/σ² + 1 + x), then h = xσ²/(2|μ|) − 1.166σ.
 * With the exact log-likelihood ratio, Wald's bound ARL₀ ≥ e^h holds whatever the approximation's
 * error; h is floored at a, so one error never alarms on its own.
 *
 * <p>For a classifier p₀ is a running mean over the examples since the start or the last alarm,
 * with a half-error prior p̂₀ = (Σx + ½)/(m + 1), forgetting beyond {@value #MEMORY} examples (m =
 * min(n, {@value #MEMORY})). For regression p₀ = {@value #EXCEEDANCE_RATE} is known: σ̂₀² is the
 * running mean of e² over the warm-up, then a stochastic-approximation quantile tracker
 *
 * <pre>
 *   log σ̂₀² ← log σ̂₀² + γ (x_i − p₀),   γ = {@value #QUANTILE_STEP}
 * </pre>
 *
 * whose only fixed point is P(e² &gt; 4σ̂₀²) = p₀, whatever the residuals' distribution and level
 * (Σ(x_i − p₀) = Δlog σ̂₀²/γ stays bounded while σ̂₀² does). A converging model's residuals, or a
 * race moving the watched member to another Q, change their level slowly and the tracker follows;
 * an abrupt rise outruns it (it climbs by e every 1/(γ(1 − p₀)) ≈ 21 examples) and the CUSUM sees a
 * run of exceedances. (Before, σ̂₀² was a running mean square over {@value #MEMORY} examples and p₀
 * was learnt: while a model converged the mean square lagged its fall, few residuals exceeded it,
 * p̂₀ was learnt far too low, and once the residuals settled the CUSUM alarmed.) For Gaussian
 * residuals the tracked σ̂₀² is 0.96 times the mean square, so a state saved before restores with
 * the same meaning. For the first {@code warmupExamples} after the start or an alarm only p₀ and
 * σ̂₀² learn; after an alarm they re-learn the new concept's level. a, b and h are computed once
 * per batch from p̂₀ before it; p̂₀ moves by at most B/m within a batch.
 *
 * <p>References: [1] E. S. Page, Continuous inspection schemes, Biometrika 41, 1954. [2] D.
 * Siegmund, Sequential Analysis: Tests and Confidence Intervals, Springer, 1985. [3] M. Reynolds,
 * Z. Stoumbos, A CUSUM chart for monitoring a proportion when inspecting continuously, J. Quality
 * Technology 31(1), 1999.
 *
 * @param shift δ, the rise of the error rate the test is designed to detect
 * @param threshold h, or NaN to derive it from {@code falseAlarmRate}
 * @param falseAlarmRate the designed false alarms per 100,000 in-control examples
 */
public record DriftDetector(double shift, double threshold, double falseAlarmRate) {

  /** m's cap: examples beyond which p̂₀ and σ̂₀² forget (fixed a priori, not swept). */
  static final int MEMORY = 2000;

  /** A squared residual beyond this many in-control mean squares counts as an error. */
  static final double EXCEEDANCE = 4.0;

  /**
   * p₀ for regression: the rate at which a squared residual exceeds {@value #EXCEEDANCE} σ̂₀², held
   * there by the quantile tracker whatever the residuals' level or distribution (a Gaussian
   * residual at the mean square exceeds 2σ with probability 4.6 %).
   */
  static final double EXCEEDANCE_RATE = 0.05;

  /**
   * γ, the quantile tracker's step in log σ̂₀² per example: a memory of about 1/(γ·f) examples,
   * where f = 0.11 is the slope of P(e² &gt; t) in log t at a Gaussian's 95 % point (about 200
   * examples, the detection window); fixed a priori, not swept.
   */
  static final double QUANTILE_STEP = 0.05;

  /** The largest error rate the alternative may take. */
  static final double MAX_RATE = 0.99;

  /** The engine's defaults: δ = 0.1, h from 0.5 false alarms per 100,000 examples. */
  public static final DriftDetector DEFAULTS = new DriftDetector(0.1, Double.NaN, 0.5);

  public DriftDetector {
    if (!(shift > 0 && shift < 1)) {
      throw new IllegalArgumentException("invalid drift.reference (0 < δ < 1): " + shift);
    }
    if (!(Double.isNaN(threshold) || threshold > 0 && Double.isFinite(threshold))) {
      throw new IllegalArgumentException("invalid drift.threshold: " + threshold);
    }
    if (!(falseAlarmRate > 0 && falseAlarmRate < 1e5)) {
      throw new IllegalArgumentException("invalid drift.false-alarm-rate: " + falseAlarmRate);
    }
  }

  public DriftDetector withShift(double newShift) {
    return new DriftDetector(newShift, threshold, falseAlarmRate);
  }

  public DriftDetector withThreshold(double newThreshold) {
    return new DriftDetector(shift, newThreshold, falseAlarmRate);
  }

  public DriftDetector withFalseAlarmRate(double rate) {
    return new DriftDetector(shift, threshold, rate);
  }

  /** p̂₀ with its half-error prior, for the running mean {@code mean} over {@code n} examples. */
  static double inControlRate(double mean, long n) {
    long m = Math.min(n, MEMORY);
    return Math.min(0.95, (mean * m + 0.5) / (m + 1.0));
  }

  /** p₁ for the in-control rate {@code p0}. */
  double alternative(double p0) {
    return Math.min(p0 + shift, MAX_RATE);
  }

  /** h for the in-control rate {@code p0}: as configured, or from the false-alarm rate. */
  public double threshold(double p0) {
    double p1 = alternative(p0);
    double a = Math.log(p1 / p0);
    if (!Double.isNaN(threshold)) {
      return threshold;
    }
    double b = Math.log((1 - p1) / (1 - p0));
    double mean = p0 * a + (1 - p0) * b;
    double sd = Math.sqrt(p0 * (1 - p0)) * (a - b);
    double arl = 1e5 / falseAlarmRate;
    double x = Math.log(arl * -mean + 1);
    for (int i = 0; i < 30; i++) {
      x = Math.log(arl * -mean + 1 + x);
    }
    return Math.max(x - 1.166 * sd, a);
  }

  /**
   * Observes one batch's errors and returns the state after it.
   *
   * @param warmupExamples examples after the start or an alarm in which only p₀ and σ̂₀² learn
   */
  public DriftState observe(DriftState state, PrequentialErrors errors, int warmupExamples) {
    long n = state.monitoredExamples();
    double rate = state.errorRate();
    double scale = state.residualScale();
    double p0 = errors.residuals() ? EXCEEDANCE_RATE : inControlRate(rate, n);
    double p1 = alternative(p0);
    double a = Math.log(p1 / p0);
    double b = Math.log((1 - p1) / (1 - p0));
    double h = threshold(p0);
    // The statistic restarts after an alarm.
    double s = state.alarm() ? 0.0 : state.errorCusum();
    double[] values = errors.values();
    for (double value : values) {
      double x;
      if (errors.residuals()) {
        double squared = value * value;
        if (!Double.isFinite(squared)) {
          continue;
        }
        x = n > 0 && squared > EXCEEDANCE * scale ? 1.0 : 0.0;
        scale = nextScale(scale, squared, x, n, warmupExamples);
      } else {
        x = value != 0 ? 1.0 : 0.0;
      }
      n++;
      if (n > warmupExamples) {
        s = Math.max(0.0, s + (x > 0 ? a : b));
        if (s > h) {
          return state.withDetector(rate, scale, s, 0, true, state.alarms() + 1);
        }
      }
      rate += (x - rate) / Math.min(n, MEMORY);
    }
    return state.withDetector(rate, scale, s, n, false, state.alarms());
  }

  /**
   * σ̂₀² after one squared residual: their running mean over the warm-up (and whenever it is 0),
   * then the quantile tracker σ̂₀² ← σ̂₀²·exp(γ(x − p₀)), which holds P(e² &gt; 4σ̂₀²) at p₀.
   */
  static double nextScale(double scale, double squared, double x, long n, int warmupExamples) {
    if (n < warmupExamples || !(scale > 0)) {
      return scale + (squared - scale) / (n + 1);
    }
    return scale * Math.exp(QUANTILE_STEP * (x - EXCEEDANCE_RATE));
  }

  /**
   * The statistic in units of its threshold: above 1 exactly when the batch alarmed. (h is taken at
   * p̂₀ after the batch, the batch was tested at p̂₀ before it; the clamp keeps the two
   * consistent.)
   */
  public double normalised(DriftState state) {
    long n = state.alarm() ? MEMORY : state.monitoredExamples();
    double p0 = state.residualScale() > 0 ? EXCEEDANCE_RATE : inControlRate(state.errorRate(), n);
    double ratio = state.errorCusum() / threshold(p0);
    return state.alarm() ? Math.max(ratio, Math.nextUp(1.0)) : Math.min(ratio, 1.0);
  }
}
