package io.koala.noise;

import io.koala.state.DriftState;

/**
 * Process noise Q_k for drifting streams: constant (the reference), or adapted online from the
 * surprise of the prequential loss and lifted once by each drift alarm.
 *
 * <h2>Implementation notes</h2>
 *
 * <p>Innovation-based covariance matching [1, 2], carried to KOALA's scalar loss measurement.
 * KOALA's R_k (an EMA of mean ℓ²) and its covariance are not calibrated in absolute units (they
 * only set the gain p̂‖g‖²/(p̂‖g‖² + R)), so the surprise is normalised by a baseline learned from
 * the stream, in log-loss space: a batch loss is positive and skewed, with noise that scales with
 * its level, and its logarithm is scale-free and close to symmetric. With x_k = log(L_k + 1e-12)
 * for the prequential loss L_k of observation k (evaluated before the step; one batch, or
 * consecutive batches smaller than {@code minExamples} pooled into one, their losses averaged per
 * example), level m and baseline variance s²:
 *
 * <pre>
 *   ν_k   = x_k − m_{k−1}                                   surprise
 *   u_k   = max(0, ν_k)² / s²_{k−1}                          normalised one-sided surprise
 *   q̂_k   = (max(0, u_k / τ − 1) + b·[A_k]) · p̂_k            excess attributed to the parameters:
 *                                                             a 3σ surprise, or an alarm, scales p̂
 *   ρ_k   = min(Q_{k−1}, Q_0) · exp(−n_k / τ_a)               resting level, n_k examples observed
 *   Q_k   = clamp(β_Q Q_{k−1} + (1 − β_Q)(ρ_k + q̂_k / s), q_min, q_max)
 *                                                            s = B (per example) or 1; a step adds s·Q_k
 *   m_k   = β_m m_{k−1} + (1 − β_m) x_k
 *   s²_k  = β' s²_{k−1} + (1 − β') min(ν_k², w s²_{k−1}),   β' = min(β_s, 1 − 1/(k − 1))
 * </pre>
 *
 * <p>Alarms A_k come from the {@link DriftDetector}, a Bernoulli CUSUM on the per-example
 * prequential errors whose threshold follows from a designed false-alarm rate; when a caller gives
 * only losses, from the {@link LossCusum} on x_k.
 *
 * <p>p̂_k is the optimizer's predicted covariance before this batch: p_{k−1} + Q_{k−1} for KOALA-V,
 * P̂00 for KOALA-M, σ + Q_{k−1} for KOALA++ (which keeps no isotropic covariance). Scaling p̂
 * rather than the innovation variance p̂‖g‖² + R matters: near convergence ‖g‖ is small, and an
 * excess measured against R/‖g‖² would drive the gain to 1, i.e. full Polyak steps on noise, whose
 * overshoot feeds the next surprise (seen as loss bursts on stationary streams before this choice).
 * When surprises stop, q̂ = 0 and Q_k decays geometrically (rate β_Q) back to Q_0 and then, through
 * the resting level ρ_k, anneals below it toward q_min: by a factor e about every τ_a/(1 − β_Q)
 * examples (τ_a = 300, fixed a priori). Before this, ρ_k was Q_0 itself, so Q could only rise above
 * its start and q_min never bound.
 *
 * <p>Start-up: the first observation sets m = x_1; s² is the plain mean of squared surprises until
 * the EMA's memory is reached (β'), winsorised at w s² only after {@code warmupExamples}/2
 * examples; for the observations within the first {@code warmupExamples} examples only m, r and s²
 * learn. The warm-up counts examples, so that it covers the same stretch of stream at every batch
 * size. Defaults: τ = 9 (3σ), β_s = 0.99, w = 9, chosen on fixed-seed regression streams (d = 5,
 * batches of 8 to 32, 40 runs of 600 batches, true weights jumping at batch 300 in half of them).
 *
 * <p>References: [1] R. Mehra, On the identification of variances and adaptive Kalman filtering,
 * IEEE TAC 15(2), 1970. [2] A. Mohamed, K. Schwarz, Adaptive Kalman filtering for INS/GPS, J.
 * Geodesy 73, 1999.
 *
 * @param adaptive whether Q_k adapts; when false Q_k = Q_0 and only the drift statistic runs
 * @param base Q_0, where Q starts and decays back to
 * @param min q_min
 * @param max q_max
 * @param processNoiseBeta β_Q
 * @param detector the drift detector on the prequential errors
 * @param warmupExamples examples before Q may rise or an alarm be raised (the observations that
 *     hold them, counted as observations × this observation's examples: exact for a constant batch
 *     size); winsorisation of s² starts after half of them
 * @param perExample Q is process noise per example: a step over a batch of B examples adds B·Q_k
 *     (the concept's random walk accrues per example seen, whatever the batch size); Q_k, q_min and
 *     q_max are then per example
 * @param alarmBoost b, the excess an alarm adds, in units of p̂ (default 100: through the EMA of Q
 *     an alarm lets the covariance grow about thirtyfold over the next few batches, a soft reset of
 *     what the model believed about the old concept; 20 gave 2.5 and 1.8 points less after the
 *     drift benchmark's concept jumps at B = 1 and 8)
 */
