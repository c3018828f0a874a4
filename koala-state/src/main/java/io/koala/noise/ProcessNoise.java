package io.koala.noise;

import io.koala.state.DriftState;

/**
 * Process noise Q_k for drifting streams: constant (the reference), or adapted online from the
 * surprise of the prequential loss, with a CUSUM drift statistic on the same surprise.
 *
 * <h2>Implementation notes</h2>
 *
 * <p>Innovation-based covariance matching [1, 2], carried to KOALA's scalar loss measurement. The
 * filter's own R_k (an EMA of mean ℓ²) and covariance p are not calibrated in absolute units (they
 * only set the gain ratio p‖g‖²/(p‖g‖² + R)), so the surprise is normalised by a baseline learned
 * from the stream itself, and the excess is mapped back into the filter's units. At batch k, with
 * prequential loss L_k (evaluated before the step), loss level m, baseline variance s²:
 *
 * <pre>
 *   ν_k   = L_k − m_{k−1}                                  surprise of the loss
 *   u_k   = max(0, ν_k)² / s²_{k−1}                         normalised one-sided surprise (≈ χ²₁/2)
 *   q̂_k   = max(0, u_k − τ) · Ŝ_k / G_k                     excess attributed to process noise:
 *                                                            the Q that would scale the filter's
 *                                                            innovation variance Ŝ = p̂G + R by u/τ
 *   Q_k   = clamp(β_Q Q_{k−1} + (1 − β_Q)(Q_0 + q̂_k), q_min, q_max)
 *   C_k   = max(0, C'_{k−1} + min(u_k, z_max) − κ)     drift alarm when C_k > h; C' = 0 after
 *                                                            an alarm, else C' = C
 *   m_k   = β_m m_{k−1} + (1 − β_m) L_k
 *   s²_k  = β_s s²_{k−1} + (1 − β_s) min(ν_k², w s²_{k−1})  winsorised so drift does not teach
 *                                                            the baseline that drift is normal
 * </pre>
 *
 * <p>Ŝ_k / G_k is supplied by the optimizer: p̂ + R/‖g‖² for KOALA-V and KOALA-M (p̂ = P̂00), and
 * Q + R/‖H‖² for KOALA++ (no isotropic covariance is at hand there). When surprises stop, q̂ = 0
 * and Q_k decays geometrically (rate β_Q) back to Q_0. The first batch initialises m = L_1 and
 * s² = L_1² (a deliberately wide baseline); for the first {@code warmup} batches only m and s²
 * learn. Capping u at z_max < h means no single outlier batch can raise an alarm.
 *
 * <p>References: [1] R. Mehra, On the identification of variances and adaptive Kalman filtering,
 * IEEE TAC 15(2), 1970. [2] A. Mohamed, K. Schwarz, Adaptive Kalman filtering for INS/GPS, J.
 * Geodesy 73, 1999. [3] E. S. Page, Continuous inspection schemes, Biometrika 41, 1954.
 *
 * @param adaptive whether Q_k adapts; when false Q_k = Q_0 and only the drift statistic runs
 * @param base Q_0, where Q starts and decays back to
 * @param min q_min
 * @param max q_max
 * @param processNoiseBeta β_Q
 * @param levelBeta β_m
 * @param surpriseBeta β_s
 * @param surpriseThreshold τ, the normalised surprise beyond which Q rises
 * @param winsorisation w
 * @param cusumReference κ, the allowance per batch
 * @param cusumThreshold h
 * @param surpriseCap z_max
 * @param warmup batches before Q may rise or an alarm be raised
 */
