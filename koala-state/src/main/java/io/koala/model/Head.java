package io.koala.model;

/** The output layer's loss: what turns output scores z into a per-example loss and ∂ℓ/∂z. */
public enum Head {
  /** Regression: one output, ℓ = ½ (z − y)². */
  SQUARED,
  /** Binary classification: one logit, ℓ = log(1 + e^z) − y z, computed without overflow. */
  LOGISTIC,
  /** Multiclass: one logit per class, ℓ = logsumexp(z) − z_y. */
  SOFTMAX;

  /** How many outputs this head needs for {@code classes} classes. */
  public int outputs(int classes) {
    return this == SOFTMAX ? classes : 1;
  }

  /**
   * The loss of one example; writes ∂ℓ/∂z into {@code dz[0 .. outputs)}.
   *
   * @param z the outputs (logits or the regression value)
   */
  public double loss(double[] z, int outputs, double label, double[] dz) {
    switch (this) {
      case SQUARED:
        {
          double r = z[0] - label;
          dz[0] = r;
          return 0.5 * r * r;
        }
      case LOGISTIC:
        {
          double logit = z[0];
          dz[0] = sigmoid(logit) - label;
          return Math.max(logit, 0.0) - logit * label + Math.log1p(Math.exp(-Math.abs(logit)));
        }
      default:
        {
          int y = (int) label;
          double max = Double.NEGATIVE_INFINITY;
          for (int c = 0; c < outputs; c++) {
            max = Math.max(max, z[c]);
          }
          double sum = 0.0;
          for (int c = 0; c < outputs; c++) {
            double e = Math.exp(z[c] - max);
            dz[c] = e;
            sum += e;
          }
          for (int c = 0; c < outputs; c++) {
            dz[c] = dz[c] / sum - (c == y ? 1.0 : 0.0);
          }
          return Math.log(sum) + max - z[y];
        }
    }
  }

  /** Whether {@code label} is a valid label for this head with {@code outputs} outputs. */
  boolean accepts(double label, int outputs) {
    if (!Double.isFinite(label)) {
      return false;
    }
    return switch (this) {
      case SQUARED -> true;
      case LOGISTIC -> label == 0.0 || label == 1.0;
      case SOFTMAX -> label >= 0 && label < outputs && label == Math.rint(label);
    };
  }

  /**
   * Turns the outputs of one example into a prediction: writes ∂output/∂z into {@code dOutput} and
   * returns the reported value; for softmax also fills {@code scores} with probabilities. The
   * reported output is the value (regression), P(y = 1) (binary), or the predicted class's
   * probability (multiclass, whose returned value is that class's index).
   */
  public double output(double[] z, int outputs, double[] dOutput, double[] scores) {
    switch (this) {
      case SQUARED:
        dOutput[0] = 1.0;
        return z[0];
      case LOGISTIC:
        {
          double p = sigmoid(z[0]);
          dOutput[0] = p * (1.0 - p);
          return p;
        }
      default:
        {
          double max = Double.NEGATIVE_INFINITY;
          int best = 0;
          for (int c = 0; c < outputs; c++) {
            if (z[c] > max) {
              max = z[c];
              best = c;
            }
          }
          double sum = 0.0;
          for (int c = 0; c < outputs; c++) {
            scores[c] = Math.exp(z[c] - max);
            sum += scores[c];
          }
          for (int c = 0; c < outputs; c++) {
            scores[c] /= sum;
          }
          double top = scores[best];
          for (int c = 0; c < outputs; c++) {
            dOutput[c] = top * ((c == best ? 1.0 : 0.0) - scores[c]);
          }
          return best;
        }
    }
  }

  /**
   * The observation of a batch from summed loss and gradient: divides both by the batch size (the
   * gradient in place, after the sums, as the golden vectors were computed).
   */
  static io.koala.optimizer.Observation meanOver(
      int size, double totalLoss, double[] losses, double[] gradientSum) {
    for (int i = 0; i < gradientSum.length; i++) {
      gradientSum[i] /= size;
    }
    return new io.koala.optimizer.Observation(totalLoss / size, losses, gradientSum);
  }

  /** The logistic function, stable for large |z|. */
  static double sigmoid(double z) {
    if (z >= 0) {
      return 1.0 / (1.0 + Math.exp(-z));
    }
    double e = Math.exp(z);
    return e / (1.0 + e);
  }
}
