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
 *   u_{k−1} = λ u_{k−2} + Δθ_{k−1}                      the step trace (λ = 0: the last step)
 *   c_k     = −g_k·u_{k−1} / (‖g_k‖ ‖u_{k−1}‖)           ∈ [−1, 1]; 0 before the first step
 *   log Q_k = clamp(log Q_{k−1} + α c_k + [A_k] log A, log q_min, log q_max)
 * </pre>
 *
 * <p>A_k is a drift alarm of the drift statistic on this batch ({@link ProcessNoise#isAlarm}): the
 * one-step hypergradient sees an abrupt jump only as slowly as consecutive gradients agree, so an
 * alarm lifts Q by A at once and the gradient takes it from there. Known limitation: the one-step
 * signal has the short-horizon bias of hypergradients [3]: with single-example batches of a
 * classifier, consecutive gradients correlate through the class structure and Q is tuned too high;
 * and annealing on a stationary stream is slow (about a decade per 40,000 examples on the tests'
 * regression stream).
 *
 * <p>Q_k is per example (a step over B examples adds B·Q_k). Defaults, fixed a priori and not swept
 * on any benchmark stream: Q_0 = 10⁻⁴, the geometric centre of [10⁻⁹, 1] (nine decades); α = 0.05
 * (with a consistent sign 5 decades take about 230 steps); λ = 0; A = 10 (one decade). Cost per
 * step: one dot product and one norm over θ, and one pass writing u_k; state: one vector of θ's
 * size.
 *
 * <p>[1] A. G. Baydin, R. Cornish, D. Martínez Rubio, M. Schmidt, F. Wood, Online learning rate
 * adaptation with hypergradient descent, ICLR 2018. [2] H. Kesten, Accelerated stochastic
 * approximation, Ann. Math. Statist. 29(1), 1958. [3] Y. Wu, M. Ren, R. Liao, R. Grosse,
 * Understanding short-horizon bias in stochastic meta-optimization, ICLR 2018.
 *
 * @param initial Q_0 per example
 * @param min q_min per example
 * @param max q_max per example
 * @param rate α, the change of log Q per step at |c_k| = 1
 * @param traceDecay λ, the decay of the step trace (0: the last step alone)
 * @param alarmLift A, the factor a drift alarm lifts Q by (1: alarms ignored)
 */
public record ProcessNoiseTuner(
    double initial, double min, double max, double rate, double traceDecay, double alarmLift) {

  public ProcessNoiseTuner {
    if (!(min > 0 && min <= initial && initial <= max && Double.isFinite(max))) {
      throw new IllegalArgumentException(
          "invalid process-noise range for auto: min " + min + ", Q_0 " + initial + ", max " + max);
    }
    if (!(alarmLift >= 1 && Double.isFinite(alarmLift))) {
      throw new IllegalArgumentException("invalid process-noise alarm lift: " + alarmLift);
    }
    if (!(traceDecay >= 0 && traceDecay < 1)) {
      throw new IllegalArgumentException("invalid process-noise trace decay: " + traceDecay);
    }
    if (!(rate >= 0 && Double.isFinite(rate))) {
      throw new IllegalArgumentException("invalid process-noise tuning rate: " + rate);
    }
  }

  /** Q after a drift alarm of the drift statistic: lifted by A, within the bounds. */
  public double afterAlarm(double q) {
    return Math.min(max, Math.max(min, q * alarmLift));
  }

  /** The auto preset's tuner: Q_0 = 1e-4 in [1e-9, 1] per example, α = 0.05, λ = 0, A = 10. */
  public static ProcessNoiseTuner defaults() {
    return new ProcessNoiseTuner(1e-4, 1e-9, 1.0, 0.05, 0.0, 10.0);
  }

  public ProcessNoiseTuner withInitial(double q0) {
    return new ProcessNoiseTuner(
        q0, Math.min(min, q0), Math.max(max, q0), rate, traceDecay, alarmLift);
  }

  public ProcessNoiseTuner withBounds(double newMin, double newMax) {
    return new ProcessNoiseTuner(initial, newMin, newMax, rate, traceDecay, alarmLift);
  }

  public ProcessNoiseTuner withRate(double newRate) {
    return new ProcessNoiseTuner(initial, min, max, newRate, traceDecay, alarmLift);
  }

  public ProcessNoiseTuner withTraceDecay(double decay) {
    return new ProcessNoiseTuner(initial, min, max, rate, decay, alarmLift);
  }

  public ProcessNoiseTuner withAlarmLift(double lift) {
    return new ProcessNoiseTuner(initial, min, max, rate, traceDecay, lift);
  }

  /** The trace after a step Δθ_k: u_k = λ u_{k−1} + Δθ_k. */
  public double[] trace(TunerState before, double[] parameters, double[] next) {
    double[] last = before == null ? new double[0] : before.lastStep();
    boolean carry = traceDecay > 0 && last.length == next.length;
    double[] u = new double[next.length];
    for (int i = 0; i < u.length; i++) {
      u[i] = (carry ? traceDecay * last[i] : 0.0) + next[i] - parameters[i];
    }
    return u;
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
