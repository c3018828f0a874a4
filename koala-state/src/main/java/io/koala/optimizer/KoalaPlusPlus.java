package io.koala.optimizer;

import io.koala.noise.ProcessNoise;
import io.koala.optimizer.KoalaPlusPlusConfig.Initialisation;
import io.koala.state.KoalaPlusPlusState;

/**
 * KOALA++: an extended Kalman filter that propagates the row v = H P instead of the covariance P,
 * at the cost of Adam (two extra vectors per parameter).
 *
 * <h2>Implementation notes</h2>
 *
 * <p>Per block, with H = g + λθ at θ_{k−1}, and h⁻, v⁻, S⁻, Q⁻ kept from the block's previous visit
 * (docs/algorithms.md#koala-pp; official code [1], {@code Task1_Image_Classification/koalap.py}):
 *
 * <pre>
 *   α = (H·h⁻)/‖h⁻‖²,   λ_k = (H·v⁻ + Q⁻ (H·h⁻)) / S⁻
 *   w = [(H·v⁻)‖h⁻‖² − (h⁻·v⁻)(H·h⁻)] / ‖h⁻‖⁴    (symmetric surrogate; w = 0 when asymmetric)
 *   v = (α − λ_k) v⁻ + Q⁻ (H − λ_k h⁻) + w h⁻
 *   S = H·v + Q_k‖H‖² + R_k                        (kept as the next visit's S⁻, Q_k as its Q⁻)
 *   θ_b ← θ_b − e_b (v + Q_k H) / S,   e_b = innovation of L_b = L_k + (λ/2)‖θ_b‖²
 * </pre>
 *
 * <p>Q⁻ = Q_{k−1} is the process noise the previous visit added (B·Q per example over that batch):
 * λ_k and v = H P_{k−1} come from P_{k−1} = (I − K h⁻)(P_{k−2} + Q_{k−1} I), so they need the
 * previous step's Q; the new Q_k enters only the prediction P_{k−1} + Q_k I behind S and the step.
 * With Q_k in their place (the official code, where Q is constant) λ_k exceeds 1 whenever Q grows
 * between visits (adaptive Q, or per-example Q with a larger batch), v turns against H and S can go
 * negative. A state that did not record Q⁻ (restored from format 2) takes Q_k for it once.
 *
 * <p>First visit of a block ({@link Initialisation}): REFERENCE fakes a previous visit with h⁻ = H,
 * v⁻ = σH, Q⁻ = Q_k, S⁻ = H·v⁻ + Q_k‖H‖² + R and runs the recursion (α = 1, w = 0); EKF sets v =
 * σH, S = H·v + Q_k‖H‖² + R and steps with them; BOX does the same without moving θ.
 *
 * <p>Cost per block: one pass for five dot products (‖H‖², ‖h⁻‖², h⁻·v⁻, H·h⁻, H·v⁻), then one
 * fused pass writing v, H and θ. The fusion rests on v being a linear combination c₁ v⁻ + c₂ H + c₃
 * h⁻ (c₁ = α − λ_k, c₂ = Q⁻, c₃ = w − Q⁻λ_k), so that H·v = c₁ H·v⁻ + c₂ ‖H‖² + c₃ H·h⁻ and S are
 * known before v is written (this, and the paired partial sums of pass 1 when λ = 0, round
 * differently from direct left-to-right sums: within 1e-12 relative on the golden vectors). With λ
 * = 0 the new state keeps the gradient array as H (no copy). Deviations: Q may be adaptive ({@link
 * ProcessNoise}); the predicted covariance its tracker sees is σ + Q_{k−1}, the initial covariance
 * plus the last Q (no isotropic covariance is at hand). H·v = H P_{k−1} Hᵀ is not guaranteed
 * non-negative by the least-squares surrogate, and with H·v &lt; 0 the step (v + Q_k H)/S can point
 * uphill even while S &gt; 0: with {@code resetGuard} a block whose S ≤ Q_k‖H‖² + R_k (H·v ≤ 0) is
 * reset as on a first EKF visit; without it a step with S ≤ 0 is refused and the state kept (the
 * reference code has no guard).
 *
 * <p>[1] Z. Xia et al., KOALA++: Efficient Kalman-Based Optimization of Neural Networks with
 * Gradient-Covariance Products, arXiv 2506.04432, code github.com/Sumxiaa/KOALA_Plus_Plus.
 */
public final class KoalaPlusPlus implements Optimizer<KoalaPlusPlusState> {

