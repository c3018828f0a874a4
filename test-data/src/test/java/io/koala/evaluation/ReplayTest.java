package io.koala.evaluation;

import static org.assertj.core.api.Assertions.assertThat;

import io.koala.data.DriftingStream;
import io.koala.data.LabelledExample;
import io.koala.model.LinearModel;
import io.koala.optimizer.BlockLayout;
import io.koala.optimizer.KoalaV;
import io.koala.optimizer.KoalaVConfig;
import io.koala.state.KoalaVState;
import io.koala.state.ModelState;
import io.koala.training.Trainer;
import io.koala.training.TrainingOutcome;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ReplayTest {

  @Test
  void trace_builder_spreadsEachBatchOverItsExamples_andCountsAlarmsInExamples() {
    Trace t =
        Trace.builder()
            .batch(3, 0.5, 1.0, false)
            .batch(2, 1.0, 0.25, true)
            .batch(100, 0.75, 0.5, true)
            .build();
    assertThat(t.examples()).isEqualTo(105);
    assertThat(t.accuracy()[2]).isEqualTo(0.5);
    assertThat(t.accuracy()[3]).isEqualTo(1.0);
    assertThat(t.loss()[104]).isEqualTo(0.5);
    assertThat(t.alarms()).containsExactly(5, 105);
  }

  @Test
  void run_isTheTrainersOwnTestThenTrainLoop_lastBatchSmaller() {
    LinearModel model = LinearModel.logisticRegression(3);
    Trainer<KoalaVState> trainer =
        new Trainer<>(
            model,
            new KoalaV(KoalaVConfig.reference(BlockLayout.global(model.parameterCount()))),
            true,
            1);
    List<LabelledExample> examples = DriftingStream.sea("k", 2, 1_003, 500);

    Trace trace = Replay.run(trainer, examples, 8);

    assertThat(trace.examples()).isEqualTo(1_003);
    ModelState<KoalaVState> state = trainer.initial();
    for (int start = 0; start < examples.size(); start += 8) {
      int end = Math.min(examples.size(), start + 8);
      TrainingOutcome<KoalaVState> o =
          trainer.train(state, LabelledExample.batch(examples, start, end));
      state = o.state();
      for (int i = start; i < end; i++) {
        assertThat(trace.accuracy()[i]).isEqualTo(o.accuracy());
        assertThat(trace.loss()[i]).isEqualTo(o.loss());
      }
      assertThat(trace.alarms().contains(end)).isEqualTo(o.report().driftDetected());
    }
  }

  @Test
  void finalState_isTheStateAfterTheLastBatch() {
    LinearModel model = LinearModel.logisticRegression(3);
    Trainer<KoalaVState> trainer =
        new Trainer<>(
            model,
            new KoalaV(KoalaVConfig.reference(BlockLayout.global(model.parameterCount()))),
            true,
            1);
    List<LabelledExample> examples = DriftingStream.sea("k", 2, 1_003, 500);

    ModelState<KoalaVState> last = Replay.finalState(trainer, examples, 8);

    ModelState<KoalaVState> state = trainer.initial();
    for (int start = 0; start < examples.size(); start += 8) {
      int end = Math.min(examples.size(), start + 8);
      state = trainer.train(state, LabelledExample.batch(examples, start, end)).state();
    }
    assertThat(last.version()).isEqualTo(state.version()).isEqualTo(126);
    assertThat(last.examples()).isEqualTo(state.examples()).isEqualTo(1_003);
    assertThat(last.optimizer().parameters()).containsExactly(state.optimizer().parameters());
  }

  @Test
  void byKey_keepsEachKeysOrder_andTrueDriftsAreTheConceptChanges() {
    List<LabelledExample> all = DriftingStream.multiKeyConcepts(3, 4, 300);
    Map<String, List<LabelledExample>> byKey = Replay.byKey(all);
    assertThat(byKey).hasSize(4);
    byKey
        .values()
        .forEach(
            examples -> {
              assertThat(examples).hasSize(300);
              List<Integer> drifts = DriftScore.trueDrifts(examples);
              assertThat(drifts)
                  .hasSize(2)
                  .allSatisfy(
                      d ->
                          assertThat(examples.get(d).concept())
                              .isNotEqualTo(examples.get(d - 1).concept()));
            });
  }
}
