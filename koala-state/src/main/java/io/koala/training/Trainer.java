package io.koala.training;

import io.koala.model.Batch;
import io.koala.model.Model;
import io.koala.model.Prediction;
import io.koala.model.PredictiveDistribution;
import io.koala.model.Standardiser;
import io.koala.noise.PrequentialErrors;
import io.koala.optimizer.Observation;
import io.koala.optimizer.Optimizer;
import io.koala.optimizer.StepResult;
import io.koala.state.ModelState;
import io.koala.state.OptimizerState;
import io.koala.state.ResidualMoments;
import io.koala.state.ScaleEvidence;
import io.koala.state.StandardiserState;

/**
 * One key's training step, test-then-train: score the batch with the current model, then (with
 * standardisation on) fold the batch into the feature moments, evaluate loss and gradient at the
 * optimizer's evaluation point and take one step. Pure: the same inputs give the same outcome
 * ({@link #trainOwned} is the exception: it may update the state it is handed in place).
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

  /**
   * The state as this trainer's optimizer holds it: a state restored from a savepoint of another
   * preset of the same kind is adopted ({@link Optimizer#adopt}); any other is returned as it is.
   */
  public ModelState<S> adopt(ModelState<S> restored) {
    S own = optimizer.adopt(restored.optimizer());
    return own == restored.optimizer()
        ? restored
        : new ModelState<>(
            own,
            restored.standardiser(),
            restored.examples(),
            restored.rejectedBatches(),
            restored.residuals(),
            restored.logitScale());
  }

  /**
   * Scores and trains on one micro-batch of raw (unstandardised) features. Sparse rows stay sparse
   * for a model that takes them ({@link Model#acceptsSparse}) without standardisation (which would
   * fill them in); otherwise they are made dense first.
   */
  public TrainingOutcome<S> train(ModelState<S> given, Batch input) {
    return train(given, input, false);
  }

  /**
   * As {@link #train}, but the caller hands {@code given} over: on a batch of sparse rows, with a
   * model that {@link Model#evaluatesSparse evaluates sparse} and an optimizer that {@link
   * Optimizer#stepsSparse steps sparse} (KOALA-V without weight decay, alone or raced; SGD without
   * momentum and weight decay; the lazy SGD and Adam), the gradient stays sparse and the step
   * writes the state in place, O(non-zeros) per batch instead of O(d). The outcome is bit for bit
   * that of {@link #train} (which copies the state for a lazy optimizer); {@code given} must not be
   * used afterwards, unless the step was refused (a refused step leaves it as it was). The operator
   * calls this on the state it has just read, which it writes back.
   */
  public TrainingOutcome<S> trainOwned(ModelState<S> given, Batch input) {
    return train(given, input, true);
  }

  /** Whether {@link #trainOwned} takes the sparse path on {@code batch}. */
  public boolean stepsSparse(ModelState<S> given, Batch batch) {
    return !standardise
        && given.standardiser() == null
        && model.acceptsSparse()
        && model.evaluatesSparse()
        && optimizer.stepsSparse()
        && allSparse(batch);
  }

  private static boolean allSparse(Batch batch) {
    if (batch.size() == 0) {
      return false;
    }
    for (int i = 0; i < batch.size(); i++) {
      if (!batch.isSparse(i)) {
        return false;
      }
    }
    return true;
  }

  private TrainingOutcome<S> train(ModelState<S> given, Batch input, boolean owned) {
    ModelState<S> current = adopt(given);
    // A sparse step equal to the dense one is taken only where the state is handed over; a lazy
    // optimizer's sparse step is its definition on sparse input, so the copying path takes it too,
    // on a copy.
    boolean sparse = stepsSparse(current, input) && (owned || !optimizer.sparseStepIsDenseStep());
    Batch raw =
        standardise || !model.acceptsSparse() ? input.densified(model.featureCount()) : input;
    S state = sparse && !owned ? optimizer.detach(current.optimizer()) : current.optimizer();
    double[] parameters = state.parameters();
    StandardiserState moments = current.standardiser();
    Batch scored =
        moments == null
            ? raw
            : new Batch(Standardiser.apply(moments, raw.features()), raw.labels());
    // The served model's answer for each row, made once: its errors, residual moments and
    // logit-scale evidence all come from it.
    Prediction[] served = predictions(parameters, scored);
    PrequentialErrors errors = errors(served, scored);
    double accuracy = model.isClassifier() ? accuracy(errors) : Double.NaN;

    Batch train = scored;
    if (moments != null) {
      moments = Standardiser.update(moments, raw.features());
      train = new Batch(Standardiser.apply(moments, raw.features()), raw.labels());
    }
    // The drift detector's errors: the served model's, or those of the point the optimizer
    // monitors for drift.
    double[] watched = optimizer.monitoredPoint(state);
    PrequentialErrors monitored =
        watched == parameters ? errors : errors(predictions(watched, scored), scored);
    double[][] points = optimizer.evaluationPoints(state);
    // On the sparse path the members' points share one ordering of the batch's non-zeros.
    Observation[] seen =
        sparse ? model.evaluateSparse(points, train) : new Observation[points.length];
    double loss = Double.NaN;
    for (int m = 0; m < points.length; m++) {
      seen[m] = (sparse ? seen[m] : model.evaluate(points[m], train)).withErrors(monitored);
      // Prequential loss: at the current parameters on the batch as scored; reuse the training
      // evaluation when it is the same computation.
      if (points[m] == parameters && train == scored) {
        loss = seen[m].loss();
      }
    }
    if (Double.isNaN(loss)) {
      loss =
          (sparse ? model.evaluateSparse(parameters, scored) : model.evaluate(parameters, scored))
              .loss();
    }

    ResidualMoments residuals = residuals(current, scored, served);
    ScaleEvidence logitScale = logitScale(current, scored, served);

    StepResult<S> result =
        seen.length == 1 ? optimizer.step(state, seen[0]) : optimizer.step(state, seen);
    ModelState<S> next =
        result.report().accepted()
            ? new ModelState<>(
                result.state(),
                moments,
                current.examples() + raw.size(),
                current.rejectedBatches(),
                residuals,
                logitScale)
            : new ModelState<>(
                state,
                current.standardiser(),
                current.examples(),
                current.rejectedBatches() + 1,
                current.residuals(),
                current.logitScale());
    return new TrainingOutcome<>(next, result.report(), loss, accuracy, raw.size());
  }

  /**
   * The batch's prequential errors at the parameters before the step: 1 where a classifier's
   * predicted label is wrong, else 0; a regression model's residuals y − ŷ.
   */
  private Prediction[] predictions(double[] parameters, Batch batch) {
    Prediction[] p = new Prediction[batch.size()];
    for (int i = 0; i < p.length; i++) {
      p[i] = model.predict(parameters, batch, i);
    }
    return p;
  }

  private PrequentialErrors errors(Prediction[] predictions, Batch batch) {
    double[] values = new double[batch.size()];
    for (int i = 0; i < batch.size(); i++) {
      Prediction p = predictions[i];
      values[i] =
          model.isClassifier()
              ? (model.predictedLabel(p) == batch.labels()[i] ? 0.0 : 1.0)
              : batch.labels()[i] - p.value();
    }
    return model.isClassifier()
        ? PrequentialErrors.misclassifications(values)
        : PrequentialErrors.residuals(values);
  }

  private static double accuracy(PrequentialErrors errors) {
    double wrong = 0;
    for (double e : errors.values()) {
      wrong += e;
    }
    return 1.0 - wrong / errors.size();
  }

  /**
   * A regression key's residual moments after scoring {@code scored} (prequential: at the
   * parameters and covariance that would have answered a prediction request, whose answers are
   * {@code served}); null for classifiers and optimizers without a filter, unchanged when a
   * residual is not finite.
   */
  private ResidualMoments residuals(ModelState<S> current, Batch scored, Prediction[] served) {
    double covariance = predictiveCovariance(current.optimizer());
    if (model.isClassifier() || Double.isNaN(covariance)) {
      return current.residuals();
    }
    ResidualMoments m = current.residuals() == null ? ResidualMoments.EMPTY : current.residuals();
    for (int i = 0; i < scored.size(); i++) {
      Prediction p = served[i];
      double e = scored.labels()[i] - p.value();
      double u = PredictiveDistribution.outputVariances(covariance, p.outputSensitivities())[0];
      if (Double.isFinite(e) && Double.isFinite(u)) {
        m = PredictiveDistribution.observe(m, u, e * e);
      }
    }
    return m;
  }

  /**
   * A classifier key's evidence for the scale of its logit variances after scoring {@code scored}
   * (prequential, as {@link #residuals}); null for regression and optimizers without a filter.
   */
  private ScaleEvidence logitScale(ModelState<S> current, Batch scored, Prediction[] served) {
    double covariance = predictiveCovariance(current.optimizer());
    if (!model.isClassifier() || Double.isNaN(covariance)) {
      return current.logitScale();
    }
    ScaleEvidence e =
        current.logitScale() == null ? PredictiveDistribution.noEvidence() : current.logitScale();
    for (int i = 0; i < scored.size(); i++) {
      Prediction p = served[i];
      double[] variances =
          PredictiveDistribution.outputVariances(covariance, p.outputSensitivities());
      if (finite(p.outputs()) && finite(variances)) {
        e = PredictiveDistribution.observe(e, p.outputs(), variances, (int) scored.labels()[i]);
      }
    }
    return e;
  }

  private static boolean finite(double[] values) {
    for (double v : values) {
      if (!Double.isFinite(v)) {
        return false;
      }
    }
    return true;
  }

  /**
   * The predictive covariance p̂ = p + Q: the isotropic covariance summary, clamped at 0 (KOALA++'s
   * Rayleigh quotient can be negative), plus the process noise a step over one example would add;
   * NaN for optimizers without a filter.
   */
  public double predictiveCovariance(S state) {
    double covariance = optimizer.covariance(state);
    double processNoise = optimizer.processNoise(state);
    if (Double.isNaN(covariance)) {
      return Double.NaN;
    }
    return Math.max(covariance, 0.0) + (processNoise > 0 ? processNoise : 0.0);
  }

  /** The model's answer for one raw feature row, with its predictive distribution. */
  public Answer predict(ModelState<S> given, double[] raw) {
    ModelState<S> current = adopt(given);
    double[] x =
        current.standardiser() == null ? raw : Standardiser.apply(current.standardiser(), raw);
    return answer(current, model.predict(current.optimizer().parameters(), x));
  }

  /**
   * As {@link #predict(ModelState, double[])} for a sparse row, the values at strictly increasing
   * indices: scored over its non-zeros, O(non-zeros), where the model takes sparse rows and no
   * standardisation fills them in; made dense otherwise. The answer has the dense row's bits.
   */
  public Answer predict(ModelState<S> given, int[] indices, double[] values) {
    Batch row = Batch.sparseRequest(indices, values, model.featureCount());
    ModelState<S> current = adopt(given);
    if (standardise || current.standardiser() != null || !model.acceptsSparse()) {
      return predict(current, row.dense(0, model.featureCount()));
    }
    return answer(current, model.predict(current.optimizer().parameters(), row, 0));
  }

  /** The answer of the prediction {@code p}, with its predictive distribution. */
  private Answer answer(ModelState<S> current, Prediction p) {
    double covariance = predictiveCovariance(current.optimizer());
    if (!model.isClassifier()) {
      double[] outputVariances =
          PredictiveDistribution.outputVariances(covariance, p.outputSensitivities());
      double variance =
          PredictiveDistribution.targetVariance(current.residuals(), outputVariances[0]);
      return new Answer(
          p, p.value(), variance, Double.NaN, null, outputVariances, current.version());
    }
    double[] outputVariances =
        PredictiveDistribution.outputVariances(
            covariance * PredictiveDistribution.logitScale(current.logitScale()),
            p.outputSensitivities());
    if (p.scores() == null) {
      double probability =
          PredictiveDistribution.moderatedProbability(p.outputs()[0], outputVariances[0]);
      return new Answer(
          p,
          probability >= 0.5 ? 1.0 : 0.0,
          outputVariances[0],
          probability,
          null,
          outputVariances,
          current.version());
    }
    double[] probabilities =
        PredictiveDistribution.moderatedProbabilities(p.outputs(), outputVariances);
    int best = 0;
    for (int c = 1; c < probabilities.length; c++) {
      if (probabilities[c] > probabilities[best]) {
        best = c;
      }
    }
    return new Answer(
        p,
        best,
        outputVariances[best],
        Double.NaN,
        probabilities,
        outputVariances,
        current.version());
  }

  /**
   * The answer to a prediction request (docs/streaming.md#predictions).
   *
   * @param prediction the model's plug-in prediction (at the parameters)
   * @param label the value (regression), or the class the predictive distribution ranks first
   * @param variance regression: the variance of y, parameter part plus noise; classifiers: the
   *     variance of the logit of that class (at the key's chosen scale); NaN for optimizers without
   *     a filter
   * @param probability binary: the moderated P(y = 1) (the plug-in one without a filter); NaN
   *     otherwise
   * @param probabilities softmax: the moderated class probabilities; null otherwise
   * @param outputVariances the variance of each model output from the parameters alone: the value's
   *     (the filter's, unscaled), or each logit's (at the key's chosen scale)
   * @param modelVersion the version that answered
   */
  public record Answer(
      Prediction prediction,
      double label,
      double variance,
      double probability,
      double[] probabilities,
      double[] outputVariances,
      long modelVersion) {}
}