  // Per-block dot products gathered in pass 1.
  private static final int RAW = 0;
  private static final int HH = 1;
  private static final int PAR = 2;
  private static final int H_PREV = 3;
  private static final int H_V = 4;
  private static final int PREV_PREV = 5;
  private static final int PREV_V = 6;
  private static final int DOTS = 7;

  private final KoalaPlusPlusConfig config;
  private final BlockLayout layout;
  private final ProcessNoise processNoise;

  public KoalaPlusPlus(KoalaPlusPlusConfig config) {
    this.config = config;
    this.layout = config.layout();
    this.processNoise = config.processNoise();
  }

  public KoalaPlusPlusConfig config() {
    return config;
  }

  @Override
  public String name() {
    return "koala-pp";
  }

  @Override
  public BlockLayout layout() {
    return layout;
  }

  @Override
  public KoalaPlusPlusState initialState(double[] initialParameters) {
    Checks.sameSize(initialParameters, layout);
    int n = initialParameters.length;
    double[] unvisited = new double[layout.blockCount()];
    java.util.Arrays.fill(unvisited, Double.NaN);
    return new KoalaPlusPlusState(
        0,
        initialParameters.clone(),
        new double[n],
        new double[n],
        unvisited,
        config.measurementNoise().initialValue(),
        processNoise.initialState());
  }

  @Override
  public double[] evaluationPoint(KoalaPlusPlusState state) {
    return state.parameters();
  }

  @Override
  public StepResult<KoalaPlusPlusState> step(KoalaPlusPlusState state, Observation observation) {
    double[] theta = state.parameters();
    double[] g = observation.gradient();
    double[] vPrev = state.covarianceRow();
    double[] hPrev = state.previousGradient();
    double[] sPrev = state.innovationVariance();
    double[] qPrev = state.previousProcessNoise();
    double loss = observation.loss();
    double decay = config.weightDecay();
    int blocks = layout.blockCount();

    double[] dots = dotProducts(theta, g, hPrev, vPrev, sPrev, decay);
    double total = 0.0;
    for (int b = 0; b < blocks; b++) {
      total += dots[DOTS * b + HH];
    }
    if (!KalmanSetup.observable(loss, total)) {
      return KalmanSetup.refuse(state, Refusal.NON_FINITE_OBSERVATION, state.drift(), processNoise);
    }
    KalmanSetup setup =
        KalmanSetup.of(
            state.step(),
            state.drift(),
            config.initialCovariance(),
            observation,
            processNoise,
            config.target(),
            config.measurementNoise(),
            state.measurementNoise());
    double q = setup.processNoise();
    double r = setup.measurementNoise();
    long k = setup.step();
    double sigma = config.initialCovariance();

    int n = theta.length;
    // With λ = 0 and no block skipped, H = g everywhere: the new state keeps the gradient array
    // it was handed (Observation's hand-over contract) instead of copying it.
    boolean shareGradient = decay == 0.0;
    for (int b = 0; b < blocks && shareGradient; b++) {
      shareGradient = !(Math.sqrt(dots[DOTS * b + RAW]) < config.skipThreshold());
    }
    double[] nextTheta = new double[n];
    double[] nextV = new double[n];
    double[] nextH = shareGradient ? g : new double[n];
    double[] nextS = sPrev.clone();
    double[] nextQ = qPrev.clone();
    double gainMax = 0.0;
    int skipped = 0;
    double check = 0.0;
    for (int b = 0; b < blocks; b++) {
      int start = layout.start(b);
      int end = layout.end(b);
      int o = DOTS * b;
      if (Math.sqrt(dots[o + RAW]) < config.skipThreshold()) {
        System.arraycopy(theta, start, nextTheta, start, end - start);
        System.arraycopy(vPrev, start, nextV, start, end - start);
        System.arraycopy(hPrev, start, nextH, start, end - start);
        skipped++;
        continue;
      }
      // A state that did not record the previous Q (an older format) takes this step's Q for it.
      double qBefore = Double.isNaN(qPrev[b]) ? q : qPrev[b];
      Recursion c = recursion(dots, o, sPrev[b], qBefore, q, r, sigma);
      double s = c.innovationVariance();
      if (!(s > 0) || !Double.isFinite(s)) {
        return KalmanSetup.refuse(
            state, Refusal.NON_POSITIVE_COVARIANCE, state.drift(), processNoise);
      }
      double cPrev = c.previousRow();
      double cH = c.gradient();
      double cOld = c.previousGradient();
      nextS[b] = s;
      nextQ[b] = q;
      double blockLoss = loss + 0.5 * decay * dots[o + PAR];
      double gain = c.move() ? config.target().innovation(k, blockLoss) / s : 0.0;
      for (int i = start; i < end; i++) {
        double ti = theta[i];
        double hi = g[i] + decay * ti;
        double vi = cPrev * vPrev[i] + cH * hi + cOld * hPrev[i];
        nextV[i] = vi;
        if (!shareGradient) {
          nextH[i] = hi;
        }
        double next = ti - gain * (vi + q * hi);
        nextTheta[i] = next;
        check = Math.max(check, Math.max(Math.abs(next), Math.abs(vi)));
      }
      gainMax = Math.max(gainMax, gain);
    }
    Refusal refusal = setup.divergence(Double.isFinite(check), true);
    if (refusal != null) {
      return KalmanSetup.refuse(state, refusal, state.drift(), processNoise);
    }
    KoalaPlusPlusState after =
        new KoalaPlusPlusState(k, nextTheta, nextV, nextH, nextS, r, setup.drift(), nextQ);
    return setup.accept(after, gainMax, skipped, processNoise);
  }

