package io.koala.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.koala.connectors.ModelSnapshot;
import io.koala.connectors.TrainingEvent;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.OperatorSnapshotUtil;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Operator state written by version 0.1 of the trainer (kept under test resources) restores, and
 * training continues to the same models as an uninterrupted run. Run {@link #main} only to add
 * the snapshots of a new state format, into new files; never overwrite released ones.
 */
class SavedOperatorStateTest {

  private static final String FOLDER = "operator-snapshots";
  private static final int SPLIT = 41;

  private static JobConfig config(String optimizer) {
    // v0.1 had only the paper's defaults: the saved snapshots were taken with them, and a job
    // restored from them keeps its configuration.
    return Fixtures.config(optimizer, "koala.model.standardise", "true",
        "koala.optimizer.defaults", "reference");
  }

  private static List<TrainingEvent> events() {
    return Fixtures.stream(13, 3, 30);
  }

  private static KoalaOneHarness harness(String optimizer) throws Exception {
    return new KoalaOneHarness(new KeyedOneInputStreamOperatorTestHarness<>(
        new KeyedProcessOperator<>(new KoalaTrainingFunction(config(optimizer))),
        TrainingEvent::key, Types.STRING));
  }

  /** The harness with the few steps these tests take. */
  private record KoalaOneHarness(
      KeyedOneInputStreamOperatorTestHarness<String, TrainingEvent, ModelSnapshot> h) {
    void feed(List<TrainingEvent> events) throws Exception {
      for (TrainingEvent e : events) {
        h.processElement(new StreamRecord<>(e, e.timestamp()));
      }
    }

    Map<String, double[]> finish() throws Exception {
      h.processWatermark(new Watermark(Long.MAX_VALUE));
      Map<String, double[]> models = new TreeMap<>();
      for (ModelSnapshot s : h.extractOutputValues()) {
        models.put(s.key(), s.params());
      }
      return models;
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"koala-v", "koala-m", "koala-pp", "sgd", "adam"})
  void version01Snapshot_restores_andContinuesLikeAnUninterruptedRun(String optimizer)
      throws Exception {
    KoalaOneHarness straight = harness(optimizer);
    straight.h().open();
    straight.feed(events());
    Map<String, double[]> expected = straight.finish();

    Path saved = resource(optimizer);
    OperatorSubtaskState state = OperatorSnapshotUtil.readStateHandle(saved.toString());
    KoalaOneHarness restored = harness(optimizer);
    restored.h().initializeState(state);
    restored.h().open();
    restored.feed(events().subList(SPLIT, events().size()));
    Map<String, double[]> actual = restored.finish();
    assertThat(actual.keySet()).isEqualTo(expected.keySet());
    for (String key : expected.keySet()) {
      assertThat(actual.get(key)).as(optimizer + " " + key).containsExactly(expected.get(key));
    }
  }

  private static Path resource(String optimizer) throws URISyntaxException {
    var url = SavedOperatorStateTest.class.getResource("/" + FOLDER + "/" + name(optimizer));
    assertThat(url).as("saved snapshot " + name(optimizer)).isNotNull();
    return Path.of(url.toURI());
  }

  private static String name(String optimizer) {
    return "koala-train-v0.1-" + optimizer + ".snapshot";
  }

  /** Writes the snapshots into args[0] (src/test/resources/operator-snapshots). */
  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args[0]);
    Files.createDirectories(dir);
    for (String optimizer : new String[] {"koala-v", "koala-m", "koala-pp", "sgd", "adam"}) {
      KoalaOneHarness first = harness(optimizer);
      first.h().open();
      first.feed(events().subList(0, SPLIT));
      OperatorSubtaskState snapshot = first.h().snapshot(1, 1);
      OperatorSnapshotUtil.writeStateHandle(snapshot, dir.resolve(name(optimizer)).toString());
      first.h().close();
    }
  }

}
