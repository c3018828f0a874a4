package io.koala.optimizer;

import io.koala.noise.ProcessNoise;
import io.koala.state.KoalaVState;

/**
 * KOALA-V: a Kalman filter over the parameters with an isotropic covariance p·I, observing each
 * micro-batch loss as a noisy measurement of the target loss.
 *
 * <h2>Implementation notes</h2>
 *
 * <p>One step k, after Davtyan et al. [1] and the reference code (docs/algorithms.md#koala-v), per
 * block b of the parameters, all blocks using the pre-step θ and one shared p:
 *
 * <pre>
 *   Q_k  = ProcessNoise (constant Q, or adapted from the loss surprise; see {@link ProcessNoise})
 *   p̂_k  = p_{k−1} + Q_k
 *   R_k  = β_R R_{k−1} + (1 − β_R) m_k                    (or a fixed R)
 *   skip block b when ‖g_b‖ &lt; ε_skip (raw gradient)
 *   g̃_b  = g_b + λθ_b,  S_b = p̂_k ‖g̃_b‖² + R_k,  L_b = L_k + (λ/2)‖θ_b‖²
 *   e_b  = L_b − L^target_b                                (reference: η L_b)
 *   γ_b  = p̂_k e_b / S_b,  θ_b ← θ_b − γ_b g_b            (g̃_b with Direction.REGULARISED_GRADIENT)
 *   h_b  = ‖g̃_b‖² / S_b
 *   p_k  = p̂_k − p̂_k² max_b h_b                           (p_k = p̂_k when every block is skipped)
 * </pre>
 *
 * <p>With the {@code auto} preset each key races three of these at neighbouring constant Q_k
 * ({@link ProcessNoiseRace}). A state restored from the earlier gradient tuner's format keeps its
 * tuner record until its next step, which drops it.
 *
 * <p>Deviations from the reference code: a step where every block is skipped keeps p = p̂ instead
 * of failing (docs/algorithms.md#skip-rule); the divergence guard refuses a step whose observation
 * or result is not finite or whose p is not positive, returning the input state. Cost: per block
 * one pass for the squared norms (g alone when λ = 0; g and θ otherwise) and one axpy writing the
 * new θ.
 *
 * <p>With λ = 0 an observation may carry its gradient as its non-zero entries ({@link
 * Observation#sparseGradient}): the same step over those entries, θ written in place, O(non-zeros)
 * and bit for bit the dense step (docs/algorithms.md#the-sparse-step).
 *
 * <p>[1] A. Davtyan, S. Sameni, L. Cerkezi, G. Meishvili, A. Bielski, P. Favaro, KOALA: A Kalman
 * Optimization Algorithm with Loss Adaptivity, AAAI 2022 (arXiv 2107.03331).
 */
public final class KoalaV implements Optimizer<KoalaVState> {

  private final KoalaVConfig config;
  private final BlockLayout layout;
  private final ProcessNoise processNoise;

  public KoalaV(KoalaVConfig config) {
    this.config = config;
    this.layout = config.layout();
    this.processNoise = config.processNoise();
  }

  public KoalaVConfig config() {
    return config;
  }

  @Override
  public String name() {
    return "koala-v";
  }

  @Override
  public BlockLayout layout() {
    return layout;
  }

  @Override
  public KoalaVState initialState(double[] initialParameters) {
    Checks.sameSize(initialParameters, layout);
    return new KoalaVState(
        0,
        initialParameters.clone(),
        config.initialCovariance(),
        config.measurementNoise().initialValue(),
        processNoise.initialState(),
        null);
  }

  @Override
  public double[] evaluationPoint(KoalaVState state) {
    return state.parameters();
  }

  /** Without weight decay: with λ = 0 the step moves only the coordinates the gradient touches. */
  @Override
  public boolean stepsSparse() {
    return config.weightDecay() == 0.0;
  }

  /** A deep copy, the earlier tuner's record included (a refused step keeps it, as dense). */
  @Override
  public KoalaVState detach(KoalaVState s) {
    return s.deepCopy();
  }

  /** Q_k, R_k, the innovation and the drift tracker of a step, shared by both paths. */
  private KalmanSetup setup(KoalaVState state, Observation observation) {
    return KalmanSetup.of(
        state.step(),
        state.drift(),
        state.covariance(),
        observation,
        processNoise,
        config.target(),
        config.measurementNoise(),
        state.measurementNoise());
  }