  /**
   * The new row of one block as v = cPrev v⁻ + cH H + cOld h⁻ with its S, and whether θ moves.
   *
   * @param previousRow cPrev
   * @param gradient cH
   * @param previousGradient cOld
   * @param innovationVariance S = H·v + Q‖H‖² + R
   * @param move false on a BOX first visit
   */
  private record Recursion(
      double previousRow,
      double gradient,
      double previousGradient,
      double innovationVariance,
      boolean move) {}

  /**
   * The recursion for block b from its pass-1 dot products at offset {@code o}: the first visit as
   * configured, else the surrogate update, then the reset guard. H·v follows from the dot products,
   * so S is known before the single pass that writes v, H and θ.
   *
   * @param qPrevious Q⁻, the process noise the block's previous visit added (λ_k and v)
   * @param q Q_k, the process noise of this step (S)
   */
  private Recursion recursion(
      double[] dots, int o, double sPrevious, double qPrevious, double q, double r, double sigma) {
    double hh = dots[o + HH];
    boolean first = Double.isNaN(sPrevious);
    double cPrev;
    double cH;
    double cOld;
    double hv;
    boolean move = true;
    if (first && config.initialisation() != Initialisation.REFERENCE) {
      cPrev = 0.0;
      cH = sigma;
      cOld = 0.0;
      hv = sigma * hh;
      move = config.initialisation() == Initialisation.EKF;
    } else if (first) {
      // The official code's first visit: a faked previous visit with h⁻ = H, v⁻ = σH, so
      // α = 1, w = 0 and v = (1 − λ)σH + Q(1 − λ)H.
      double sFake = sigma * hh + q * hh + r;
      double correction = (sigma * hh + q * hh) / sFake;
      cPrev = 0.0;
      cH = (1.0 - correction) * sigma + q * (1.0 - correction);
      cOld = 0.0;
      hv = cH * hh;
    } else {
      double hPrevDot = dots[o + H_PREV];
      double hvDot = dots[o + H_V];
      double prevPrev = dots[o + PREV_PREV];
      double alpha = hPrevDot / prevPrev;
      double correction = (hvDot + qPrevious * hPrevDot) / sPrevious;
      double w =
          config.symmetric()
              ? (hvDot * prevPrev - dots[o + PREV_V] * hPrevDot) / (prevPrev * prevPrev)
              : 0.0;
      cPrev = alpha - correction;
      cH = qPrevious;
      cOld = w - qPrevious * correction;
      hv = cPrev * hvDot + cH * hh + cOld * hPrevDot;
    }
    double s = hv + q * hh + r;
    // H·v ≤ 0 (S ≤ Q‖H‖² + R): the row points against H and the step could go uphill.
    if (config.resetGuard() && !(s > q * hh + r)) {
      cPrev = 0.0;
      cH = sigma;
      cOld = 0.0;
      s = sigma * hh + q * hh + r;
    }
    return new Recursion(cPrev, cH, cOld, s, move);
  }

  /**
   * Pass 1: the dot products of every block, DOTS per block. A first visit needs only the squared
   * norms of g, H and θ; a visited block also the products with h⁻ and v⁻.
   */
  private double[] dotProducts(
      double[] theta, double[] g, double[] hPrev, double[] vPrev, double[] sPrev, double decay) {
    int blocks = layout.blockCount();
    double[] dots = new double[DOTS * blocks];
    for (int b = 0; b < blocks; b++) {
      int start = layout.start(b);
      int end = layout.end(b);
      int o = DOTS * b;
      if (Double.isNaN(sPrev[b])) {
        BlockNorms.accumulate(g, theta, decay, start, end, dots, o);
      } else if (decay == 0.0) {
        visitedDotsWithoutDecay(g, hPrev, vPrev, start, end, dots, o);
      } else {
        visitedDots(g, theta, hPrev, vPrev, decay, start, end, dots, o);
      }
    }
    return dots;
  }

