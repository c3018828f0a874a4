package io.koala.state;

/**
 * Per-key state of the process-noise tuner of the {@code auto} preset ({@code ProcessNoiseTuner}).
 *
 * @param processNoise Q_k, the tuned process noise for the next step (per example)
 * @param lastStep Δθ_{k−1} = θ_{k−1} − θ_{k−2}, the previous step (empty before the first one)
 */
public record TunerState(double processNoise, double[] lastStep) {

  /** Before the first step, at Q_0. */
  public static TunerState initial(double processNoise) {
    return new TunerState(processNoise, new double[0]);
  }
}
