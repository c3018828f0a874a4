package io.koala.model;

import io.koala.state.ResidualMoments;
import io.koala.state.ScaleEvidence;

/**
 * The predictive distribution of one example under a Gaussian parameter posterior: output
 * variances, moderated class probabilities and the variance of a regression target.
 *
 * <h2>Implementation notes</h2>
 *
 * <p>With an isotropic predictive covariance p̂·I (the posterior plus the process noise the next
 * step would add) and the outputs linearised around the parameters, output c has variance σ_c² =
 * p̂·‖∂z_c/∂θ‖². Then (docs/algorithms.md#predictive-uncertainty):
 *
 * <pre>
 *   logistic   P(y = 1) = sigmoid(z / √(1 + π σ²/8))                     MacKay [1]
 *   softmax    P(y = c) ∝ exp(z_c / √(1 + π σ_c²/8))                    per-class probit
 *                                                                         approximation [2, 3]
 *   regression Var(y)   = a·u + σ_n²,  u = p̂‖∂ŷ/∂θ‖²                   a, σ_n² ≥ 0 fitted to
 *                                                                         the prequential e²
 * </pre>
 *
 * <p>For classifiers the covariance's scale is not calibrated either, so the logit variances are
 * a·σ_c² with a the scale, on a fixed grid from 10⁻⁴ (all but the plug-in probabilities) to 10²,
 * whose forgetful mean prequential log loss over the key's examples is least; a = 1 until the first
 * example.
 *
 * <p>The softmax form moderates each logit by its own variance and ignores the covariances between
 * logits; it keeps the probabilities a distribution and reduces to MacKay's for two classes with
 * one logit fixed at 0. For regression the filter's covariance is in the units of its loss
 * measurement (its R_k is a moving average of squared losses ℓ² = ¼(y − ŷ)⁴, not of the noise of
 * y), so both the scale a of the parameter part and the noise σ_n² are fitted by non-negative least
 * squares of e² on u over forgetful moments of the key's prequential residuals (memory 1/(1 − β)
 * examples); until the first residual, a = 1 and σ_n² = 0.
 *
 * <p>References: [1] D. J. C. MacKay, The evidence framework applied to classification networks,
 * Neural Computation 4(5), 1992. [2] D. J. Spiegelhalter, S. L. Lauritzen, Sequential updating of
 * conditional probabilities on directed graphical structures, Networks 20, 1990. [3] E. Daxberger
 * et al., Laplace redux, NeurIPS 2021 (the multiclass probit approximation).
 */
public final class PredictiveDistribution {

  private PredictiveDistribution() {}

  /** β, the residual moments' forgetting per example: a memory of 1,000 examples. */
  public static final double RESIDUAL_MEMORY = 0.999;

  /**
   * σ_c² = p̂·‖∂z_c/∂θ‖² per output, never negative: a negative or non-finite summary p̂ (KOALA++'s
   * Rayleigh quotient can be either) counts as 0, and a NaN p̂ (no filter) gives NaN.
   */
  public static double[] outputVariances(double predictiveCovariance, double[] sensitivities) {
    double[] out = new double[sensitivities.length];
    double p = predictiveCovariance > 0 ? predictiveCovariance : 0.0;
    for (int c = 0; c < out.length; c++) {
      out[c] = Double.isNaN(predictiveCovariance) ? Double.NaN : p * sensitivities[c];
    }
    return out;
  }

  /**
   * The scales a_j of the logit variances a classifier key chooses among: 10⁻⁴ … 10² in half
   * decades, fixed a priori (not fitted to any stream); the smallest is all but the plug-in
   * probabilities, yet keeps the reported logit variance positive.
   */
  public static final double[] LOGIT_SCALES = logitScales();

  private static double[] logitScales() {
    double[] scales = new double[13];
    for (int j = 0; j < scales.length; j++) {
      scales[j] = Math.pow(10.0, -4.0 + 0.5 * j);
    }
    return scales;
  }

  /** Evidence before any example: every scale even. */
  public static ScaleEvidence noEvidence() {
    return new ScaleEvidence(0, new double[LOGIT_SCALES.length]);
  }

  /**
   * The scale of the logit variances: the grid scale with the least forgetful mean log loss, 1 (the
   * filter's own covariance) before any evidence.
   */
  public static double logitScale(ScaleEvidence evidence) {
    if (evidence == null || evidence.weight() == 0) {
      return 1.0;
    }
    int best = 0;
    double[] losses = evidence.meanLogLoss();
    for (int j = 1; j < losses.length; j++) {
      if (losses[j] < losses[best]) {
        best = j;
      }
    }
    return LOGIT_SCALES[best];
  }