public record ProcessNoise(
    boolean adaptive,
    double base,
    double min,
    double max,
    double processNoiseBeta,
    DriftDetector detector,
    int warmupExamples,
    boolean perExample,
    double alarmBoost,
    int minExamples) {

  /** β_m, β_s, τ and w (fixed a priori, see the class notes). */
  private static final double LEVEL_BETA = 0.9;

  private static final double SURPRISE_BETA = 0.99;
  private static final double SURPRISE_THRESHOLD = 9.0;
  private static final double WINSORISATION = 9.0;

  /** Keeps log(L) finite for a perfect fit. */
  private static final double LOSS_FLOOR = 1e-12;

  /**
   * τ_a, the examples over which the resting level anneals by a factor e (with β_Q = 0.7 the
   * stationary Q_k falls by e about every 1,000 examples); fixed a priori, not swept.
   */
  static final double ANNEAL_EXAMPLES = 3000.0;

  /**
   * ρ_k, the level Q_k relaxes to without surprise: Q_0 annealed, and, once below Q_0, the current
   * Q annealed further, so that a stationary stream takes Q down toward q_min.
   */
  private double rest(double q, int examples) {
    return Math.min(q, base) * Math.exp(-examples / ANNEAL_EXAMPLES);
  }

  public ProcessNoise {
    require(base >= 0 && Double.isFinite(base), "processNoise", base);
    require(min >= 0 && min <= base || !adaptive, "processNoise.min (must be <= base)", min);
    require(
        max >= base && Double.isFinite(max) || !adaptive,
        "processNoise.max (must be >= base)",
        max);
    require(processNoiseBeta >= 0 && processNoiseBeta < 1, "processNoise.beta", processNoiseBeta);
    if (detector == null) {
      throw new IllegalArgumentException("invalid drift detector: null");
    }
    require(warmupExamples >= 1, "drift.warmup (examples)", warmupExamples);
    require(alarmBoost >= 0 && Double.isFinite(alarmBoost), "drift.alarm-boost", alarmBoost);
    require(minExamples >= 1, "drift.min-examples", minExamples);
  }

  private static void require(boolean ok, String name, double value) {
    if (!ok) {
      throw new IllegalArgumentException("invalid " + name + ": " + value);
    }
  }

  /** Constant Q (the reference behaviour); the drift statistic still runs with the defaults. */
  public static ProcessNoise constant(double q) {
    return adaptive(q).withAdaptive(false);
  }

  /** Adaptive Q from Q_0 = {@code base}, with the engine's defaults. */
  public static ProcessNoise adaptive(double base) {
    return new ProcessNoise(
        true,
        base,
        Math.min(base, 1e-8),
        Math.max(base, 1e4),
        0.7,
        DriftDetector.DEFAULTS,
        160,
        false,
        100.0,
        8);
  }

  /**
   * The stream preset's Q: adaptive from Q_0 = {@code base} per example (a step over B examples
   * adds B·Q_k), with the engine's defaults.
   */
  public static ProcessNoise stream(double base) {
    return adaptive(base).withPerExample(true);
  }

  public ProcessNoise withAdaptive(boolean on) {
    return new ProcessNoise(
        on,
        base,
        min,
        max,
        processNoiseBeta,
        detector,
        warmupExamples,
        perExample,
        alarmBoost,
        minExamples);
  }

  public ProcessNoise withBounds(double newMin, double newMax) {
    return new ProcessNoise(
        adaptive,
        base,
        newMin,
        newMax,
        processNoiseBeta,
        detector,
        warmupExamples,
        perExample,
        alarmBoost,
        minExamples);
  }

  /** Q (and its bounds) per example instead of per step. */
  public ProcessNoise withPerExample(boolean on) {
    return new ProcessNoise(
        adaptive,
        base,
        min,
        max,
        processNoiseBeta,
        detector,
        warmupExamples,
        on,
        alarmBoost,
        minExamples);
  }

  /** The excess an alarm adds, in units of the predicted covariance (0: alarms only report). */
  public ProcessNoise withAlarmBoost(double boost) {
    return new ProcessNoise(
        adaptive,
        base,
        min,
        max,
        processNoiseBeta,
        detector,
        warmupExamples,
        perExample,
        boost,
        minExamples);
  }

  /** The drift detector on the prequential errors. */
  public ProcessNoise withDetector(DriftDetector newDetector) {
    return new ProcessNoise(
        adaptive,
        base,
        min,
        max,
        processNoiseBeta,
        newDetector,
        warmupExamples,
        perExample,
        alarmBoost,
        minExamples);
  }

  /** The warm-up, in examples: no alarm and no rise of Q before it is over. */
  public ProcessNoise withWarmupExamples(int examples) {
    return new ProcessNoise(
        adaptive,
        base,
        min,
        max,
        processNoiseBeta,
        detector,
        examples,
        perExample,
        alarmBoost,
        minExamples);
  }

  /** Pool batches smaller than {@code examples} into one observation of the tracker. */
  public ProcessNoise withMinExamples(int examples) {
    return new ProcessNoise(
        adaptive,
        base,
        min,
        max,
        processNoiseBeta,
        detector,
        warmupExamples,
        perExample,
        alarmBoost,
        examples);
  }

  public DriftState initialState() {
    return DriftState.initial(base);
  }

  /** The loss CUSUM's alarm threshold h (fixed; the fallback without per-example errors). */
  public double cusumThreshold() {
    return LossCusum.THRESHOLD;
  }

  /** Whether the batch that produced {@code state} raised a drift alarm. */
  public boolean isAlarm(DriftState state) {
    return state.alarm();
  }

  /**
   * The drift statistic in units of its threshold (an alarm when it exceeds 1): the error CUSUM's
   * once the detector has seen errors, else the loss CUSUM's.
   */
  public double statistic(DriftState state) {
    return state.monitoredExamples() > 0 || state.errorCusum() > 0
        ? detector.normalised(state)
        : state.cusum() / LossCusum.THRESHOLD;
  }

  /** Q_k in the state's unit: per step, or per example with {@link #perExample}. */
  public double current(DriftState state) {
    return adaptive ? state.processNoise() : base;
  }

  /** The process noise a step over {@code batchSize} examples adds to the covariance. */
  public double forBatch(DriftState state, int batchSize) {
    return perExample ? current(state) * batchSize : current(state);
  }

  /** {@link #observe(DriftState, double, double, int, PrequentialErrors)} without errors. */
  public DriftState observe(
      DriftState state, double loss, double predictedCovariance, int batchSize) {
    return observe(state, loss, predictedCovariance, batchSize, null);
  }

  /**
   * Observes the prequential loss of batch k (and its per-example errors) and returns the state
   * holding Q_k.
   *
   * @param loss L_k at the evaluation point, before the step
   * @param predictedCovariance p̂_k, the optimizer's predicted covariance (see the class notes)
   * @param batchSize examples in the batch (the unit of Q with {@link #perExample})
   * @param errors the batch's prequential errors for the {@link DriftDetector}, or null: then the
   *     loss CUSUM raises the alarms
   */
  public DriftState observe(
      DriftState state,
      double loss,
      double predictedCovariance,
      int batchSize,
      PrequentialErrors errors) {
    boolean detected = errors != null;
    state = detected ? detector.observe(state, errors, warmupExamples) : state.withAlarm(false);
    boolean errorAlarm = detected && state.alarm();
    long pooled = state.pendingExamples() + batchSize;
    double pooledLoss = state.pendingLoss() + Math.max(loss, 0.0) * batchSize;
    if (pooled < minExamples && !errorAlarm) {
      // Not an observation yet: Q and the statistic stand (an alarm is not repeated).
      return state.withPending(LossCusum.restart(state), pooledLoss, pooled);
    }
    int examples = (int) pooled;
    long n = state.observations() + 1;
    double x = Math.log(pooledLoss / pooled + LOSS_FLOOR);
    if (n == 1) {
      return state.withTracker(state.processNoise(), x, 0.0, 0.0, n, state.alarms(), x, 0.0, 0);
    }
    double previousVariance = state.surpriseVariance();
    double surprise = x - state.lossLevel();
    double positive = Math.max(0.0, surprise);
    double u =
        previousVariance > 0
            ? positive * positive / previousVariance
            : (positive > 0 ? LossCusum.CAP * LossCusum.CAP : 0.0);
    double level = LEVEL_BETA * state.lossLevel() + (1.0 - LEVEL_BETA) * x;
    // Bias-corrected start: a plain mean of the first 1/(1 − β_s) samples, then the EMA.
    double beta = Math.min(SURPRISE_BETA, 1.0 - 1.0 / (n - 1));
    // The warm-up in examples: n observations of this one's size (exact for a constant B).
    double sample =
        (n - 1) * examples > warmupExamples / 2
            ? Math.min(surprise * surprise, WINSORISATION * previousVariance)
            : surprise * surprise;
    double variance = beta * previousVariance + (1.0 - beta) * sample;
    if (n * examples <= warmupExamples) {
      return state.withTracker(
          state.processNoise(), level, variance, 0.0, n, state.alarms(), level, 0.0, 0);
    }
    LossCusum.Step fallback =
        detected
            ? new LossCusum.Step(0.0, false, level)
            : LossCusum.step(state, x, previousVariance, level);
    boolean alarm = detected ? errorAlarm : fallback.alarm();
    long alarms = state.alarms() + (detected || !alarm ? 0 : 1);
    double q = state.processNoise();
    if (adaptive) {
      // A 3σ surprise raises Q at once; an alarm raises it too (sustained, smaller surprises).
      double factor = Math.max(0.0, u / SURPRISE_THRESHOLD - 1.0) + (alarm ? alarmBoost : 0.0);
      double excess = factor * predictedCovariance / (perExample ? examples : 1);
      if (!Double.isFinite(excess)) {
        excess = max;
      }
      q =
          Math.min(
              max,
              Math.max(
                  min,
                  processNoiseBeta * q + (1.0 - processNoiseBeta) * (rest(q, examples) + excess)));
    }
    return state
        .withTracker(q, level, variance, fallback.cusum(), n, alarms, fallback.reference(), 0.0, 0)
        .withAlarm(alarm);
  }
}
