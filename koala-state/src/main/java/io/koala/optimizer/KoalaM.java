package io.koala.optimizer;

import io.koala.noise.ProcessNoise;
import io.koala.state.KoalaMState;

/**
 * KOALA-M: KOALA with momentum, a Kalman filter over weights and velocities with a shared 2×2
 * covariance and KOALA-M's adaptive weight process noise.
 *
 * <h2>Implementation notes</h2>
 *
 * <p>One step k (docs/algorithms.md#koala-m; the paper's Algorithm 2 as the reference code runs
 * it), F = [[I, I], [0, κI]]:
 *
 * <pre>
 *   q_raw = ‖x̄ − θ_{k−1}‖ / n,   q_w,k = β_q q_w,k−1 + (1 − β_q) q_raw
 *   θ̂ = θ_{k−1} + v_{k−1},  v̂ = κ v_{k−1}
 *   P̂00 = P00 + 2 P01 + P11 + q_w,k (+ Q^drift_k),  P̂01 = κ (P01 + P11),  P̂11 = κ² P11 + q_v
 *   loss and gradient are evaluated at θ̂ ({@link #evaluationPoint})
 *   R_k as in KOALA-V; per block (skip when ‖g_b‖ &lt; ε_skip: θ_b = θ̂_b, v_b = v̂_b, x̄_b kept):
 *     g̃_b = g_b + λθ̂_b,  S_b = ‖g̃_b‖² P̂00 + R_k,  L_b = L_k + (λ/2)‖θ̂_b‖²,  e_b = innovation
 *     K_x = P̂00 e_b / S_b,  K_v = P̂01 e_b / S_b
 *     θ_b = θ̂_b − K_x g̃_b,  v_b = v̂_b − K_v g̃_b,  x̄_b ← β_x x̄_b + (1 − β_x) θ_b,  h_b = ‖g̃_b‖²/S_b
 *   h = max_b h_b:  P00 = P̂00 − h P̂00²,  P01 = P̂01 − h P̂01 P̂00,  P11 = P̂11 − h P̂01²
 * </pre>
 *
 * <p>Deviations: the reference code's q_w (plain norm over n, EMA-smoothed from 0.01) is kept over
 * the paper's unsmoothed squared norm (docs/algorithms.md#deviations); blocks are skipped one by
 * one, and when every block is skipped P = P̂. Drift: the loss-surprise tracker's Q_k (base 0) is
 * added to P̂00, so the reference behaviour is untouched unless adaptive process noise is switched
 * on.
 */
public final class KoalaM implements Optimizer<KoalaMState> {

  private final KoalaMConfig config;
  private final BlockLayout layout;
  private final ProcessNoise driftNoise;

  public KoalaM(KoalaMConfig config) {
    this.config = config;
    this.layout = config.layout();
    this.driftNoise = config.driftNoise();
  }

  public KoalaMConfig config() {
    return config;
  }

  @Override
  public String name() {
    return "koala-m";
  }

  @Override
  public BlockLayout layout() {
    return layout;
  }

  @Override
  public KoalaMState initialState(double[] initialParameters) {
    Checks.sameSize(initialParameters, layout);
    int n = initialParameters.length;
    return new KoalaMState(
        0,
        initialParameters.clone(),
        new double[n],
        new double[n],
        config.initialCovarianceWeights(),
        config.initialCovarianceCross(),
        config.initialCovarianceVelocity(),
        config.initialWeightNoise(),
        config.measurementNoise().initialValue(),
        driftNoise.initialState());
  }

  @Override
  public double[] evaluationPoint(KoalaMState state) {
    double[] theta = state.parameters();
    double[] v = state.velocity();
    double[] point = new double[theta.length];
    for (int i = 0; i < point.length; i++) {
      point[i] = theta[i] + v[i];
    }
    return point;
  }

