package io.koala.optimizer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.koala.model.Batch;
import io.koala.model.LinearModel;
import io.koala.state.KoalaVStateSerializer;
import io.koala.state.OptimizerState;
import io.koala.state.RaceState;
import io.koala.state.RaceStateSerializer;
import io.koala.testing.Streams;
import java.io.IOException;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;

/**
 * The auto preset's race over Q: it moves down on a stationary stream, to the top on a drift alarm,
 * keeps what the winner learnt when it moves, and restores exactly.
 */
class AutoPresetTest {

  private static final double[] WEIGHTS = {1.5, -2, 0.5, 3, 1};
  private static final double[] JUMPED = {-1, 2.5, -1.5, 0, -2};
  private static final LinearModel MODEL = LinearModel.linearRegression(WEIGHTS.length);

  private static ProcessNoiseRace auto(OptimizerKind kind) {
    return (ProcessNoiseRace)
        (Optimizer<?>)
            Optimizers.create(kind, Preset.AUTO, OptimizerSpec.of(MODEL.layerwiseLayout()));
  }

  /** One race step on a batch: every member evaluated at its own point. */
  static RaceState step(ProcessNoiseRace race, RaceState state, Batch batch) {
    double[][] points = race.evaluationPoints(state);
    Observation[] seen = new Observation[points.length];
    for (int m = 0; m < points.length; m++) {
      seen[m] = MODEL.evaluate(points[m], batch);
    }
    return race.step(state, seen).state();
  }

  /** The centre's grid level after each batch. */
  private static int[] centres(ProcessNoiseRace race, Batch[] batches) {
    RaceState state = race.initialState(MODEL.initialParameters(1));
    int[] centre = new int[batches.length];
    for (int k = 0; k < batches.length; k++) {
      state = step(race, state, batches[k]);
      centre[k] = state.centre();
    }
    return centre;
  }

  @Test
  void create_auto_racesEveryKoalaKindOverNineDecades_andOverridesReachIt() {
    for (OptimizerKind kind :
        new OptimizerKind[] {
          OptimizerKind.KOALA_V, OptimizerKind.KOALA_M, OptimizerKind.KOALA_PP
        }) {
      ProcessNoiseRace race = auto(kind);
      assertThat(race.name()).isEqualTo(kind.optimizerName());
      assertThat(race.settings()).isEqualTo(ProcessNoiseRace.Settings.defaults());
      assertThat(race.settings().max() / race.settings().min()).isGreaterThanOrEqualTo(1e5);
      // Every member is the kind's auto config at its own constant Q per example.
      Record lowest = race.level(0).config();
      io.koala.noise.ProcessNoise q =
          switch (kind) {
            case KOALA_V -> ((KoalaVConfig) lowest).processNoise();
            case KOALA_M -> ((KoalaMConfig) lowest).driftNoise();
            default -> ((KoalaPlusPlusConfig) lowest).processNoise();
          };
      assertThat(q.adaptive()).isFalse();
      assertThat(q.perExample()).isTrue();
      assertThat(q.base()).isEqualTo(1e-9);
    }
    OptimizerSpec spec = OptimizerSpec.of(MODEL.layerwiseLayout());
    ProcessNoiseRace started =
        (ProcessNoiseRace)
            (Optimizer<?>)
                Optimizers.create(OptimizerKind.KOALA_V, Preset.AUTO, spec.withProcessNoise(1e-2));
    assertThat(started.initialState(new double[6]).centre()).isEqualTo(7);
    assertThat(Optimizers.create(OptimizerKind.KOALA_V, Preset.AUTO, spec.withAdaptive(false)))
        .isInstanceOf(KoalaV.class);
    assertThat(Optimizers.isRace(OptimizerKind.SGD, Preset.AUTO, spec)).isFalse();
  }

  /**
   * KOALA-V and KOALA-M anneal: two decades or more below the start. (KOALA++'s race stays within a
   * level of its start on this stream: its per-block covariance does not shrink as 1/k, so a lower
   * Q does not lower its loss here.)
   */
  @Test
  void step_stationaryNoisyStream_movesTheRaceDown() {
    for (OptimizerKind kind : new OptimizerKind[] {OptimizerKind.KOALA_V, OptimizerKind.KOALA_M}) {
      for (long seed = 1; seed <= 3; seed++) {
        ProcessNoiseRace race = auto(kind);
        int start = race.initialState(new double[6]).centre();
        int[] centre =
            centres(race, Streams.regression(seed, 1_500, 16, WEIGHTS, WEIGHTS, -1, 0.5));
        assertThat(centre[centre.length - 1])
            .as("%s seed %d", kind, seed)
            .isLessThanOrEqualTo(start - 2);
      }
    }
  }