  @Override
  public StepResult<KoalaVState> step(KoalaVState state, Observation observation) {
    if (observation.isSparse()) {
      return stepSparse(state, observation);
    }
    double[] theta = state.parameters();
    double[] g = observation.gradient();
    double loss = observation.loss();
    double decay = config.weightDecay();
    BlockNorms norms =
        decay == 0.0 ? BlockNorms.withoutDecay(layout, g) : BlockNorms.of(layout, g, theta, decay);
    if (!KalmanSetup.observable(loss, norms)) {
      return KalmanSetup.refuse(state, Refusal.NON_FINITE_OBSERVATION, state.drift(), processNoise);
    }
    KalmanSetup setup = setup(state, observation);
    double predicted = state.covariance() + setup.processNoise();
    double r = setup.measurementNoise();
    long k = setup.step();

    // Per-block gain and the axpy.
    int blocks = layout.blockCount();
    double[] next = new double[theta.length];
    boolean regularisedDirection = config.direction() == Direction.REGULARISED_GRADIENT;
    double hMax = Double.NEGATIVE_INFINITY;
    double gainMax = 0.0;
    int skipped = 0;
    double check = 0.0;
    for (int b = 0; b < blocks; b++) {
      int start = layout.start(b);
      int end = layout.end(b);
      if (norms.skips(b, config.skipThreshold())) {
        System.arraycopy(theta, start, next, start, end - start);
        skipped++;
        continue;
      }
      double reg = norms.regularised(b);
      double s = predicted * reg + r;
      double blockLoss = loss + 0.5 * decay * norms.parameters(b);
      double e = config.target().innovation(k, blockLoss);
      double gain = predicted * e / s;
      if (regularisedDirection && decay != 0.0) {
        for (int i = start; i < end; i++) {
          double ti = theta[i];
          double ni = ti - gain * (g[i] + decay * ti);
          next[i] = ni;
          check = Math.max(check, Math.abs(ni));
        }
      } else {
        for (int i = start; i < end; i++) {
          double ni = theta[i] - gain * g[i];
          next[i] = ni;
          check = Math.max(check, Math.abs(ni));
        }
      }
      hMax = Math.max(hMax, reg / s);
      gainMax = Math.max(gainMax, gain);
    }
    double covariance = skipped == blocks ? predicted : predicted - predicted * predicted * hMax;

    Refusal refusal =
        setup.divergence(Double.isFinite(check) && Double.isFinite(covariance), covariance > 0);
    if (refusal != null) {
      return KalmanSetup.refuse(state, refusal, state.drift(), processNoise);
    }
    return setup.accept(
        new KoalaVState(k, next, covariance, r, setup.drift(), null),
        gainMax,
        skipped,
        processNoise);
  }

  /**
   * The step of {@link #step} over the gradient's non-zero entries, θ updated in place (λ = 0): the
   * squared norms sum the same non-zero squares in the same order, and θ_i − γ·0 = θ_i, so every
   * value written and every scalar of the new state is bit for bit the dense step's. The new values
   * are computed and checked before any is written: a refused step leaves θ untouched.
   */
  private StepResult<KoalaVState> stepSparse(KoalaVState state, Observation observation) {
    if (!stepsSparse()) {
      throw new IllegalStateException(
          "a sparse step needs weight-decay 0, not " + config.weightDecay());
    }
    double[] theta = state.parameters();
    int[] at = observation.sparseGradient().indices();
    double[] g = observation.sparseGradient().values();
    double loss = observation.loss();
    int blocks = layout.blockCount();
    // Per block the range [from[b], from[b + 1]) of the non-zeros, and ‖g_b‖².
    int[] from = new int[blocks + 1];
    double[] squares = new double[blocks];
    double total = 0.0;
    int k0 = 0;
    for (int b = 0; b < blocks; b++) {
      int end = layout.end(b);
      from[b] = k0;
      double raw = 0.0;
      while (k0 < at.length && at[k0] < end) {
        if (k0 > 0 && at[k0] <= at[k0 - 1]) {
          throw new IllegalArgumentException("sparse gradient indices must increase strictly");
        }
        double gi = g[k0++];
        raw += gi * gi;
      }
      squares[b] = raw;
      total += raw;
    }
    from[blocks] = k0;
    if (k0 != at.length || (at.length > 0 && (at[0] < 0 || at[at.length - 1] >= theta.length))) {
      throw new IllegalArgumentException("sparse gradient indices outside the layout");
    }
    if (!KalmanSetup.observable(loss, total)) {
      return KalmanSetup.refuse(state, Refusal.NON_FINITE_OBSERVATION, state.drift(), processNoise);
    }
    KalmanSetup setup = setup(state, observation);
    double predicted = state.covariance() + setup.processNoise();
    double r = setup.measurementNoise();
    long k = setup.step();

    double[] next = new double[at.length];
    boolean[] moved = new boolean[blocks];
    double hMax = Double.NEGATIVE_INFINITY;
    double gainMax = 0.0;
    int skipped = 0;
    double check = 0.0;
    for (int b = 0; b < blocks; b++) {
      if (Math.sqrt(squares[b]) < config.skipThreshold()) {
        skipped++;
        continue;
      }
      double reg = squares[b];
      double s = predicted * reg + r;
      // L_b = L_k + (λ/2)‖θ_b‖² with λ = 0, as the dense step computes it.
      double e = config.target().innovation(k, loss + 0.0);
      double gain = predicted * e / s;
      for (int i = from[b]; i < from[b + 1]; i++) {
        double ni = theta[at[i]] - gain * g[i];
        next[i] = ni;
        check = Math.max(check, Math.abs(ni));
      }
      moved[b] = true;
      hMax = Math.max(hMax, reg / s);
      gainMax = Math.max(gainMax, gain);
    }
    double covariance = skipped == blocks ? predicted : predicted - predicted * predicted * hMax;

    Refusal refusal =
        setup.divergence(Double.isFinite(check) && Double.isFinite(covariance), covariance > 0);
    if (refusal != null) {
      return KalmanSetup.refuse(state, refusal, state.drift(), processNoise);
    }
    for (int b = 0; b < blocks; b++) {
      if (moved[b]) {
        for (int i = from[b]; i < from[b + 1]; i++) {
          theta[at[i]] = next[i];
        }
      }
    }
    return setup.accept(
        new KoalaVState(k, theta, covariance, r, setup.drift(), null),
        gainMax,
        skipped,
        processNoise);
  }

  @Override
  public double covariance(KoalaVState state) {
    return state.covariance();
  }

  @Override
  public double measurementNoise(KoalaVState state) {
    return state.measurementNoise();
  }

  @Override
  public double processNoise(KoalaVState state) {
    return processNoise.current(state.drift());
  }
}
