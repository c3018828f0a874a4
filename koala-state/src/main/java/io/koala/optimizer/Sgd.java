package io.koala.optimizer;

import io.koala.state.SgdState;

/**
 * SGD with optional heavy-ball momentum and L2 weight decay, the baseline KOALA is compared with.
 *
 * <h2>Implementation notes</h2>
 *
 * <pre>
 *   d = g + λθ;  b = μ b + d (b_1 = d);  θ ← θ − η b      (PyTorch's SGD, dampening 0)
 * </pre>
 *
 * Without momentum the velocity buffer is empty and θ ← θ − η d.
 *
 * <p><b>Sparse gradients.</b> Without momentum and weight decay a coordinate the gradient does not
 * touch does not move (θ_i − η·0 = θ_i), so the step over the gradient's non-zero entries is the
 * dense step, bit for bit, at O(non-zeros). With momentum every coordinate whose velocity is not
 * zero moves at every step; the {@linkplain Config#lazy lazy} variant instead moves only the
 * coordinates where a sparse gradient is not zero, and only their velocity decays:
 *
 * <pre>
 *   for i in the gradient's support:  d_i = g_i + λθ_i;  b_i = μ b_i + d_i (b_i = d_i at step 1);
 *                                     θ_i ← θ_i − η b_i
 * </pre>
 *
 * which is a different optimizer from the dense one (the sparse momentum of TensorFlow's {@code
 * SparseApplyMomentum}); on a dense gradient it is the dense step.
 */
public final class Sgd implements Optimizer<SgdState> {

  /**
   * @param layout the parameter blocks (used only for sizes)
   * @param learningRate η
   * @param momentum μ
   * @param weightDecay λ
   * @param lazy on a sparse gradient, move (and decay) only the coordinates it touches
   */
  public record Config(
      BlockLayout layout, double learningRate, double momentum, double weightDecay, boolean lazy) {
    public Config {
      Checks.notNull(layout, "layout");
      Checks.positive(learningRate, "learning-rate");
      Checks.fraction(momentum, "momentum");
      Checks.nonNegative(weightDecay, "weight-decay");
    }

    /** The dense optimizer ({@code lazy} off). */
    public Config(BlockLayout layout, double learningRate, double momentum, double weightDecay) {
      this(layout, learningRate, momentum, weightDecay, false);
    }

    /** The defaults: η = 0.01, μ = 0.9, λ = 0, not lazy. */
    public static Config defaults(BlockLayout layout) {
      return new Config(layout, 0.01, 0.9, 0.0);
    }

    public Config withLearningRate(double eta) {
      return new Config(layout, eta, momentum, weightDecay, lazy);
    }

    public Config withMomentum(double mu) {
      return new Config(layout, learningRate, mu, weightDecay, lazy);
    }

    public Config withWeightDecay(double lambda) {
      return new Config(layout, learningRate, momentum, lambda, lazy);
    }

    public Config withLazy(boolean on) {
      return new Config(layout, learningRate, momentum, weightDecay, on);
    }
  }

  private final Config config;

  public Sgd(Config config) {
    this.config = config;
  }

  public Config config() {
    return config;
  }

  @Override
  public String name() {
    return "sgd";
  }

  @Override
  public BlockLayout layout() {
    return config.layout();
  }

  @Override
  public SgdState initialState(double[] initialParameters) {
    Checks.sameSize(initialParameters, config.layout());
    double[] velocity = new double[config.momentum() > 0 ? initialParameters.length : 0];
    return new SgdState(0, initialParameters.clone(), velocity);
  }

  @Override
  public double[] evaluationPoint(SgdState state) {
    return state.parameters();
  }

  /**
   * Without momentum and weight decay (the step is then the dense one), or when {@linkplain
   * Config#lazy lazy}.
   */
  @Override
  public boolean stepsSparse() {
    return config.lazy() || (config.momentum() == 0.0 && config.weightDecay() == 0.0);
  }

  /** Lazy momentum or decay differ from the dense step; without either it is the dense step. */
  @Override
  public boolean sparseStepIsDenseStep() {
    return config.momentum() == 0.0 && config.weightDecay() == 0.0;
  }

  @Override
  public SgdState detach(SgdState state) {
    return state.deepCopy();
  }

  @Override
  public StepResult<SgdState> step(SgdState state, Observation observation) {
    if (observation.isSparse()) {
      return stepSparse(state, observation);
    }
    double[] theta = state.parameters();
    double[] g = observation.gradient();
    double lr = config.learningRate();
    double mu = config.momentum();
    double decay = config.weightDecay();
    boolean momentum = mu > 0;
    boolean first = state.step() == 0;
    double[] next = new double[theta.length];
    double[] velocity = momentum ? new double[theta.length] : state.velocity();
    double check = Math.abs(observation.loss());
    for (int i = 0; i < theta.length; i++) {
      double d = g[i] + decay * theta[i];
      if (momentum) {
        d = first ? d : mu * state.velocity()[i] + d;
        velocity[i] = d;
      }
      double ti = theta[i] - lr * d;
      next[i] = ti;
      check = Math.max(check, Math.max(Math.abs(ti), Math.abs(d)));
    }
    if (!Double.isFinite(check)) {
      return Observations.refuse(state, observation);
    }
    return new StepResult<>(
        new SgdState(state.step() + 1, next, velocity), StepReport.unfiltered(lr));
  }

  /**
   * The step over the sparse gradient's entries, θ and the velocity updated in place. The new
   * values are computed and checked before any is written: a refused step leaves the state
   * untouched.
   */
  private StepResult<SgdState> stepSparse(SgdState state, Observation observation) {
    if (!stepsSparse()) {
      throw new IllegalStateException(
          "a sparse sgd step needs momentum 0 and weight-decay 0, or lazy; was momentum "
              + config.momentum()
              + ", weight-decay "
              + config.weightDecay());
    }
    double[] theta = state.parameters();
    double[] velocity = state.velocity();
    int[] at = observation.sparseGradient().indices();
    double[] g = observation.sparseGradient().values();
    Checks.sparseIndices(at, theta.length);
    double lr = config.learningRate();
    double mu = config.momentum();
    double decay = config.weightDecay();
    boolean momentum = mu > 0;
    boolean first = state.step() == 0;
    double[] next = new double[at.length];
    double[] nextVelocity = momentum ? new double[at.length] : null;
    double check = Math.abs(observation.loss());
    for (int k = 0; k < at.length; k++) {
      int i = at[k];
      double d = g[k] + decay * theta[i];
      if (momentum) {
        d = first ? d : mu * velocity[i] + d;
        nextVelocity[k] = d;
      }
      double ti = theta[i] - lr * d;
      next[k] = ti;
      check = Math.max(check, Math.max(Math.abs(ti), Math.abs(d)));
    }
    if (!Double.isFinite(check)) {
      return Observations.refuse(state, observation);
    }
    for (int k = 0; k < at.length; k++) {
      theta[at[k]] = next[k];
      if (momentum) {
        velocity[at[k]] = nextVelocity[k];
      }
    }
    return new StepResult<>(
        new SgdState(state.step() + 1, theta, velocity), StepReport.unfiltered(lr));
  }

  @Override
  public double covariance(SgdState state) {
    return Double.NaN;
  }

  @Override
  public double measurementNoise(SgdState state) {
    return Double.NaN;
  }

  @Override
  public double processNoise(SgdState state) {
    return Double.NaN;
  }
}