  @Override
  public StepResult<KoalaMState> step(KoalaMState state, Observation observation) {
    double[] theta = state.parameters();
    double[] velocity = state.velocity();
    double[] average = state.average();
    double[] g = observation.gradient();
    double loss = observation.loss();
    double decay = config.weightDecay();
    double kappa = config.momentum();
    int n = theta.length;

    // The predicted point θ̂ and velocity v̂, the distance to the average, then the squared
    // norms at θ̂.
    double[] nextTheta = new double[n];
    double[] nextVelocity = new double[n];
    double[] nextAverage = new double[n];
    double distance = 0.0;
    for (int i = 0; i < n; i++) {
      double d = average[i] - theta[i];
      distance += d * d;
      nextTheta[i] = theta[i] + velocity[i];
      nextVelocity[i] = kappa * velocity[i];
    }
    BlockNorms norms = BlockNorms.of(layout, g, nextTheta, decay);
    if (!KalmanSetup.observable(loss, norms)) {
      return KalmanSetup.refuse(state, Refusal.NON_FINITE_OBSERVATION, state.drift(), driftNoise);
    }

    double qRaw = Math.sqrt(distance) / n;
    double betaQ = config.weightNoiseBeta();
    double weightNoise = betaQ * state.weightNoise() + (1.0 - betaQ) * qRaw;
    double a = state.covarianceWeights();
    double c = state.covarianceCross();
    double d = state.covarianceVelocity();
    double basePredicted00 = a + 2 * c + d + weightNoise;
    KalmanSetup setup =
        KalmanSetup.of(
            state.step(),
            state.drift(),
            basePredicted00,
            observation,
            driftNoise,
            config.target(),
            config.measurementNoise(),
            state.measurementNoise());
    double p00 = basePredicted00 + setup.processNoise();
    double p01 = kappa * (c + d);
    double p11 = kappa * kappa * d + config.velocityNoise();
    double r = setup.measurementNoise();
    long k = setup.step();

    // Kalman gains and the updates of θ, v and x̄.
    int blocks = layout.blockCount();
    double betaX = config.averageBeta();
    double hMax = Double.NEGATIVE_INFINITY;
    double gainMax = 0.0;
    int skipped = 0;
    double check = 0.0;
    for (int b = 0; b < blocks; b++) {
      int start = layout.start(b);
      int end = layout.end(b);
      if (norms.skips(b, config.skipThreshold())) {
        for (int i = start; i < end; i++) {
          nextAverage[i] = average[i];
          check = Math.max(check, Math.max(Math.abs(nextTheta[i]), Math.abs(nextVelocity[i])));
        }
        skipped++;
        continue;
      }
      double reg = norms.regularised(b);
      double s = reg * p00 + r;
      double blockLoss = loss + 0.5 * decay * norms.parameters(b);
      double e = config.target().innovation(k, blockLoss);
      double gainWeights = p00 * e / s;
      double gainVelocity = p01 * e / s;
      for (int i = start; i < end; i++) {
        double predicted = nextTheta[i];
        double ri = g[i] + decay * predicted;
        double ti = predicted - gainWeights * ri;
        nextTheta[i] = ti;
        double vi = nextVelocity[i] - gainVelocity * ri;
        nextVelocity[i] = vi;
        double xi = betaX * average[i] + (1.0 - betaX) * ti;
        nextAverage[i] = xi;
        check = Math.max(check, Math.max(Math.abs(ti), Math.max(Math.abs(vi), Math.abs(xi))));
      }
      hMax = Math.max(hMax, reg / s);
      gainMax = Math.max(gainMax, gainWeights);
    }
    double q00 = p00;
    double q01 = p01;
    double q11 = p11;
    if (skipped < blocks) {
      q00 = p00 - hMax * p00 * p00;
      q01 = p01 - hMax * p01 * p00;
      q11 = p11 - hMax * p01 * p01;
    }

    Refusal refusal =
        setup.divergence(
            Double.isFinite(check) && Double.isFinite(q00 + q01 + q11 + r + weightNoise),
            q00 > 0 && q11 > 0);
    if (refusal != null) {
      return KalmanSetup.refuse(state, refusal, state.drift(), driftNoise);
    }
    KoalaMState after =
        new KoalaMState(
            k, nextTheta, nextVelocity, nextAverage, q00, q01, q11, weightNoise, r, setup.drift());
    return setup.accept(after, gainMax, skipped, driftNoise);
  }

  @Override
  public double covariance(KoalaMState state) {
    return state.covarianceWeights();
  }

  @Override
  public double measurementNoise(KoalaMState state) {
    return state.measurementNoise();
  }

  @Override
  public double processNoise(KoalaMState state) {
    return state.weightNoise() + driftNoise.current(state.drift());
  }
}
