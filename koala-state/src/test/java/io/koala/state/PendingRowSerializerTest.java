package io.koala.state;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.base.array.DoublePrimitiveArraySerializer;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;

class PendingRowSerializerTest {

  private static final PendingRowSerializer SERIALIZER = PendingRowSerializer.INSTANCE;

  @Test
  void row_roundTripsExactly_withItsTimeAndOrigin_andCopiesDeeply() throws IOException {
    PendingRow row =
        new PendingRow(new double[] {1.5, -0.0, 1e300, Double.MIN_VALUE}, 2, 1_234L, "t/0/17");
    DataOutputSerializer out = new DataOutputSerializer(64);
    SERIALIZER.serialize(row, out);
    // Values, label, time, origin, and -1: no indices (a dense row).
    assertThat(out.length()).isEqualTo(4 + 4 * 8 + 8 + 8 + 2 + "t/0/17".length() + 4);
    PendingRow back = SERIALIZER.deserialize(new DataInputDeserializer(out.getCopyOfBuffer()));
    assertThat(back.features()).containsExactly(row.features());
    assertThat(back.label()).isEqualTo(2.0);
    assertThat(back.timestamp()).isEqualTo(1_234L);
    assertThat(back.origin()).isEqualTo("t/0/17");
    PendingRow copy = SERIALIZER.copy(row);
    assertThat(copy.features()).containsExactly(row.features()).isNotSameAs(row.features());
    assertThat(copy).usingRecursiveComparison().isEqualTo(row);
  }

  @Test
  void sparseRow_roundTripsWithItsIndices_andCopiesThemDeeply() throws IOException {
    PendingRow row = new PendingRow(new double[] {2.5, -1}, 1, 9L, "t/0/1", new int[] {3, 70_000});
    DataOutputSerializer out = new DataOutputSerializer(64);
    SERIALIZER.serialize(row, out);
    PendingRow back = SERIALIZER.deserialize(new DataInputDeserializer(out.getCopyOfBuffer()));
    assertThat(back.indices()).containsExactly(3, 70_000);
    assertThat(back.features()).containsExactly(2.5, -1);
    assertThat(SERIALIZER.copy(row).indices())
        .containsExactly(3, 70_000)
        .isNotSameAs(row.indices());
  }

  @Test
  void rowOfFormat2_readsAsADenseRow() throws IOException {
    // Format 2 (between v0.3 and sparse rows): values, label, time, origin.
    DataOutputSerializer old = new DataOutputSerializer(64);
    old.writeInt(1);
    old.writeDouble(0.5);
    old.writeDouble(1);
    old.writeLong(42L);
    old.writeUTF("t/0/2");
    PendingRow back =
        new PendingRowSerializer.Snapshot(2)
            .restoreSerializer()
            .deserialize(new DataInputDeserializer(old.getCopyOfBuffer()));
    assertThat(back.indices()).isNull();
    assertThat(back.timestamp()).isEqualTo(42L);
    assertThat(back.origin()).isEqualTo("t/0/2");
  }

  @Test
  void rowOfFormat1_readsWithoutTimeAndOrigin_andTheNewSerializerMigratesIt() throws IOException {
    // Format 1 (up to v0.3): the feature array, then the label.
    DataOutputSerializer old = new DataOutputSerializer(64);
    old.writeInt(2);
    old.writeDouble(0.5);
    old.writeDouble(-3);
    old.writeDouble(1);
    DataOutputSerializer out = new DataOutputSerializer(16);
    TypeSerializerSnapshot.writeVersionedSnapshot(out, new PendingRowSerializer.Snapshot(1));
    TypeSerializerSnapshot<PendingRow> snapshot =
        TypeSerializerSnapshot.readVersionedSnapshot(
            new DataInputDeserializer(out.getCopyOfBuffer()), getClass().getClassLoader());
    assertThat(
            SERIALIZER
                .snapshotConfiguration()
                .resolveSchemaCompatibility(snapshot)
                .isCompatibleAfterMigration())
        .isTrue();
    PendingRow back =
        snapshot.restoreSerializer().deserialize(new DataInputDeserializer(old.getCopyOfBuffer()));
    assertThat(back.features()).containsExactly(0.5, -3);
    assertThat(back.label()).isEqualTo(1.0);
    assertThat(back.timestamp()).isEqualTo(PendingRow.NO_TIMESTAMP);
    assertThat(back.origin()).isEmpty();
  }

  @Test
  void aNullOrigin_isStoredAsEmpty_soAStoredRowEqualsTheOneInMemory() {
    assertThat(new PendingRow(new double[] {1}, 0, 5L, null).origin()).isEmpty();
  }

  @Test
  void snapshot_roundTrips_andIsCompatibleAsIs() throws IOException {
    DataOutputSerializer out = new DataOutputSerializer(16);
    TypeSerializerSnapshot.writeVersionedSnapshot(out, SERIALIZER.snapshotConfiguration());
    TypeSerializerSnapshot<PendingRow> restored =
        TypeSerializerSnapshot.readVersionedSnapshot(
            new DataInputDeserializer(out.getCopyOfBuffer()), getClass().getClassLoader());
    assertThat(
            SERIALIZER
                .snapshotConfiguration()
                .resolveSchemaCompatibility(restored)
                .isCompatibleAsIs())
        .isTrue();
    assertThat(restored.restoreSerializer()).isEqualTo(SERIALIZER);
  }

  @Test
  void rowsOfTheOldDoubleArrayFormat_areNotReadAsRows() {
    // v0.1 kept a pending row as a double[] with the label last, under another serializer: the
    // operator reads those through their old descriptor and never through this serializer.
    @SuppressWarnings({"unchecked", "rawtypes"})
    TypeSerializerSnapshot<PendingRow> old =
        (TypeSerializerSnapshot) DoublePrimitiveArraySerializer.INSTANCE.snapshotConfiguration();
    assertThat(SERIALIZER.snapshotConfiguration().resolveSchemaCompatibility(old).isIncompatible())
        .isTrue();
  }
}
