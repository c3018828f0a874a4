package io.koala.evaluation;

import io.koala.data.LabelledExample;
import io.koala.state.ModelState;
import io.koala.state.OptimizerState;
import io.koala.training.Isolation;
import io.koala.training.Trainer;
import io.koala.training.TrainingOutcome;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Replays examples through a {@link Trainer} in micro-batches, test-then-train, as the job's
 * training function does: the one replay of the demo's report, the drift benchmark and the tests.
 */
public final class Replay {

  private Replay() {}

  /**
   * One key's examples through a fresh model of {@code trainer}, in batches of {@code batchSize}
   * (the last one smaller when the examples do not divide evenly; pass a prefix to drop it).
   */
  public static <S extends OptimizerState> Trace run(
      Trainer<S> trainer, List<LabelledExample> examples, int batchSize) {
    return run(trainer, examples, batchSize, (state, batch) -> {});
  }

  /** What sees each batch before the model trains on it: the state that will score it. */
  @FunctionalInterface
  public interface BeforeBatch<S extends OptimizerState> {
    void accept(ModelState<S> state, List<LabelledExample> batch);
  }

  /**
   * As {@link #run(Trainer, List, int)}, showing {@code before} each batch and the state about to
   * score and train on it (to ask that state for predictions of the batch's examples).
   */
  public static <S extends OptimizerState> Trace run(
      Trainer<S> trainer, List<LabelledExample> examples, int batchSize, BeforeBatch<S> before) {
    return replay(trainer, examples, batchSize, before, state -> {});
  }

  /** The key's model after {@link #run(Trainer, List, int)}: the state the job ends with. */
  public static <S extends OptimizerState> ModelState<S> finalState(
      Trainer<S> trainer, List<LabelledExample> examples, int batchSize) {
    List<ModelState<S>> last = new ArrayList<>(1);
    replay(trainer, examples, batchSize, (state, batch) -> {}, last::add);
    return last.get(0);
  }

  private static <S extends OptimizerState> Trace replay(
      Trainer<S> trainer,
      List<LabelledExample> examples,
      int batchSize,
      BeforeBatch<S> before,
      java.util.function.Consumer<ModelState<S>> end) {
    Trace.Builder trace = Trace.builder();
    ModelState<S> state = trainer.initial();
    for (int start = 0; start < examples.size(); start += batchSize) {
      int size = Math.min(batchSize, examples.size() - start);
      before.accept(state, examples.subList(start, start + size));
      // As the job does: a refused batch is retried by halves (Isolation), each part a step.
      for (Isolation.Attempt<S> attempt :
          Isolation.train(trainer, state, LabelledExample.batch(examples, start, start + size))) {
        TrainingOutcome<S> outcome = attempt.outcome();
        state = outcome.state();
        trace.batch(
            attempt.batch().size(),
            outcome.accuracy(),
            outcome.loss(),
            outcome.report().driftDetected());
      }
    }
    end.accept(state);
    return trace.build();
  }

  /** Every key's examples through its own fresh model, keys in the map's order. */
  public static <S extends OptimizerState> Map<String, Trace> run(
      Trainer<S> trainer, Map<String, List<LabelledExample>> byKey, int batchSize) {
    Map<String, Trace> traces = new LinkedHashMap<>();
    byKey.forEach((key, examples) -> traces.put(key, run(trainer, examples, batchSize)));
    return traces;
  }

  /** An interleaved stream split by key, each key's examples in order, keys in first-seen order. */
  public static Map<String, List<LabelledExample>> byKey(List<LabelledExample> examples) {
    Map<String, List<LabelledExample>> byKey = new LinkedHashMap<>();
    for (LabelledExample e : examples) {
      byKey.computeIfAbsent(e.key(), k -> new ArrayList<>()).add(e);
    }
    return byKey;
  }
}
