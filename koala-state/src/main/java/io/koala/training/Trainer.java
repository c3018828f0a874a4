package io.koala.training;

import io.koala.model.Batch;
import io.koala.model.Model;
import io.koala.model.Prediction;
import io.koala.model.Standardiser;
import io.koala.optimizer.Observation;
import io.koala.optimizer.Optimizer;
import io.koala.optimizer.StepResult;
import io.koala.state.ModelState;
import io.koala.state.OptimizerState;
import io.koala.state.StandardiserState;

/**
 * One key's training step, test-then-train: score the batch with the current model, then (with
 * standardisation on) fold the batch into the feature moments, evaluate loss and gradient at the
 * optimizer's evaluation point and take one step. Pure: the same inputs give the same outcome.
 */
public final class Trainer<S extends OptimizerState> {

  private final Model model;
  private final Optimizer<S> optimizer;
  private final boolean standardise;
  private final long seed;

  /**
   * @param seed seeds the initial parameters (the same for every key, so that a key's model depends
   *     only on its own events)
   */
  public Trainer(Model model, Optimizer<S> optimizer, boolean standardise, long seed) {
    if (model.parameterCount() != optimizer.layout().parameterCount()) {
      throw new IllegalArgumentException(
          "the optimizer's layout has "
              + optimizer.layout().parameterCount()
              + " parameters, the model "
              + model.parameterCount());
    }
    this.model = model;
    this.optimizer = optimizer;
    this.standardise = standardise;
    this.seed = seed;
  }

  public Model model() {
    return model;
  }

  public Optimizer<S> optimizer() {
    return optimizer;
  }

  /** A new key's model. */
  public ModelState<S> initial() {
    StandardiserState moments = standardise ? Standardiser.initial(model.featureCount()) : null;
    return new ModelState<>(optimizer.initialState(model.initialParameters(seed)), moments, 0, 0);
  }

  /** Scores and trains on one micro-batch of raw (unstandardised) features. */
  public TrainingOutcome<S> train(ModelState<S> current, Batch raw) {
    S state = current.optimizer();
    double[] parameters = state.parameters();
    StandardiserState moments = current.standardiser();
    Batch scored =
        moments == null
            ? raw
            : new Batch(Standardiser.apply(moments, raw.features()), raw.labels());
    double accuracy = model.isClassifier() ? accuracy(parameters, scored) : Double.NaN;

    Batch train = scored;
    if (moments != null) {
      moments = Standardiser.update(moments, raw.features());
      train = new Batch(Standardiser.apply(moments, raw.features()), raw.labels());
    }
    double[] point = optimizer.evaluationPoint(state);
    Observation seen = model.evaluate(point, train);
    // Prequential loss: at the current parameters on the batch as scored; reuse the training
    // evaluation when it is the same computation.
    double loss =
        point == parameters && train == scored
            ? seen.loss()
            : model.evaluate(parameters, scored).loss();

    StepResult<S> result = optimizer.step(state, seen);
    ModelState<S> next =
        result.report().accepted()
            ? new ModelState<>(
                result.state(), moments, current.examples() + raw.size(), current.rejectedBatches())
            : new ModelState<>(
                state, current.standardiser(), current.examples(), current.rejectedBatches() + 1);
    return new TrainingOutcome<>(next, result.report(), loss, accuracy, raw.size());
  }

  private double accuracy(double[] parameters, Batch batch) {
    int correct = 0;
    for (int i = 0; i < batch.size(); i++) {
      Prediction p = model.predict(parameters, batch.features()[i]);
      if (model.predictedLabel(p) == batch.labels()[i]) {
        correct++;
      }
    }
    return (double) correct / batch.size();
  }

  /** The model's answer for one raw feature row, with its predictive variance. */
  public Answer predict(ModelState<S> current, double[] raw) {
    double[] x =
        current.standardiser() == null ? raw : Standardiser.apply(current.standardiser(), raw);
    Prediction p = model.predict(current.optimizer().parameters(), x);
    return new Answer(p, p.variance(optimizer.covariance(current.optimizer())), current.version());
  }

  /** A prediction with its variance (NaN for optimizers without a filter) and the model version. */
  public record Answer(Prediction prediction, double variance, long modelVersion) {}
}
