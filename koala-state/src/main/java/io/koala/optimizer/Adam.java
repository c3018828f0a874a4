package io.koala.optimizer;

import io.koala.state.AdamState;

/**
 * Adam with bias correction and L2 weight decay, the second baseline.
 *
 * <h2>Implementation notes</h2>
 *
 * <pre>
 *   d = g + λθ;  m = β1 m + (1 − β1) d;  v = β2 v + (1 − β2) d²
 *   θ ← θ − η (m / (1 − β1^t)) / (sqrt(v / (1 − β2^t)) + ε)     (Kingma and Ba, 2015)
 * </pre>
 *
 * <p><b>Lazy Adam.</b> Dense Adam moves every coordinate whose first moment is not zero at every
 * step, so it has no O(non-zeros) form. The {@linkplain Config#lazy lazy} variant, on a sparse
 * gradient, updates m, v and θ only at the gradient's non-zero entries, with the bias corrections
 * of the global step t; the others keep their moments and do not move. With λ = 0 this is the
 * update of PyTorch's {@code SparseAdam} and TensorFlow Addons' {@code LazyAdam} except for ε,
 * which they add to √v before the bias correction and this class after it, as dense Adam does; with
 * λ > 0 the decay acts on those entries only. It is a different optimizer from dense Adam, equal to
 * it on a dense gradient.
 */
public final class Adam implements Optimizer<AdamState> {

  /**
   * @param layout the parameter blocks (used only for sizes)
   * @param learningRate η
   * @param beta1 β1
   * @param beta2 β2
   * @param epsilon ε
   * @param weightDecay λ
   * @param lazy on a sparse gradient, update only the coordinates it touches
   */
  public record Config(
      BlockLayout layout,
      double learningRate,
      double beta1,
      double beta2,
      double epsilon,
      double weightDecay,
      boolean lazy) {
    public Config {
      Checks.notNull(layout, "layout");
      Checks.positive(learningRate, "learning-rate");
      Checks.fraction(beta1, "beta1");
      Checks.fraction(beta2, "beta2");
      Checks.positive(epsilon, "epsilon");
      Checks.nonNegative(weightDecay, "weight-decay");
    }

    /** Dense Adam ({@code lazy} off). */
    public Config(
        BlockLayout layout,
        double learningRate,
        double beta1,
        double beta2,
        double epsilon,
        double weightDecay) {
      this(layout, learningRate, beta1, beta2, epsilon, weightDecay, false);
    }

    /** Adam's usual defaults: η = 0.001, β1 = 0.9, β2 = 0.999, ε = 1e-8, λ = 0, dense. */
    public static Config defaults(BlockLayout layout) {
      return new Config(layout, 0.001, 0.9, 0.999, 1e-8, 0.0);
    }

    /** Adam's usual defaults with the given learning rate. */
    public static Config defaults(BlockLayout layout, double learningRate) {
      return defaults(layout).withLearningRate(learningRate);
    }

    public Config withLearningRate(double eta) {
      return new Config(layout, eta, beta1, beta2, epsilon, weightDecay, lazy);
    }

    public Config withWeightDecay(double lambda) {
      return new Config(layout, learningRate, beta1, beta2, epsilon, lambda, lazy);
    }

    public Config withLazy(boolean on) {
      return new Config(layout, learningRate, beta1, beta2, epsilon, weightDecay, on);
    }
  }

  private final Config config;

  public Adam(Config config) {
    this.config = config;
  }

  public Config config() {
    return config;
  }

  @Override
  public String name() {
    return "adam";
  }

  @Override
  public BlockLayout layout() {
    return config.layout();
  }

  @Override
  public AdamState initialState(double[] initialParameters) {
    Checks.sameSize(initialParameters, config.layout());
    int n = initialParameters.length;
    return new AdamState(0, initialParameters.clone(), new double[n], new double[n]);
  }

  @Override
  public double[] evaluationPoint(AdamState state) {
    return state.parameters();
  }

  /** Only the {@linkplain Config#lazy lazy} variant. */
  @Override
  public boolean stepsSparse() {
    return config.lazy();
  }

