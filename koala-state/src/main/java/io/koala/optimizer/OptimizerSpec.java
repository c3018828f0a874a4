package io.koala.optimizer;

import java.io.Serializable;

/**
 * What a caller sets on top of a {@link Preset}: the parameter blocks and overrides, each null when
 * the preset's value stands. A value only applies to the optimizers that have it.
 *
 * @param layout the parameter blocks (required)
 * @param learningRate η: the target's (1 − η) L for the KOALA variants, the step size of SGD and
 *     Adam
 * @param covariance the initial covariance (p_0, σ²_x,0 for KOALA-M, σ for KOALA++)
 * @param processNoise Q_0 of the KOALA variants (the drift noise's base for KOALA-M)
 * @param adaptive whether Q adapts to the loss surprise
 * @param perExample whether Q (and its bounds) is per example
 * @param processNoiseMin q_min of an adaptive Q
 * @param processNoiseMax q_max of an adaptive Q
 * @param measurementNoise a fixed R (else R_k is estimated)
 * @param measurementNoiseBeta β_R of the estimated R_k
 * @param weightDecay λ
 * @param momentum κ of KOALA-M, μ of SGD
 * @param symmetric KOALA++'s symmetric surrogate
 * @param drift the drift tracker's overrides (never null: {@link Drift#UNSET} when none)
 * @param lazy SGD's and Adam's lazy variant on sparse gradients ({@link Sgd}, {@link Adam})
 */
public record OptimizerSpec(
    BlockLayout layout,
    Double learningRate,
    Double covariance,
    Double processNoise,
    Boolean adaptive,
    Boolean perExample,
    Double processNoiseMin,
    Double processNoiseMax,
    Double measurementNoise,
    Double measurementNoiseBeta,
    Double weightDecay,
    Double momentum,
    Boolean symmetric,
    Drift drift,
    Boolean lazy)
    implements Serializable {

  private static final long serialVersionUID = 1L;

  /**
   * Overrides of the KOALA variants' drift tracker ({@link io.koala.noise.ProcessNoise}), each null
   * when the preset's value stands.
   *
   * @param reference δ, the rise of the error rate the detector's CUSUM is designed for
   * @param threshold h, the CUSUM's alarm threshold (null: from the false-alarm rate)
   * @param warmupExamples the warm-up, in examples
   * @param alarmBoost b, the excess an alarm adds in units of the predicted covariance
   * @param falseAlarmRate the designed false alarms per 100,000 in-control examples
   */
  public record Drift(
      Double reference,
      Double threshold,
      Integer warmupExamples,
      Double alarmBoost,
      Double falseAlarmRate)
      implements Serializable {

    private static final long serialVersionUID = 1L;

    /** No override. */
    public static final Drift UNSET = new Drift(null, null, null, null, null);

    /** Overrides without a false-alarm rate. */
    public Drift(Double reference, Double threshold, Integer warmupExamples, Double alarmBoost) {
      this(reference, threshold, warmupExamples, alarmBoost, null);
    }
  }

  public OptimizerSpec {
    Checks.notNull(layout, "layout");
    drift = drift == null ? Drift.UNSET : drift;
  }

  /** The preset as it is, over {@code layout}. */
  public static OptimizerSpec of(BlockLayout layout) {
    return new OptimizerSpec(
        layout, null, null, null, null, null, null, null, null, null, null, null, null, null, null);
  }

  public OptimizerSpec withLearningRate(Double eta) {
    return edit(f -> f.learningRate = eta);
  }

  public OptimizerSpec withCovariance(Double p0) {
    return edit(f -> f.covariance = p0);
  }

  public OptimizerSpec withProcessNoise(Double q0) {
    return edit(f -> f.processNoise = q0);
  }

  public OptimizerSpec withAdaptive(Boolean on) {
    return edit(f -> f.adaptive = on);
  }

  public OptimizerSpec withPerExample(Boolean on) {
    return edit(f -> f.perExample = on);
  }

  public OptimizerSpec withProcessNoiseBounds(Double min, Double max) {
    return edit(
        f -> {
          f.processNoiseMin = min;
          f.processNoiseMax = max;
        });
  }

  public OptimizerSpec withMeasurementNoise(Double fixedR) {
    return edit(f -> f.measurementNoise = fixedR);
  }

  public OptimizerSpec withMeasurementNoiseBeta(Double beta) {
    return edit(f -> f.measurementNoiseBeta = beta);
  }

  public OptimizerSpec withWeightDecay(Double lambda) {
    return edit(f -> f.weightDecay = lambda);
  }

  public OptimizerSpec withMomentum(Double m) {
    return edit(f -> f.momentum = m);
  }

  public OptimizerSpec withSymmetric(Boolean on) {
    return edit(f -> f.symmetric = on);
  }

  public OptimizerSpec withDrift(Drift overrides) {
    return edit(f -> f.drift = overrides);
  }

  public OptimizerSpec withLazy(Boolean on) {
    return edit(f -> f.lazy = on);
  }

  /** This spec with the fields {@code change} sets replaced: the one place the withers copy. */
  private OptimizerSpec edit(java.util.function.Consumer<Fields> change) {
    Fields f = new Fields(this);
    change.accept(f);
    return new OptimizerSpec(
        f.layout,
        f.learningRate,
        f.covariance,
        f.processNoise,
        f.adaptive,
        f.perExample,
        f.processNoiseMin,
        f.processNoiseMax,
        f.measurementNoise,
        f.measurementNoiseBeta,
        f.weightDecay,
        f.momentum,
        f.symmetric,
        f.drift,
        f.lazy);
  }

  /** The components as mutable fields, for {@link #edit}. */
  private static final class Fields {
    BlockLayout layout;
    Double learningRate;
    Double covariance;
    Double processNoise;
    Boolean adaptive;
    Boolean perExample;
    Double processNoiseMin;
    Double processNoiseMax;
    Double measurementNoise;
    Double measurementNoiseBeta;
    Double weightDecay;
    Double momentum;
    Boolean symmetric;
    Drift drift;
    Boolean lazy;

    Fields(OptimizerSpec s) {
      layout = s.layout;
      learningRate = s.learningRate;
      covariance = s.covariance;
      processNoise = s.processNoise;
      adaptive = s.adaptive;
      perExample = s.perExample;
      processNoiseMin = s.processNoiseMin;
      processNoiseMax = s.processNoiseMax;
      measurementNoise = s.measurementNoise;
      measurementNoiseBeta = s.measurementNoiseBeta;
      weightDecay = s.weightDecay;
      momentum = s.momentum;
      symmetric = s.symmetric;
      drift = s.drift;
      lazy = s.lazy;
    }
  }
}
