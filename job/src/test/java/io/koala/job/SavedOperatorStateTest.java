package io.koala.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.koala.connectors.TrainingEvent;
import io.koala.job.TrainingHarness.Backend;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.util.OperatorSnapshotUtil;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Operator state written by released layouts of the trainer (kept under test resources) restores on
 * the heap and on RocksDB, and training continues to the same models as an uninterrupted run. Every
 * saved snapshot was taken after 41 events, with open batches waiting, so the pending rows are part
 * of what restores. Run {@link #main} only to add the snapshots of a new state layout, into new
 * files; never overwrite released ones.
 *
 * <ul>
 *   <li>{@code v0.1}: pending rows as a {@code double[]} with the label last, in {@code
 *       koala-pending-rows};
 *   <li>{@code v0.2}: pending rows as typed {@code PendingRow}s, in {@code koala-pending-examples}.
 *   <li>{@code v0.3}: the model state's format 2 (the predictive distribution's evidence), KOALA-V
 *       4, KOALA-M 3 and KOALA++ 4 (the auto tuner, KOALA++'s previous process noise and the drift
 *       detector's state).
 *   <li>{@code v0.4}: pending rows of format 2, each with its event time and origin, and no {@code
 *       koala-pending} bookkeeping beside them (the rows carry it).
 * </ul>
 */
class SavedOperatorStateTest {

  private static final String FOLDER = "operator-snapshots";
  private static final int SPLIT = 41;
  private static final String[] OPTIMIZERS = {"koala-v", "koala-m", "koala-pp", "sgd", "adam"};
  private static final String[] LAYOUTS = {"v0.1", "v0.2", "v0.3", "v0.4"};

  /** The layout {@link #main} writes: the current one. */
  private static final String CURRENT_LAYOUT = "v0.4";

  private static JobConfig config(String optimizer) {
    // v0.1 had only the paper's defaults: the saved snapshots were taken with them, and a job
    // restored from them keeps its configuration.
    return Fixtures.config(
        optimizer, "koala.model.standardise", "true", "koala.optimizer.defaults", "reference");
  }

  private static List<TrainingEvent> events() {
    return Fixtures.stream(13, 3, 30);
  }

  static Stream<Arguments> savedSnapshots() {
    List<Arguments> cases = new ArrayList<>();
    for (String layout : LAYOUTS) {
      for (Backend backend : Backend.values()) {
        for (String optimizer : OPTIMIZERS) {
          cases.add(Arguments.of(layout, backend, optimizer));
        }
      }
    }
    return cases.stream();
  }

  @ParameterizedTest(name = "{0} on {1}: {2}")
  @MethodSource("savedSnapshots")
  void savedSnapshot_restores_andContinuesLikeAnUninterruptedRun(
      String layout, Backend backend, String optimizer) throws Exception {
    Map<String, double[]> expected =
        TrainingHarness.of(config(optimizer)).open().feed(events()).finish();

    OperatorSubtaskState state =
        onBackend(
            backend,
            config(optimizer),
            OperatorSnapshotUtil.readStateHandle(resource(layout, optimizer).toString()));
    Map<String, double[]> actual;
    try (var restored = TrainingHarness.of(config(optimizer), backend).restore(state)) {
      actual = restored.feed(events().subList(SPLIT, events().size())).finish();
    }
    assertThat(actual.keySet()).isEqualTo(expected.keySet());
    for (String key : expected.keySet()) {
      assertThat(actual.get(key))
          .as(layout + " " + backend + " " + optimizer + " " + key)
          .containsExactly(expected.get(key));
    }
  }

  /**
   * A savepoint of one filter (here the reference preset's, as every saved layout) restored under
   * the default auto preset: each key's race adopts the restored filter as all three members and
   * trains on. On the heap the trainer adopts the old objects; through a savepoint the race's
   * serializer adopts them as it writes; both paths give the same models.
   */
  @ParameterizedTest(name = "{0}")
  @org.junit.jupiter.params.provider.ValueSource(strings = {"koala-v", "koala-m", "koala-pp"})
  void savedSnapshotOfOneFilter_restoresUnderAuto_byAdoption(String optimizer) throws Exception {
    JobConfig auto = Fixtures.config(optimizer, "koala.model.standardise", "true");
    assertThat(auto.trainerSpec().stateSerializer().optimizerSerializer())
        .isInstanceOf(io.koala.state.RaceStateSerializer.class);
    OperatorSubtaskState saved =
        OperatorSnapshotUtil.readStateHandle(resource(CURRENT_LAYOUT, optimizer).toString());
    List<TrainingEvent> rest = events().subList(SPLIT, events().size());
    Map<String, double[]> onHeap;
    try (var restored = TrainingHarness.of(auto).restore(saved)) {
      onHeap = restored.feed(rest).finish();
    }
    OperatorSubtaskState rewritten;
    try (var heap = TrainingHarness.of(auto).restore(saved)) {
      rewritten = heap.savepoint();
    }
    Map<String, double[]> onRocksDb;
    try (var restored = TrainingHarness.of(auto, Backend.ROCKSDB).restore(rewritten)) {
      onRocksDb = restored.feed(rest).finish();
    }
    Map<String, double[]> asReference;
    try (var restored = TrainingHarness.of(config(optimizer)).restore(saved)) {
      asReference = restored.feed(rest).finish();
    }
    assertThat(onHeap.keySet()).isEqualTo(asReference.keySet()).isEqualTo(onRocksDb.keySet());
    for (String key : onHeap.keySet()) {
      assertThat(onRocksDb.get(key)).as(optimizer + " " + key).containsExactly(onHeap.get(key));
      assertThat(onHeap.get(key)).as(optimizer + " " + key).doesNotContain(Double.NaN);
      // The race trained on from the restored model (it is not the reference's continuation).
      assertThat(onHeap.get(key)).as(optimizer + " " + key).isNotEqualTo(asReference.get(key));
    }
  }

  @Test
  void version01Snapshot_restoredAndSnapshotAgain_restoresOnRocksDb() throws Exception {
    // Rows of 0.1 that are still waiting when the next checkpoint is taken stay in their old
    // state until their batch closes: such a checkpoint must restore too.
    String optimizer = "koala-v";
    Map<String, double[]> expected =
        TrainingHarness.of(config(optimizer)).open().feed(events()).finish();
    OperatorSubtaskState state =
        OperatorSnapshotUtil.readStateHandle(resource("v0.1", optimizer).toString());
    OperatorSubtaskState again;
    try (var restored = TrainingHarness.of(config(optimizer)).restore(state)) {
      again = restored.feed(events().subList(SPLIT, SPLIT + 1)).savepoint();
    }
    try (var continued = TrainingHarness.of(config(optimizer), Backend.ROCKSDB).restore(again)) {
      Map<String, double[]> actual =
          continued.feed(events().subList(SPLIT + 1, events().size())).finish();
      for (String key : expected.keySet()) {
        assertThat(actual.get(key)).as(key).containsExactly(expected.get(key));
      }
    }
  }

  /**
   * The saved files are checkpoints of the heap backend, which only the heap backend reads; Flink
   * moves state to another backend through a savepoint in the canonical format. For RocksDB the
   * state is restored on the heap and saved again so, unchanged (no event in between).
   */
  private static OperatorSubtaskState onBackend(
      Backend backend, JobConfig config, OperatorSubtaskState heapCheckpoint) throws Exception {
    if (backend == Backend.HEAP) {
      return heapCheckpoint;
    }
    try (var heap = TrainingHarness.of(config).restore(heapCheckpoint)) {
      return heap.savepoint();
    }
  }

  private static Path resource(String layout, String optimizer) throws URISyntaxException {
    String name = name(layout, optimizer);
    var url = SavedOperatorStateTest.class.getResource("/" + FOLDER + "/" + name);
    assertThat(url).as("saved snapshot " + name).isNotNull();
    return Path.of(url.toURI());
  }

  private static String name(String layout, String optimizer) {
    return "koala-train-" + layout + "-" + optimizer + ".snapshot";
  }

  /** Writes the current layout's snapshots into args[0] (src/test/resources/operator-snapshots). */
  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args[0]);
    Files.createDirectories(dir);
    for (String optimizer : OPTIMIZERS) {
      Path file = dir.resolve(name(CURRENT_LAYOUT, optimizer));
      if (Files.exists(file)) {
        throw new IllegalStateException(file + " exists: saved snapshots are never overwritten");
      }
      try (var first = TrainingHarness.of(config(optimizer)).open()) {
        first.feed(events().subList(0, SPLIT));
        OperatorSnapshotUtil.writeStateHandle(first.snapshot(), file.toString());
      }
    }
  }
}
