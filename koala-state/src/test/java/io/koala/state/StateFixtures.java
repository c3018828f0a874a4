package io.koala.state;

import io.koala.testing.Streams;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataOutputSerializer;

/**
 * One fixed instance of every state record with its serializer, and the writer of the saved
 * snapshots under {@code src/test/resources/state-snapshots/v1/}, {@code v2/} and {@code v3/} (run
 * {@link #main} only when a new format version is introduced, into a new folder, and keep there
 * only the states whose format changed; never overwrite a released one). v3 holds KOALA++'s format
 * 3 only; v4 holds the formats that added the drift detector (KoalaV 4, KoalaM 3, KoalaPlusPlus 4),
 * written by {@link DetectorStateSerializerTest#main}.
 */
final class StateFixtures {

  private StateFixtures() {}

  /** A fixture: a state and the serializer that stores it. */
  record Fixture<T>(T state, StateSerializer<T> serializer) {}

  static final DriftState DRIFT =
      DriftState.initial(1.25).withTracker(1.25, -3.5, 0.375, 2.5, 40, 1, -3.25, 1.5, 3);

  static Map<String, Fixture<?>> all() {
    double[] theta = Streams.randomVector(1, 7, 1.0);
    double[] other = Streams.randomVector(2, 7, 0.1);
    double[] third = Streams.randomVector(3, 7, 0.01);
    Map<String, Fixture<?>> fixtures = new LinkedHashMap<>();
    fixtures.put(
        "KoalaVState",
        new Fixture<>(
            new KoalaVState(12, theta, 0.25, 1.5, DRIFT), KoalaVStateSerializer.INSTANCE));
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
    fixtures.put(
        "SgdState", new Fixture<>(new SgdState(12, theta, other), SgdStateSerializer.INSTANCE));
    fixtures.put(
        "AdamState",
        new Fixture<>(new AdamState(12, theta, other, third), AdamStateSerializer.INSTANCE));
    fixtures.put(
        "StandardiserState",
        new Fixture<>(
            new StandardiserState(99, theta, third), StandardiserStateSerializer.INSTANCE));
    return fixtures;
  }

  static <T> byte[] bytes(Fixture<T> fixture) throws IOException {
    DataOutputSerializer out = new DataOutputSerializer(256);
    fixture.serializer().serialize(fixture.state(), out);
    return out.getCopyOfBuffer();
  }

  static <T> byte[] snapshotBytes(Fixture<T> fixture) throws IOException {
    DataOutputSerializer out = new DataOutputSerializer(256);
    TypeSerializerSnapshot.writeVersionedSnapshot(
        out, fixture.serializer().snapshotConfiguration());
    return out.getCopyOfBuffer();
  }

  /** Writes {@code NAME.snapshot} and {@code NAME.state} for every fixture into args[0]. */
  public static void main(String[] args) throws IOException {
    Path dir = Path.of(args[0]);
    Files.createDirectories(dir);
    for (Map.Entry<String, Fixture<?>> e : all().entrySet()) {
      Files.write(dir.resolve(e.getKey() + ".snapshot"), snapshotBytes(e.getValue()));
      Files.write(dir.resolve(e.getKey() + ".state"), bytes(e.getValue()));
    }
  }
}
