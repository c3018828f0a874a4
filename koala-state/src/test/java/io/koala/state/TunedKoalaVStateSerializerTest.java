package io.koala.state;

import static org.assertj.core.api.Assertions.assertThat;

import io.koala.state.StateFixtures.Fixture;
import io.koala.testing.Streams;
import java.io.IOException;
import java.io.InputStream;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.junit.jupiter.api.Test;

/** KoalaVState format 3: the auto preset's tuner state round-trips and its saved form restores. */
class TunedKoalaVStateSerializerTest {

  static Fixture<KoalaVState> tuned() {
    return new Fixture<>(
        new KoalaVState(
            12,
            Streams.randomVector(1, 7, 1.0),
            0.25,
            1.5,
            StateFixtures.DRIFT,
            new TunerState(3.5e-5, Streams.randomVector(4, 7, 0.01))),
        KoalaVStateSerializer.INSTANCE);
  }

  @Test
  void serialize_withTuner_roundTripsAndCopiesDeep() throws IOException {
    Fixture<KoalaVState> f = tuned();
    KoalaVState back =
        f.serializer().deserialize(new DataInputDeserializer(StateFixtures.bytes(f)));
    assertThat(back)
        .usingRecursiveComparison()
        .withComparatorForType(Double::compare, Double.class)
        .isEqualTo(f.state());
    KoalaVState copy = f.serializer().copy(f.state());
    assertThat(copy.tuner().lastStep()).isNotSameAs(f.state().tuner().lastStep());
  }

  @Test
  void savedV3Snapshot_restores() throws IOException {
    // Format 4 added the drift detector's state: format 3 migrates, the detector starting afresh.
    Fixture<KoalaVState> f = tuned();
    TypeSerializerSnapshot<KoalaVState> old =
        TypeSerializerSnapshot.readVersionedSnapshot(
            new DataInputDeserializer(resource("KoalaVStateTuned.snapshot")),
            getClass().getClassLoader());
    assertThat(
            f.serializer()
                .snapshotConfiguration()
                .resolveSchemaCompatibility(old)
                .isCompatibleAfterMigration())
        .isTrue();
    TypeSerializer<KoalaVState> restored = old.restoreSerializer();
    KoalaVState back =
        restored.deserialize(new DataInputDeserializer(resource("KoalaVStateTuned.state")));
    assertThat(back)
        .usingRecursiveComparison()
        .withComparatorForType(Double::compare, Double.class)
        .isEqualTo(f.state());
  }

  private static byte[] resource(String name) throws IOException {
    try (InputStream in =
        TunedKoalaVStateSerializerTest.class.getResourceAsStream("/state-snapshots/v3/" + name)) {
      assertThat(in).as("saved snapshot " + name).isNotNull();
      return in.readAllBytes();
    }
  }

  /** Writes the v3 files into args[0] (once, when format 3 was introduced; never overwritten). */
  public static void main(String[] args) throws IOException {
    java.nio.file.Path dir = java.nio.file.Path.of(args[0]);
    java.nio.file.Files.createDirectories(dir);
    java.nio.file.Files.write(
        dir.resolve("KoalaVStateTuned.snapshot"), StateFixtures.snapshotBytes(tuned()));
    java.nio.file.Files.write(dir.resolve("KoalaVStateTuned.state"), StateFixtures.bytes(tuned()));
  }
}
