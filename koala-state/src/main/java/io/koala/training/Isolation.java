package io.koala.training;

import io.koala.model.Batch;
import io.koala.state.ModelState;
import io.koala.state.OptimizerState;
import java.util.ArrayList;
import java.util.List;

/**
 * Trains a micro-batch so that only the examples the filter cannot take are refused: when the step
 * over the whole batch is refused (one example with values near 1e308 is enough for the divergence
 * guard), each half is tried in turn, down to single examples. A batch the guard accepts costs one
 * step, as before; a refused one costs at most about 2·log₂(B) more.
 */
public final class Isolation {

  private Isolation() {}

  /**
   * One step over {@code batch}, examples {@code [offset, offset + batch.size())} of the batch that
   * was asked for.
   */
  public record Attempt<S extends OptimizerState>(
      TrainingOutcome<S> outcome, Batch batch, int offset) {}

  /**
   * The steps taken, in order: accepted ones, and refused single examples (or the whole batch when
   * it holds one example). Each starts from the state the previous one left.
   */
  public static <S extends OptimizerState> List<Attempt<S>> train(
      Trainer<S> trainer, ModelState<S> current, Batch batch) {
    List<Attempt<S>> attempts = new ArrayList<>();
    isolate(trainer, current, batch, 0, attempts);
    return attempts;
  }

  /**
   * As {@link #train}, the caller handing {@code current} over ({@link Trainer#trainOwned}): the
   * step over the whole batch may update it in place. A refused step leaves it as it was, and the
   * halves are then trained without handing over, so that every attempt's state stays as it was
   * made while the later ones train.
   */
  public static <S extends OptimizerState> List<Attempt<S>> trainOwned(
      Trainer<S> trainer, ModelState<S> current, Batch batch) {
    TrainingOutcome<S> outcome = trainer.trainOwned(current, batch);
    if (outcome.report().accepted() || batch.size() == 1) {
      return List.of(new Attempt<>(outcome, batch, 0));
    }
    List<Attempt<S>> attempts = new ArrayList<>();
    int half = batch.size() / 2;
    ModelState<S> middle = isolate(trainer, current, slice(batch, 0, half), 0, attempts);
    isolate(trainer, middle, slice(batch, half, batch.size()), half, attempts);
    return attempts;
  }

  private static <S extends OptimizerState> ModelState<S> isolate(
      Trainer<S> trainer, ModelState<S> current, Batch batch, int offset, List<Attempt<S>> out) {
    TrainingOutcome<S> outcome = trainer.train(current, batch);
    if (outcome.report().accepted() || batch.size() == 1) {
      out.add(new Attempt<>(outcome, batch, offset));
      return outcome.state();
    }
    // The refused step left the model as it was (but for its refusal count): retry by halves.
    int half = batch.size() / 2;
    ModelState<S> middle = isolate(trainer, current, slice(batch, 0, half), offset, out);
    return isolate(trainer, middle, slice(batch, half, batch.size()), offset + half, out);
  }

  private static Batch slice(Batch batch, int from, int to) {
    return batch.slice(from, to);
  }
}