public record ProcessNoise(
    boolean adaptive,
    double base,
    double min,
    double max,
    double processNoiseBeta,
    double levelBeta,
    double surpriseBeta,
    double surpriseThreshold,
    double winsorisation,
    double cusumReference,
    double cusumThreshold,
    double surpriseCap,
    int warmup) {

  public ProcessNoise {
    require(base >= 0 && Double.isFinite(base), "processNoise", base);
    require(min >= 0 && min <= base || !adaptive, "processNoise.min (must be <= base)", min);
    require(max >= base && Double.isFinite(max) || !adaptive, "processNoise.max (must be >= base)", max);
    require(processNoiseBeta >= 0 && processNoiseBeta < 1, "processNoise.beta", processNoiseBeta);
    require(levelBeta >= 0 && levelBeta < 1, "drift.level-beta", levelBeta);
    require(surpriseBeta >= 0 && surpriseBeta < 1, "drift.surprise-beta", surpriseBeta);
    require(surpriseThreshold > 0, "processNoise.surprise-threshold", surpriseThreshold);
    require(winsorisation >= 1, "drift.winsorisation", winsorisation);
    require(cusumReference > 0, "drift.reference", cusumReference);
    require(cusumThreshold > 0, "drift.threshold", cusumThreshold);
    require(surpriseCap > cusumReference, "drift.surprise-cap (must be > drift.reference)", surpriseCap);
    require(warmup >= 1, "drift.warmup", warmup);
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
    return new ProcessNoise(true, base, Math.min(base, 1e-8), Math.max(base, 1e4) * 1.0,
        0.7, 0.9, 0.95, 4.0, 4.0, 2.0, 30.0, 15.0, 20);
  }

  public ProcessNoise withAdaptive(boolean on) {
    return new ProcessNoise(on, base, min, max, processNoiseBeta, levelBeta, surpriseBeta,
        surpriseThreshold, winsorisation, cusumReference, cusumThreshold, surpriseCap, warmup);
  }

  public ProcessNoise withBounds(double newMin, double newMax) {
    return new ProcessNoise(adaptive, base, newMin, newMax, processNoiseBeta, levelBeta,
        surpriseBeta, surpriseThreshold, winsorisation, cusumReference, cusumThreshold,
        surpriseCap, warmup);
  }

  public DriftState initialState() {
    return DriftState.initial(base);
  }

  /** Whether the batch that produced {@code state} raised a drift alarm. */
  public boolean isAlarm(DriftState state) {
    return state.cusum() > cusumThreshold;
  }

  /** Q_k to use in a step taken from {@code state}. */
  public double current(DriftState state) {
    return adaptive ? state.processNoise() : base;
  }

  /**
   * Observes the prequential loss of batch k and returns the state holding Q_k.
   *
   * @param loss L_k at the evaluation point, before the step
   * @param innovationScale Ŝ_k / G_k in the filter's units (see the class notes)
   */
  public DriftState observe(DriftState state, double loss, double innovationScale) {
    long n = state.observations() + 1;
    if (n == 1) {
      return new DriftState(state.processNoise(), loss, loss * loss, 0.0, n, state.alarms());
    }
    double previousVariance = state.surpriseVariance();
    double surprise = loss - state.lossLevel();
    double positive = Math.max(0.0, surprise);
    double u = previousVariance > 0 ? positive * positive / previousVariance
        : (positive > 0 ? surpriseCap : 0.0);
    double level = levelBeta * state.lossLevel() + (1.0 - levelBeta) * loss;
    double variance = surpriseBeta * previousVariance
        + (1.0 - surpriseBeta) * Math.min(surprise * surprise, winsorisation * previousVariance);
    if (n <= warmup) {
      return new DriftState(state.processNoise(), level, variance, 0.0, n, state.alarms());
    }
    double q = state.processNoise();
    if (adaptive) {
      double excess = Math.max(0.0, u - surpriseThreshold) * innovationScale;
      if (!Double.isFinite(excess)) {
        excess = max;
      }
      q = Math.min(max, Math.max(min, processNoiseBeta * q + (1.0 - processNoiseBeta) * (base + excess)));
    }
    double restart = isAlarm(state) ? 0.0 : state.cusum();
    double cusum = Math.max(0.0, restart + Math.min(u, surpriseCap) - cusumReference);
    long alarms = cusum > cusumThreshold ? state.alarms() + 1 : state.alarms();
    return new DriftState(q, level, variance, cusum, n, alarms);
  }
}
