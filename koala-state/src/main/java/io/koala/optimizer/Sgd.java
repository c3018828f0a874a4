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
 */
public final class Sgd implements Optimizer<SgdState> {

  /**
   * @param layout the parameter blocks (used only for sizes)
   * @param learningRate η
   * @param momentum μ
   * @param weightDecay λ
   */
  public record Config(
      BlockLayout layout, double learningRate, double momentum, double weightDecay) {
    public Config {
      Checks.notNull(layout, "layout");
      Checks.positive(learningRate, "learning-rate");
      Checks.fraction(momentum, "momentum");
      Checks.nonNegative(weightDecay, "weight-decay");
    }

    /** The defaults: η = 0.01, μ = 0.9, λ = 0. */
    public static Config defaults(BlockLayout layout) {
      return new Config(layout, 0.01, 0.9, 0.0);
    }

    public Config withLearningRate(double eta) {
      return new Config(layout, eta, momentum, weightDecay);
    }

    public Config withMomentum(double mu) {
      return new Config(layout, learningRate, mu, weightDecay);
    }

    public Config withWeightDecay(double lambda) {
      return new Config(layout, learningRate, momentum, lambda);
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

  @Override
  public StepResult<SgdState> step(SgdState state, Observation observation) {
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
      Refusal why =
          Observations.isFinite(observation)
              ? Refusal.NON_FINITE_STATE
              : Refusal.NON_FINITE_OBSERVATION;
      return new StepResult<>(state, StepReport.refused(why, Double.NaN));
    }
    return new StepResult<>(
        new SgdState(state.step() + 1, next, velocity),
        new StepReport(Double.NaN, Double.NaN, lr, 0, null, false, Double.NaN));
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
