package io.koala.training;

import io.koala.optimizer.StepReport;
import io.koala.state.ModelState;
import io.koala.state.OptimizerState;

/**
 * What training on one micro-batch produced.
 *
 * @param state the key's model after the batch (the previous one when the step was refused, apart
 *     from the rejected-batch counter)
 * @param report the optimizer's step report
 * @param loss the prequential loss: the batch's mean loss under the model before the step
 * @param accuracy the prequential accuracy (classifiers), NaN for regression
 * @param examples the batch size
 */
public record TrainingOutcome<S extends OptimizerState>(
    ModelState<S> state, StepReport report, double loss, double accuracy, int examples) {}
