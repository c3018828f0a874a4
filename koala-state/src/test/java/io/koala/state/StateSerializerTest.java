package io.koala.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.koala.state.StateFixtures.Fixture;
import io.koala.testing.Streams;
import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSchemaCompatibility;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;

class StateSerializerTest {

  private static <T> T roundTrip(Fixture<T> fixture) throws IOException {
    return fixture
        .serializer()
        .deserialize(new DataInputDeserializer(StateFixtures.bytes(fixture)));
  }

  @Test
  void everyState_roundTripsExactly_andCopiesDeeply() throws IOException {
    for (Map.Entry<String, Fixture<?>> e : StateFixtures.all().entrySet()) {
      checkRoundTrip(e.getKey(), e.getValue());
    }
  }

  private static <T> void checkRoundTrip(String name, Fixture<T> fixture) throws IOException {
    T back = roundTrip(fixture);
    assertThat(back)
        .as(name)
        .usingRecursiveComparison()
        .withComparatorForType(Double::compare, Double.class)
        .isEqualTo(fixture.state());
    T copy = fixture.serializer().copy(fixture.state());
    assertThat(copy)
        .as(name)
        .usingRecursiveComparison()
        .withComparatorForType(Double::compare, Double.class)
        .isEqualTo(fixture.state());
    assertThat(((OptimizerStateOrStandardiser) () -> copy).firstArray())
        .as(name + ": the copy owns its arrays")
        .isNotSameAs(((OptimizerStateOrStandardiser) fixture::state).firstArray());
    DataOutputSerializer out = new DataOutputSerializer(64);
    fixture.serializer().copy(new DataInputDeserializer(StateFixtures.bytes(fixture)), out);
    assertThat(out.getCopyOfBuffer()).as(name).isEqualTo(StateFixtures.bytes(fixture));
  }

  /** The first array of either kind of state, to check that copies do not share it. */
  private interface OptimizerStateOrStandardiser {
    Object state();

    default double[] firstArray() {
      Object s = state();
      return s instanceof OptimizerState o ? o.parameters() : ((StandardiserState) s).mean();
    }
  }

  @Test
  void koalaVState_serializesWithin5PercentPlus128BytesOfItsParameters() throws IOException {
    for (int n : new int[] {100, 10_000}) {
      KoalaVState state =
          new KoalaVState(1, Streams.randomVector(1, n, 1), 0.1, 1, StateFixtures.DRIFT);
      int size = StateFixtures.bytes(new Fixture<>(state, KoalaVStateSerializer.INSTANCE)).length;
      assertThat(size).as("n = %d", n).isLessThanOrEqualTo((int) (1.05 * 8 * n) + 128);
    }
  }

  @Test
  void koalaVModelState_perKey_staysWithin5PercentPlus128BytesOfItsParameters() throws IOException {
    var serializer = new ModelStateSerializer<>(KoalaVStateSerializer.INSTANCE);
    for (int n : new int[] {101, 10_001}) {
      var state =
          new ModelState<>(
              new KoalaVState(3, Streams.randomVector(2, n, 1), 0.1, 1, StateFixtures.DRIFT),
              null,
              96,
              0);
      DataOutputSerializer out = new DataOutputSerializer(8 * n + 256);
      serializer.serialize(state, out);
      assertThat(out.length()).as("n = %d", n).isLessThanOrEqualTo((int) (1.05 * 8 * n) + 128);
      assertThat(serializer.deserialize(new DataInputDeserializer(out.getCopyOfBuffer())))
          .usingRecursiveComparison()
          .isEqualTo(state);
    }
  }

  @Test
  void modelState_withResidualMoments_roundTrips() throws IOException {
    var serializer = new ModelStateSerializer<>(KoalaVStateSerializer.INSTANCE);
    var state =
        new ModelState<>(
            new KoalaVState(3, Streams.randomVector(2, 5, 1), 0.1, 1, StateFixtures.DRIFT),
            null,
            96,
            1,
            new ResidualMoments(12.5, 0.1, 0.02, 0.3, 0.04),
            new ScaleEvidence(7.0, new double[] {0.7, 0.6, 0.65}));
    DataOutputSerializer out = new DataOutputSerializer(256);
    serializer.serialize(state, out);
    assertThat(serializer.deserialize(new DataInputDeserializer(out.getCopyOfBuffer())))
        .usingRecursiveComparison()
        .isEqualTo(state);
    assertThat(serializer.copy(state)).usingRecursiveComparison().isEqualTo(state);
  }

