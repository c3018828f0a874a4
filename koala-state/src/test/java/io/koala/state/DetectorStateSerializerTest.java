package io.koala.state;

import static org.assertj.core.api.Assertions.assertThat;

import io.koala.state.StateFixtures.Fixture;
import io.koala.testing.Streams;
import java.io.IOException;
import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.junit.jupiter.api.Test;

/**
 * The drift detector's state (KoalaV format 4, KoalaM 3, KoalaPlusPlus 4): it round-trips, its
 * saved form restores, and the formats before it restore with the detector starting afresh.
 */
class DetectorStateSerializerTest {

  /** The shared fixture's drift state with every detector field set. */
  static final DriftState DRIFT = StateFixtures.DRIFT.withDetector(0.125, 0.5, 3.5, 77, true, 1);

  static Map<String, Fixture<?>> fixtures() {
    double[] theta = Streams.randomVector(1, 7, 1.0);
    double[] other = Streams.randomVector(2, 7, 0.1);
    double[] third = Streams.randomVector(3, 7, 0.01);
    Map<String, Fixture<?>> fixtures = new LinkedHashMap<>();
    fixtures.put(
        "KoalaVState",
        new Fixture<>(
            new KoalaVState(
                12,
                theta,
                0.25,
                1.5,
                DRIFT,
                new TunerState(3.5e-5, Streams.randomVector(4, 7, 0.01))),
            KoalaVStateSerializer.INSTANCE));
    fixtures.put(
        "KoalaMState",
        new Fixture<>(
            new KoalaMState(12, theta, other, third, 0.2, 0.05, 0.1, 0.013, 1.5, DRIFT),
            KoalaMStateSerializer.INSTANCE));
    fixtures.put(
        "KoalaPlusPlusState",
        new Fixture<>(
            new KoalaPlusPlusState(
                12,
                theta,
                other,
                third,
                new double[] {4.5, Double.NaN},
                1.5,
                DRIFT,
                new double[] {0.03125, Double.NaN}),
            KoalaPlusPlusStateSerializer.INSTANCE));
    return fixtures;
  }

  @Test
  void serialize_withDetector_roundTrips() throws IOException {
    for (Map.Entry<String, Fixture<?>> e : fixtures().entrySet()) {
      Object back =
          e.getValue()
              .serializer()
              .deserialize(new DataInputDeserializer(StateFixtures.bytes(e.getValue())));
      assertThat(back)
          .as(e.getKey())
          .usingRecursiveComparison()
          .withComparatorForType(Double::compare, Double.class)
          .isEqualTo(e.getValue().state());
    }
  }

  @Test
  void savedV4Snapshots_restoreAsIs() throws IOException {
    for (Map.Entry<String, Fixture<?>> e : fixtures().entrySet()) {
      TypeSerializerSnapshot<?> old =
          TypeSerializerSnapshot.readVersionedSnapshot(
              new DataInputDeserializer(resource(e.getKey() + ".snapshot")),
              getClass().getClassLoader());
      assertThat(compatibleAsIs(e.getValue(), old)).as(e.getKey()).isTrue();
      TypeSerializer<?> restored = old.restoreSerializer();
      Object back =
          restored.deserialize(new DataInputDeserializer(resource(e.getKey() + ".state")));
      assertThat(back)
          .as(e.getKey())
          .usingRecursiveComparison()
          .withComparatorForType(Double::compare, Double.class)
          .isEqualTo(e.getValue().state());
    }
  }

  @Test
  void formatBeforeTheDetector_restoresWithAFreshDetector_andTheTrackerIntact() throws IOException {
    // The v3 KOALA++ snapshot was written before the detector existed.
    TypeSerializerSnapshot<?> old =
        TypeSerializerSnapshot.readVersionedSnapshot(
            new DataInputDeserializer(saved("v3", "KoalaPlusPlusState.snapshot")),
            getClass().getClassLoader());
    KoalaPlusPlusState back =
        (KoalaPlusPlusState)
            old.restoreSerializer()
                .deserialize(new DataInputDeserializer(saved("v3", "KoalaPlusPlusState.state")));
    DriftState d = back.drift();
    assertThat(d.errorRate()).isZero();
    assertThat(d.residualScale()).isZero();
    assertThat(d.errorCusum()).isZero();
    assertThat(d.monitoredExamples()).isZero();
    assertThat(d.alarm()).isFalse();
    assertThat(d.withDetector(0, 0, 0, 0, false, d.alarms())).isEqualTo(StateFixtures.DRIFT);
  }

  @SuppressWarnings("unchecked")
  private static <T> boolean compatibleAsIs(Fixture<T> fixture, TypeSerializerSnapshot<?> old) {
    return fixture
        .serializer()
        .snapshotConfiguration()
        .resolveSchemaCompatibility((TypeSerializerSnapshot<T>) old)
        .isCompatibleAsIs();
  }

  private static byte[] resource(String name) throws IOException {
    return saved("v4", name);
  }

  private static byte[] saved(String version, String name) throws IOException {
    try (InputStream in =
        DetectorStateSerializerTest.class.getResourceAsStream(
            "/state-snapshots/" + version + "/" + name)) {
      assertThat(in).as("saved snapshot " + version + "/" + name).isNotNull();
      return in.readAllBytes();
    }
  }

  /** Writes the v4 files into args[0] (once, when the detector's format was introduced). */
  public static void main(String[] args) throws IOException {
    java.nio.file.Path dir = java.nio.file.Path.of(args[0]);
    java.nio.file.Files.createDirectories(dir);
    for (Map.Entry<String, Fixture<?>> e : fixtures().entrySet()) {
      java.nio.file.Files.write(
          dir.resolve(e.getKey() + ".snapshot"), StateFixtures.snapshotBytes(e.getValue()));
      java.nio.file.Files.write(
          dir.resolve(e.getKey() + ".state"), StateFixtures.bytes(e.getValue()));
    }
  }
}