  /**
   * The evidence after one more prequential example of class {@code label} with these outputs and
   * output variances (at scale 1).
   */
  public static ScaleEvidence observe(
      ScaleEvidence evidence, double[] logits, double[] variances, int label) {
    double w = RESIDUAL_MEMORY * evidence.weight() + 1.0;
    double f = 1.0 / w;
    double[] losses = evidence.meanLogLoss().clone();
    double[] scaled = new double[variances.length];
    for (int j = 0; j < LOGIT_SCALES.length; j++) {
      for (int c = 0; c < scaled.length; c++) {
        scaled[c] = LOGIT_SCALES[j] * variances[c];
      }
      double p =
          logits.length == 1
              ? moderatedProbability(label == 1 ? logits[0] : -logits[0], scaled[0])
              : moderatedProbabilities(logits, scaled)[label];
      double loss = -Math.log(Math.max(p, 1e-300));
      losses[j] += f * (loss - losses[j]);
    }
    return new ScaleEvidence(w, losses);
  }

  /** MacKay's moderated probability of class 1; the plug-in sigmoid when the variance is NaN. */
  public static double moderatedProbability(double logit, double logitVariance) {
    return Head.sigmoid(logit * moderation(logitVariance));
  }

  /** Moderated class probabilities (per-class probit approximation). */
  public static double[] moderatedProbabilities(double[] logits, double[] logitVariances) {
    double[] scaled = new double[logits.length];
    double max = Double.NEGATIVE_INFINITY;
    for (int c = 0; c < logits.length; c++) {
      scaled[c] = logits[c] * moderation(logitVariances[c]);
      max = Math.max(max, scaled[c]);
    }
    double sum = 0.0;
    for (int c = 0; c < scaled.length; c++) {
      scaled[c] = Math.exp(scaled[c] - max);
      sum += scaled[c];
    }
    for (int c = 0; c < scaled.length; c++) {
      scaled[c] /= sum;
    }
    return scaled;
  }

  /** 1 / √(1 + π σ²/8); 1 for a NaN variance (no filter: the plug-in probability). */
  private static double moderation(double variance) {
    if (Double.isNaN(variance)) {
      return 1.0;
    }
    return 1.0 / Math.sqrt(1.0 + Math.PI * Math.max(variance, 0.0) / 8.0);
  }

  /** The moments after one more prequential residual e² at parameter part u. */
  public static ResidualMoments observe(
      ResidualMoments m, double parameterVariance, double squaredResidual) {
    double w = RESIDUAL_MEMORY * m.weight() + 1.0;
    double f = 1.0 / w;
    double u = parameterVariance;
    double e2 = squaredResidual;
    return new ResidualMoments(
        w,
        m.meanParameterVariance() + f * (u - m.meanParameterVariance()),
        m.meanSquaredParameterVariance() + f * (u * u - m.meanSquaredParameterVariance()),
        m.meanSquaredResidual() + f * (e2 - m.meanSquaredResidual()),
        m.meanCross() + f * (u * e2 - m.meanCross()));
  }

  /**
   * The variance of a regression target: a·u + σ_n² with (a, σ_n²) the non-negative least-squares
   * fit of e² on u over the moments; never negative.
   *
   * @param parameterVariance u = p̂‖∂ŷ/∂θ‖² of the example asked about (NaN without a filter)
   */
  public static double targetVariance(ResidualMoments m, double parameterVariance) {
    double u = Math.max(parameterVariance, 0.0);
    if (Double.isNaN(parameterVariance)) {
      return Double.NaN;
    }
    if (m == null || m.weight() == 0) {
      return u;
    }
    double[] fit = fit(m);
    return fit[0] * u + fit[1];
  }

  /** (a, σ_n²) ≥ 0 minimising the mean of (e² − a u − σ_n²)². */
  static double[] fit(ResidualMoments m) {
    double mu = m.meanParameterVariance();
    double muu = m.meanSquaredParameterVariance();
    double me = m.meanSquaredResidual();
    double mue = m.meanCross();
    double spread = muu - mu * mu;
    if (spread > 1e-12 * muu) {
      double a = (mue - mu * me) / spread;
      double b = me - a * mu;
      if (a >= 0 && b >= 0) {
        return new double[] {a, b};
      }
    }
    // On the boundary: noise only (a = 0) or scale only (σ_n² = 0), whichever fits better; the
    // mean squared error up to the common E[e⁴] is −me² and −mue²/muu respectively.
    double scaleOnly = muu > 0 ? mue / muu : 0.0;
    boolean noiseOnly = !(muu > 0) || me * me >= scaleOnly * mue;
    return noiseOnly ? new double[] {0.0, me} : new double[] {scaleOnly, 0.0};
  }
}