  /** Lazy Adam is another optimizer than dense Adam. */
  @Override
  public boolean sparseStepIsDenseStep() {
    return false;
  }

  @Override
  public AdamState detach(AdamState state) {
    return state.deepCopy();
  }

  @Override
  public StepResult<AdamState> step(AdamState state, Observation observation) {
    if (observation.isSparse()) {
      return stepSparse(state, observation);
    }
    double[] theta = state.parameters();
    double[] g = observation.gradient();
    double[] m = state.firstMoment();
    double[] v = state.secondMoment();
    int n = theta.length;
    long t = state.step() + 1;
    double b1 = config.beta1();
    double b2 = config.beta2();
    double decay = config.weightDecay();
    double eps = config.epsilon();
    double stepSize = config.learningRate() / (1.0 - Math.pow(b1, t));
    double secondCorrection = 1.0 / Math.sqrt(1.0 - Math.pow(b2, t));
    double[] next = new double[n];
    double[] nextM = new double[n];
    double[] nextV = new double[n];
    double check = Math.abs(observation.loss());
    for (int i = 0; i < n; i++) {
      double d = g[i] + decay * theta[i];
      double mi = b1 * m[i] + (1.0 - b1) * d;
      double vi = b2 * v[i] + (1.0 - b2) * d * d;
      double ti = theta[i] - stepSize * mi / (Math.sqrt(vi) * secondCorrection + eps);
      nextM[i] = mi;
      nextV[i] = vi;
      next[i] = ti;
      check = Math.max(check, Math.max(Math.abs(ti), vi));
    }
    if (!Double.isFinite(check)) {
      return Observations.refuse(state, observation);
    }
    return new StepResult<>(new AdamState(t, next, nextM, nextV), StepReport.unfiltered(stepSize));
  }

  /**
   * The lazy step over the sparse gradient's entries, θ, m and v updated in place. The new values
   * are computed and checked before any is written: a refused step leaves the state untouched.
   */
  private StepResult<AdamState> stepSparse(AdamState state, Observation observation) {
    if (!stepsSparse()) {
      throw new IllegalStateException("a sparse adam step needs the lazy variant");
    }
    double[] theta = state.parameters();
    double[] m = state.firstMoment();
    double[] v = state.secondMoment();
    int[] at = observation.sparseGradient().indices();
    double[] g = observation.sparseGradient().values();
    Checks.sparseIndices(at, theta.length);
    long t = state.step() + 1;
    double b1 = config.beta1();
    double b2 = config.beta2();
    double decay = config.weightDecay();
    double eps = config.epsilon();
    double stepSize = config.learningRate() / (1.0 - Math.pow(b1, t));
    double secondCorrection = 1.0 / Math.sqrt(1.0 - Math.pow(b2, t));
    int n = at.length;
    double[] next = new double[n];
    double[] nextM = new double[n];
    double[] nextV = new double[n];
    double check = Math.abs(observation.loss());
    for (int k = 0; k < n; k++) {
      int i = at[k];
      double d = g[k] + decay * theta[i];
      double mi = b1 * m[i] + (1.0 - b1) * d;
      double vi = b2 * v[i] + (1.0 - b2) * d * d;
      double ti = theta[i] - stepSize * mi / (Math.sqrt(vi) * secondCorrection + eps);
      nextM[k] = mi;
      nextV[k] = vi;
      next[k] = ti;
      check = Math.max(check, Math.max(Math.abs(ti), vi));
    }
    if (!Double.isFinite(check)) {
      return Observations.refuse(state, observation);
    }
    for (int k = 0; k < n; k++) {
      int i = at[k];
      m[i] = nextM[k];
      v[i] = nextV[k];
      theta[i] = next[k];
    }
    return new StepResult<>(new AdamState(t, theta, m, v), StepReport.unfiltered(stepSize));
  }

  @Override
  public double covariance(AdamState state) {
    return Double.NaN;
  }

  @Override
  public double measurementNoise(AdamState state) {
    return Double.NaN;
  }

  @Override
  public double processNoise(AdamState state) {
    return Double.NaN;
  }
}