  @Test
  void modelStateFormat1_restoresWithoutResidualMoments_compatibleAfterMigration()
      throws IOException {
    var format1 = new ModelStateSerializer<>(KoalaVStateSerializer.INSTANCE, 1);
    var state =
        new ModelState<>(
            new KoalaVState(3, Streams.randomVector(2, 5, 1), 0.1, 1, StateFixtures.DRIFT),
            null,
            96,
            0);
    DataOutputSerializer out = new DataOutputSerializer(256);
    format1.serialize(state, out);
    // Format 1 ends after the counters: nothing follows them.
    assertThat(out.length()).isEqualTo(expectedFormat1Length(state));
    var old = new ModelStateSerializer.Snapshot<>(format1);
    var current = new ModelStateSerializer<>(KoalaVStateSerializer.INSTANCE);
    assertThat(
            current
                .snapshotConfiguration()
                .resolveSchemaCompatibility(old)
                .isCompatibleAfterMigration())
        .isTrue();
    @SuppressWarnings("unchecked")
    var restore = (ModelStateSerializer<KoalaVState>) old.restoreSerializer();
    assertThat(restore.format()).isEqualTo(1);
    ModelState<KoalaVState> read =
        restore.deserialize(new DataInputDeserializer(out.getCopyOfBuffer()));
    assertThat(read).usingRecursiveComparison().isEqualTo(state);
    assertThat(read.residuals()).isNull();
  }

  private static int expectedFormat1Length(ModelState<KoalaVState> state) throws IOException {
    DataOutputSerializer optimizer = new DataOutputSerializer(256);
    KoalaVStateSerializer.INSTANCE.serialize(state.optimizer(), optimizer);
    return optimizer.length() + 1 + 8 + 8;
  }

  @Test
  void snapshot_roundTrips_andIsCompatibleAsIs() throws IOException {
    for (Fixture<?> fixture : StateFixtures.all().values()) {
      checkSnapshot(fixture, StateFixtures.snapshotBytes(fixture));
    }
  }

  @Test
  void savedV1Snapshots_stillRestore() throws IOException {
    for (Map.Entry<String, Fixture<?>> e : StateFixtures.all().entrySet()) {
      byte[] snapshot = resource("v1", e.getKey() + ".snapshot");
      byte[] state = resource("v1", e.getKey() + ".state");
      boolean migrated = KOALA_STATES.contains(e.getKey());
      TypeSerializer<?> restored = checkSnapshot(e.getValue(), snapshot, migrated);
      Object back = restored.deserialize(new DataInputDeserializer(state));
      // Format 1 had no CUSUM reference (it starts at the loss level) and pooled nothing.
      Object expected =
          migrated
              ? withReference(
                  withoutPreviousProcessNoise(e.getValue().state()),
                  StateFixtures.DRIFT.lossLevel())
              : e.getValue().state();
      assertThat(back)
          .as(e.getKey())
          .usingRecursiveComparison()
          .withComparatorForType(Double::compare, Double.class)
          .isEqualTo(expected);
    }
  }

  @Test
  void savedV2Snapshots_restore() throws IOException {
    for (Map.Entry<String, Fixture<?>> e : StateFixtures.all().entrySet()) {
      // Format 3 added KOALA++'s previous process noise and KOALA-V's auto tuner state, and the
      // next format of each KOALA state the drift detector's state: their format 2 migrates (read
      // with the new fields absent).
      boolean migrated = KOALA_STATES.contains(e.getKey());
      TypeSerializer<?> restored =
          checkSnapshot(e.getValue(), resource("v2", e.getKey() + ".snapshot"), migrated);
      Object back =
          restored.deserialize(new DataInputDeserializer(resource("v2", e.getKey() + ".state")));
      assertThat(back)
          .as(e.getKey())
          .usingRecursiveComparison()
          .withComparatorForType(Double::compare, Double.class)
          .isEqualTo(withoutPreviousProcessNoise(e.getValue().state()));
    }
  }

  @Test
  void savedV3KoalaPlusPlusSnapshot_restores() throws IOException {
    // Format 4 added the drift detector's state: format 3 migrates, the detector starting afresh.
    Fixture<?> fixture = StateFixtures.all().get("KoalaPlusPlusState");
    TypeSerializer<?> restored =
        checkSnapshot(fixture, resource("v3", "KoalaPlusPlusState.snapshot"), true);
    Object back =
        restored.deserialize(new DataInputDeserializer(resource("v3", "KoalaPlusPlusState.state")));
    assertThat(back)
        .usingRecursiveComparison()
        .withComparatorForType(Double::compare, Double.class)
        .isEqualTo(fixture.state());
  }

