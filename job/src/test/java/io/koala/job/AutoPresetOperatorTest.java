package io.koala.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.koala.connectors.TrainingEvent;
import io.koala.job.TrainingHarness.Backend;
import java.util.List;
import java.util.Map;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The auto preset's tuned state (format 3) through the operator's snapshot and restore. */
class AutoPresetOperatorTest {

  @ParameterizedTest
  @EnumSource(Backend.class)
  void snapshotRestoreContinue_auto_equalsAnUninterruptedRun(Backend backend) throws Exception {
    for (String optimizer : new String[] {"koala-v", "koala-m", "koala-pp"}) {
      JobConfig config =
          Fixtures.config(
              optimizer, "koala.model.standardise", "true", "koala.optimizer.defaults", "auto");
      List<TrainingEvent> events = Fixtures.stream(13, 3, 30);
      Map<String, double[]> expected = TrainingHarness.of(config).open().feed(events).finish();

      OperatorSubtaskState snapshot;
      try (var first = TrainingHarness.of(config, backend).open().feed(events.subList(0, 41))) {
        snapshot = first.snapshot();
      }
      Map<String, double[]> restored =
          TrainingHarness.of(config, backend)
              .restore(snapshot)
              .feed(events.subList(41, events.size()))
              .finish();
      assertThat(restored.keySet()).as(optimizer).isEqualTo(expected.keySet());
      for (String key : expected.keySet()) {
        assertThat(restored.get(key)).as(optimizer + " " + key).containsExactly(expected.get(key));
      }
    }
  }
}