  @Test
  void step_jump_raisesTheRaceAfterIt() {
    for (long seed = 1; seed <= 3; seed++) {
      int[] centre =
          centres(
              auto(OptimizerKind.KOALA_V),
              Streams.regression(seed, 1_200, 16, WEIGHTS, JUMPED, 800, 0.5));
      int after = 0;
      for (int k = 800; k < 850; k++) {
        after = Math.max(after, centre[k]);
      }
      assertThat(after).as("seed %d", seed).isGreaterThanOrEqualTo(centre[799] + 2);
    }
  }

  @Test
  void step_aMove_keepsTheWinnersStateAndItsEvidence() {
    ProcessNoiseRace race = auto(OptimizerKind.KOALA_V);
    Batch[] batches = Streams.regression(5, 400, 8, WEIGHTS, WEIGHTS, -1, 0.5);
    RaceState state = race.initialState(MODEL.initialParameters(1));
    int moves = 0;
    for (Batch batch : batches) {
      RaceState next = step(race, state, batch);
      if (next.centre() != state.centre()) {
        // The step each member took on this batch, then the shift: recompute the members' steps.
        double[][] points = race.evaluationPoints(state);
        OptimizerState[] stepped = new OptimizerState[3];
        for (int m = 0; m < 3; m++) {
          Optimizer<OptimizerState> member = race.level(state.centre() + m - 1);
          stepped[m] = member.step(state.members()[m], MODEL.evaluate(points[m], batch)).state();
        }
        boolean up = next.centre() > state.centre();
        int winner = up ? 2 : 0;
        assertThat(next.members()[1]).usingRecursiveComparison().isEqualTo(stepped[winner]);
        assertThat(next.members()[up ? 2 : 0])
            .usingRecursiveComparison()
            .isEqualTo(stepped[winner]);
        assertThat(next.members()[up ? 0 : 2]).usingRecursiveComparison().isEqualTo(stepped[1]);
        moves++;
      }
      state = next;
    }
    assertThat(moves).isGreaterThanOrEqualTo(2);
  }

  @Test
  void step_singleObservation_isRefusedWithAMessage() {
    ProcessNoiseRace race = auto(OptimizerKind.KOALA_V);
    RaceState state = race.initialState(new double[6]);
    Observation seen =
        MODEL.evaluate(
            state.parameters(), Streams.regression(1, 1, 4, WEIGHTS, WEIGHTS, -1, 0.1)[0]);
    assertThatThrownBy(() -> race.step(state, seen))
        .isInstanceOf(UnsupportedOperationException.class)
        .hasMessageContaining("evaluationPoints");
  }

  /** Restored after every batch (as RocksDB reads it), each kind's race continues exactly. */
  @org.junit.jupiter.params.ParameterizedTest
  @org.junit.jupiter.params.provider.EnumSource(
      value = OptimizerKind.class,
      names = {"KOALA_V", "KOALA_M", "KOALA_PP"})
  void snapshotRestore_everyBatch_continuesExactly(OptimizerKind kind) throws IOException {
    ProcessNoiseRace race = auto(kind);
    @SuppressWarnings({"unchecked", "rawtypes"})
    org.apache.flink.api.common.typeutils.TypeSerializer<OptimizerState> member =
        (org.apache.flink.api.common.typeutils.TypeSerializer)
            switch (kind) {
              case KOALA_V -> KoalaVStateSerializer.INSTANCE;
              case KOALA_M -> io.koala.state.KoalaMStateSerializer.INSTANCE;
              default -> io.koala.state.KoalaPlusPlusStateSerializer.INSTANCE;
            };
    RaceStateSerializer serializer = new RaceStateSerializer(member, race.startCentre());
    Batch[] batches = Streams.regression(4, 400, 8, WEIGHTS, JUMPED, 200, 0.3);
    RaceState straight = race.initialState(MODEL.initialParameters(1));
    RaceState restored = straight;
    for (int k = 0; k < batches.length; k++) {
      straight = step(race, straight, batches[k]);
      restored = step(race, restored, batches[k]);
      DataOutputSerializer out = new DataOutputSerializer(256);
      serializer.serialize(restored, out);
      restored =
          (RaceState) serializer.deserialize(new DataInputDeserializer(out.getCopyOfBuffer()));
      assertThat(restored.parameters())
          .as("%s batch %d", kind, k)
          .containsExactly(straight.parameters());
    }
    assertThat(straight.centre()).isNotEqualTo(race.initialState(new double[6]).centre());
    assertThat(restored)
        .usingRecursiveComparison()
        .withComparatorForType(Double::compare, Double.class)
        .isEqualTo(straight);
  }