  /** A KOALA++ state as formats before 3 restore it: no previous process noise recorded. */
  private static Object withoutPreviousProcessNoise(Object state) {
    if (!(state instanceof KoalaPlusPlusState p)) {
      return state;
    }
    return new KoalaPlusPlusState(
        p.step(),
        p.parameters(),
        p.covarianceRow(),
        p.previousGradient(),
        p.innovationVariance(),
        p.measurementNoise(),
        p.drift());
  }

  /** The states whose format 2 added the drift state's CUSUM reference. */
  private static final java.util.Set<String> KOALA_STATES =
      java.util.Set.of("KoalaVState", "KoalaMState", "KoalaPlusPlusState");

  private static Object withReference(Object state, double reference) {
    java.util.function.Function<DriftState, DriftState> f =
        d ->
            d.withTracker(
                d.processNoise(),
                d.lossLevel(),
                d.surpriseVariance(),
                d.cusum(),
                d.observations(),
                d.alarms(),
                reference,
                0.0,
                0);
    if (state instanceof KoalaVState v) {
      return new KoalaVState(
          v.step(), v.parameters(), v.covariance(), v.measurementNoise(), f.apply(v.drift()));
    }
    if (state instanceof KoalaMState m) {
      return new KoalaMState(
          m.step(),
          m.parameters(),
          m.velocity(),
          m.average(),
          m.covarianceWeights(),
          m.covarianceCross(),
          m.covarianceVelocity(),
          m.weightNoise(),
          m.measurementNoise(),
          f.apply(m.drift()));
    }
    KoalaPlusPlusState p = (KoalaPlusPlusState) state;
    return new KoalaPlusPlusState(
        p.step(),
        p.parameters(),
        p.covarianceRow(),
        p.previousGradient(),
        p.innovationVariance(),
        p.measurementNoise(),
        f.apply(p.drift()),
        p.previousProcessNoise());
  }

  private static <T> TypeSerializer<T> checkSnapshot(Fixture<T> fixture, byte[] bytes)
      throws IOException {
    return checkSnapshot(fixture, bytes, false);
  }

  /** The snapshot's compatibility with the current serializer, and the serializer it restores. */
  @SuppressWarnings("unchecked")
  private static <T> TypeSerializer<T> checkSnapshot(
      Fixture<T> fixture, byte[] bytes, boolean olderFormat) throws IOException {
    TypeSerializerSnapshot<T> old =
        TypeSerializerSnapshot.readVersionedSnapshot(
            new DataInputDeserializer(bytes), StateSerializerTest.class.getClassLoader());
    TypeSerializerSnapshot<T> current =
        (TypeSerializerSnapshot<T>) fixture.serializer().snapshotConfiguration();
    TypeSerializerSchemaCompatibility<T> compatibility = current.resolveSchemaCompatibility(old);
    TypeSerializer<T> restored = old.restoreSerializer();
    if (olderFormat) {
      assertThat(compatibility.isCompatibleAfterMigration()).as(old.getClass().getName()).isTrue();
      assertThat(((StateSerializer<T>) restored).format())
          .isLessThan(((StateSerializer<T>) fixture.serializer()).format());
    } else {
      assertThat(compatibility.isCompatibleAsIs()).as(old.getClass().getName()).isTrue();
      assertThat(restored).isEqualTo(fixture.serializer());
    }
    return restored;
  }

  @Test
  void snapshotOfAFutureFormat_isIncompatible_andCannotRestore() throws IOException {
    DataOutputSerializer out = new DataOutputSerializer(16);
    out.writeInt(KoalaVStateSerializer.CURRENT_FORMAT + 1);
    KoalaVStateSerializer.Snapshot future = new KoalaVStateSerializer.Snapshot();
    future.readSnapshot(1, new DataInputDeserializer(out.getCopyOfBuffer()), null);
    assertThat(
            new KoalaVStateSerializer.Snapshot()
                .resolveSchemaCompatibility(future)
                .isIncompatible())
        .isTrue();
    assertThatThrownBy(future::restoreSerializer).hasMessageContaining("newer");
  }

  @Test
  void snapshotOfAnotherSerializer_isIncompatible() {
    assertThat(
            new KoalaVStateSerializer.Snapshot()
                .resolveSchemaCompatibility(
                    (TypeSerializerSnapshot) new SgdStateSerializer.Snapshot())
                .isIncompatible())
        .isTrue();
  }

  private static byte[] resource(String version, String name) throws IOException {
    try (InputStream in =
        StateSerializerTest.class.getResourceAsStream("/state-snapshots/" + version + "/" + name)) {
      assertThat(in).as("saved snapshot " + name).isNotNull();
      return in.readAllBytes();
    }
  }
}