  /** The pass-1 dot products of a visited block when λ &gt; 0, each summed left to right. */
  private static void visitedDots(
      double[] g,
      double[] theta,
      double[] hPrev,
      double[] vPrev,
      double decay,
      int start,
      int end,
      double[] dots,
      int o) {
    double raw = 0.0;
    double hh = 0.0;
    double par = 0.0;
    double hPrevDot = 0.0;
    double hvDot = 0.0;
    double prevPrev = 0.0;
    double prevV = 0.0;
    for (int i = start; i < end; i++) {
      double gi = g[i];
      double ti = theta[i];
      double hi = gi + decay * ti;
      raw += gi * gi;
      hh += hi * hi;
      par += ti * ti;
      double pi = hPrev[i];
      double vi = vPrev[i];
      hPrevDot += hi * pi;
      hvDot += hi * vi;
      prevPrev += pi * pi;
      prevV += pi * vi;
    }
    dots[o + RAW] = raw;
    dots[o + HH] = hh;
    dots[o + PAR] = par;
    dots[o + H_PREV] = hPrevDot;
    dots[o + H_V] = hvDot;
    dots[o + PREV_PREV] = prevPrev;
    dots[o + PREV_V] = prevV;
  }

  /**
   * The pass-1 dot products of a visited block when λ = 0 (H = g; θ is not read). Each sum runs as
   * two interleaved partial sums (even and odd indices) to halve the dependency chains of these
   * latency-bound reductions; the order is fixed, so results are deterministic.
   */
  private static void visitedDotsWithoutDecay(
      double[] g, double[] hPrev, double[] vPrev, int start, int end, double[] dots, int o) {
    double hh0 = 0.0;
    double hh1 = 0.0;
    double hp0 = 0.0;
    double hp1 = 0.0;
    double hv0 = 0.0;
    double hv1 = 0.0;
    double pp0 = 0.0;
    double pp1 = 0.0;
    double pv0 = 0.0;
    double pv1 = 0.0;
    int i = start;
    for (; i + 1 < end; i += 2) {
      double g0 = g[i];
      double g1 = g[i + 1];
      double p0 = hPrev[i];
      double p1 = hPrev[i + 1];
      double v0 = vPrev[i];
      double v1 = vPrev[i + 1];
      hh0 += g0 * g0;
      hh1 += g1 * g1;
      hp0 += g0 * p0;
      hp1 += g1 * p1;
      hv0 += g0 * v0;
      hv1 += g1 * v1;
      pp0 += p0 * p0;
      pp1 += p1 * p1;
      pv0 += p0 * v0;
      pv1 += p1 * v1;
    }
    if (i < end) {
      double g0 = g[i];
      double p0 = hPrev[i];
      double v0 = vPrev[i];
      hh0 += g0 * g0;
      hp0 += g0 * p0;
      hv0 += g0 * v0;
      pp0 += p0 * p0;
      pv0 += p0 * v0;
    }
    double hh = hh0 + hh1;
    dots[o + RAW] = hh;
    dots[o + HH] = hh;
    dots[o + PAR] = 0.0;
    dots[o + H_PREV] = hp0 + hp1;
    dots[o + H_V] = hv0 + hv1;
    dots[o + PREV_PREV] = pp0 + pp1;
    dots[o + PREV_V] = pv0 + pv1;
  }

  @Override
  public double covariance(KoalaPlusPlusState state) {
    double[] v = state.covarianceRow();
    double[] h = state.previousGradient();
    double sum = 0.0;
    int visited = 0;
    for (int b = 0; b < layout.blockCount(); b++) {
      if (Double.isNaN(state.innovationVariance()[b])) {
        continue;
      }
      double hv = 0.0;
      double hh = 0.0;
      for (int i = layout.start(b); i < layout.end(b); i++) {
        hv += h[i] * v[i];
        hh += h[i] * h[i];
      }
      if (hh > 0) {
        sum += hv / hh;
        visited++;
      }
    }
    return visited == 0 ? config.initialCovariance() : sum / visited;
  }

  @Override
  public double measurementNoise(KoalaPlusPlusState state) {
    return state.measurementNoise();
  }

  @Override
  public double processNoise(KoalaPlusPlusState state) {
    return processNoise.current(state.drift());
  }
}