  @Test
  void serializedState_isThreeMembersAndTheEvidence() throws IOException {
    ProcessNoiseRace race = auto(OptimizerKind.KOALA_V);
    @SuppressWarnings({"unchecked", "rawtypes"})
    RaceStateSerializer serializer =
        new RaceStateSerializer(
            (org.apache.flink.api.common.typeutils.TypeSerializer) KoalaVStateSerializer.INSTANCE,
            race.startCentre());
    RaceState state = race.initialState(MODEL.initialParameters(1));
    for (Batch batch : Streams.regression(6, 50, 8, WEIGHTS, WEIGHTS, -1, 0.3)) {
      state = step(race, state, batch);
    }
    DataOutputSerializer whole = new DataOutputSerializer(256);
    serializer.serialize(state, whole);
    int members = 0;
    for (OptimizerState m : state.members()) {
      DataOutputSerializer one = new DataOutputSerializer(256);
      KoalaVStateSerializer.INSTANCE.serialize((io.koala.state.KoalaVState) m, one);
      members += one.length();
    }
    // step, centre, leader, the evidence array (its length and 8 doubles)
    assertThat(whole.length()).isEqualTo(members + 8 + 4 + 4 + 4 + 8 * 8);
  }

  @Test
  void oneFiltersState_isAdoptedAsAllThreeMembers_byTheSerializerAndTheOptimizer()
      throws Exception {
    ProcessNoiseRace race = auto(OptimizerKind.KOALA_V);
    Optimizer<OptimizerState> single =
        Optimizers.create(
            OptimizerKind.KOALA_V, Preset.STREAM, OptimizerSpec.of(MODEL.layerwiseLayout()));
    OptimizerState filter = single.initialState(MODEL.initialParameters(1));
    for (Batch batch : Streams.regression(7, 30, 8, WEIGHTS, WEIGHTS, -1, 0.3)) {
      filter = single.step(filter, MODEL.evaluate(filter.parameters(), batch)).state();
    }
    @SuppressWarnings({"unchecked", "rawtypes"})
    org.apache.flink.api.common.typeutils.TypeSerializer<OptimizerState> member =
        (org.apache.flink.api.common.typeutils.TypeSerializer) KoalaVStateSerializer.INSTANCE;
    RaceStateSerializer serializer = new RaceStateSerializer(member, race.startCentre());

    // What Flink does when it migrates: it hands the new serializer the old state to write.
    DataOutputSerializer out = new DataOutputSerializer(256);
    serializer.serialize(filter, out);
    RaceState written =
        (RaceState) serializer.deserialize(new DataInputDeserializer(out.getCopyOfBuffer()));
    RaceState adopted = race.adopt(filter);
    assertThat(written)
        .usingRecursiveComparison()
        .withComparatorForType(Double::compare, Double.class)
        .isEqualTo(adopted);
    assertThat(adopted.step()).isEqualTo(filter.step()).isEqualTo(30);
    assertThat(adopted.centre()).isEqualTo(race.startCentre());
    assertThat(adopted.members()).containsOnly(filter);
    assertThat(adopted.parameters()).containsExactly(filter.parameters());
    assertThat(race.adopt(adopted)).isSameAs(adopted);

    // A snapshot of the member's own serializer is compatible after migration; another kind's
    // is not.
    assertThat(
            serializer
                .snapshotConfiguration()
                .resolveSchemaCompatibility(member.snapshotConfiguration())
                .isCompatibleAfterMigration())
        .isTrue();
    @SuppressWarnings({"unchecked", "rawtypes"})
    org.apache.flink.api.common.typeutils.TypeSerializerSnapshot<OptimizerState> other =
        (org.apache.flink.api.common.typeutils.TypeSerializerSnapshot)
            io.koala.state.KoalaMStateSerializer.INSTANCE.snapshotConfiguration();
    assertThat(
            serializer.snapshotConfiguration().resolveSchemaCompatibility(other).isIncompatible())
        .isTrue();
    assertThat(
            serializer
                .snapshotConfiguration()
                .resolveSchemaCompatibility(serializer.snapshotConfiguration())
                .isCompatibleAsIs())
        .isTrue();
  }
}
