package io.koala.model;

import io.koala.optimizer.BlockLayout;
import io.koala.optimizer.Observation;

/**
 * A differentiable model over a flat parameter vector: turns a micro-batch into an observation
 * (mean loss, per-example losses, gradient) and answers predictions. Implementations are stateless
 * and thread-safe.
 */
public interface Model {

  /** Number of parameters. */
  int parameterCount();

  /** Number of input features. */
  int featureCount();

  /** One block per weight matrix and per bias vector, in parameter order. */
  BlockLayout layerwiseLayout();

  /** Parameters before any training, reproducible from the seed. */
  double[] initialParameters(long seed);

  /** Loss, per-example losses and gradient of the batch at {@code parameters}. */
  Observation evaluate(double[] parameters, Batch batch);

  /** Prediction for one feature row. */
  Prediction predict(double[] parameters, double[] features);

  /**
   * Whether {@link #evaluate} and {@link #predict(double[], Batch, int)} take sparse rows as they
   * are; otherwise the trainer hands this model dense rows.
   */
  default boolean acceptsSparse() {
    return false;
  }

  /**
   * Whether {@link #evaluateSparse} is available: a gradient given by its non-zero entries when
   * every row of the batch is sparse.
   */
  default boolean evaluatesSparse() {
    return false;
  }

  /**
   * As {@link #evaluate}, on a batch whose every row is sparse, with the gradient as its non-zero
   * entries ({@link Observation#sparseGradient}): each entry bit for bit the dense gradient's, at a
   * cost of O(non-zeros) instead of O(d).
   */
  default Observation evaluateSparse(double[] parameters, Batch batch) {
    throw new UnsupportedOperationException(getClass().getSimpleName() + " has no sparse gradient");
  }

  /** {@link #evaluateSparse(double[], Batch)} at each of several points, on one batch. */
  default Observation[] evaluateSparse(double[][] points, Batch batch) {
    Observation[] out = new Observation[points.length];
    for (int m = 0; m < points.length; m++) {
      out[m] = evaluateSparse(points[m], batch);
    }
    return out;
  }

  /** Prediction for row {@code row} of a batch, dense or sparse. */
  default Prediction predict(double[] parameters, Batch batch, int row) {
    return predict(parameters, batch.dense(row, featureCount()));
  }

  /** Whether a label is valid for this model (finite, 0/1, or a class index in range). */
  boolean accepts(double label);

  /** Whether the model predicts a class (accuracy makes sense). */
  boolean isClassifier();

  /** The predicted label a prediction stands for, to score accuracy against the true label. */
  default double predictedLabel(Prediction prediction) {
    return isClassifier() && prediction.scores() == null
        ? (prediction.value() >= 0.5 ? 1.0 : 0.0)
        : prediction.value();
  }
}
