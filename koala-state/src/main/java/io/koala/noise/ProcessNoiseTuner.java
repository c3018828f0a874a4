package io.koala.noise;

import io.koala.state.TunerState;

/**
 * The {@code auto} preset's process noise: Q_k found per key from its own stream by descending the
 * prequential loss along log Q, up or down over the whole range [q_min, q_max].
 *
 * <h2>Implementation notes</h2>
 *
 * <p>The next batch's loss L_k(θ_{k−1}) depends on Q through the last step: a larger Q_{k−1} gives
 * a larger predicted covariance p̂ and so a larger gain. To first order (holding the earlier
 * history fixed) ∂L_k/∂log Q ∝ g_k·Δθ_{k−1}, with g_k the gradient of batch k at θ_{k−1} and
 * Δθ_{k−1} = θ_{k−1} − θ_{k−2}, the scale factor (Q/p̂)(R/S) being positive: when the new gradient
 * still points along the last step (−g_k·Δθ_{k−1} &gt; 0) the steps are too short and Q rises; when
 * it points back (the last step overshot on noise) Q falls. This is the hypergradient of Baydin et
 * al. [1], applied to log Q instead of a learning rate, and Kesten's sign rule [2] in its
 * normalised form. Normalised by the norms, so that the rate is scale-free:
 *
 * <pre>
 *   c_k     = −g_k·Δθ_{k−1} / (‖g_k‖ ‖Δθ_{k−1}‖)       ∈ [−1, 1]; 0 before the first step
 *   log Q_k = clamp(log Q_{k−1} + α c_k, log q_min, log q_max)
 * </pre>
 *
 * <p>Q_k is per example (a step over B examples adds B·Q_k). Defaults, fixed a priori and not swept
 * on any benchmark stream: Q_0 = 10⁻⁴, the geometric centre of [10⁻⁹, 1] (nine decades); α = 0.05
 * (with a consistent sign 5 decades take about 230 steps). Cost per step: one dot product and one
 * norm over θ, and one pass writing Δθ_k; state: one vector of θ's size.
 *
 * <p>[1] A. G. Baydin, R. Cornish, D. Martínez Rubio, M. Schmidt, F. Wood, Online learning rate
 * adaptation with hypergradient descent, ICLR 2018. [2] H. Kesten, Accelerated stochastic
 * approximation, Ann. Math. Statist. 29(1), 1958.
 *
 * @param initial Q_0 per example
 * @param min q_min per example
 * @param max q_max per example
 * @param rate α, the change of log Q per step at |c_k| = 1
 */
public record ProcessNoiseTuner(double initial, double min, double max, double rate) {

  public ProcessNoiseTuner {
    if (!(min > 0 && min <= initial && initial <= max && Double.isFinite(max))) {
      throw new IllegalArgumentException(
          "invalid process-noise range for auto: min " + min + ", Q_0 " + initial + ", max " + max);
    }
    if (!(rate >= 0 && Double.isFinite(rate))) {
      throw new IllegalArgumentException("invalid process-noise tuning rate: " + rate);
    }
  }

  /** The auto preset's tuner: Q_0 = 1e-4 in [1e-9, 1] per example, α = 0.05. */
  public static ProcessNoiseTuner defaults() {
    return new ProcessNoiseTuner(1e-4, 1e-9, 1.0, 0.05);
  }

  public ProcessNoiseTuner withInitial(double q0) {
    return new ProcessNoiseTuner(q0, Math.min(min, q0), Math.max(max, q0), rate);
  }

  public ProcessNoiseTuner withBounds(double newMin, double newMax) {
    return new ProcessNoiseTuner(initial, newMin, newMax, rate);
  }

  public ProcessNoiseTuner withRate(double newRate) {
    return new ProcessNoiseTuner(initial, min, max, newRate);
  }

  public TunerState initialState() {
    return TunerState.initial(initial);
  }

  /** Q_k per example, from the state before the step and the gradient of batch k. */
  public double next(TunerState state, double[] gradient) {
    TunerState s = state == null ? initialState() : state;
    double[] last = s.lastStep();
    if (last.length != gradient.length) {
      return s.processNoise();
    }
    double dot = 0.0;
    double gg = 0.0;
    double ss = 0.0;
    for (int i = 0; i < last.length; i++) {
      double gi = gradient[i];
      double si = last[i];
      dot += gi * si;
      gg += gi * gi;
      ss += si * si;
    }
    double norm = Math.sqrt(gg * ss);
    double c = norm > 0 && Double.isFinite(norm) ? -dot / norm : 0.0;
    double q = s.processNoise() * Math.exp(rate * c);
    return Math.min(max, Math.max(min, q));
  }
}
