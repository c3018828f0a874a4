package io.koala.noise;

/**
 * The per-example prequential errors of one batch (made before the step that learns from it), as
 * the drift detector reads them.
 *
 * @param values per example: 1 if a classifier's prediction was wrong, else 0; or a regression
 *     model's residual y − ŷ
 * @param residuals whether {@code values} are regression residuals
 */
public record PrequentialErrors(double[] values, boolean residuals) {

  /** A classifier's errors: 1 where the predicted label was wrong. */
  public static PrequentialErrors misclassifications(double[] wrong) {
    return new PrequentialErrors(wrong, false);
  }

  /** A regression model's residuals y − ŷ. */
  public static PrequentialErrors residuals(double[] residuals) {
    return new PrequentialErrors(residuals, true);
  }

  public int size() {
    return values.length;
  }
}
