package io.koala.optimizer;

/** Why the divergence guard refused a step; the state stays as it was before the batch. */
public enum Refusal {
  /** The observed loss or gradient holds NaN or an infinity. */
  NON_FINITE_OBSERVATION("the loss or gradient of the batch is not finite"),
  /** The step would have made a parameter or a filter quantity NaN or infinite. */
  NON_FINITE_STATE("the step would make a parameter or filter quantity non-finite"),
  /** The step would have made the covariance (or an innovation variance) zero or negative. */
  NON_POSITIVE_COVARIANCE("the step would make the covariance non-positive");

  private final String message;

  Refusal(String message) {
    this.message = message;
  }

  public String message() {
    return message;
  }
}
