package io.koala.state;

/** What every optimizer state has: the number of steps taken and the model parameters. */
public interface OptimizerState {

  /** Steps taken so far (the model version). */
  long step();

  /** The model parameters θ; never modified once the state is built. */
  double[] parameters();
}
