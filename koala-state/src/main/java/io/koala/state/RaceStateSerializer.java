package io.koala.state;

import java.io.IOException;
import org.apache.flink.api.common.typeutils.CompositeTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * Flink serializer of a {@link RaceState}, format 1: the counters, the three members through their
 * optimizer's serializer, and the evidence. Its snapshot nests the member serializer's, so a member
 * format upgrade migrates the race's state too.
 */
public final class RaceStateSerializer extends TypeSerializer<RaceState> {

  private static final long serialVersionUID = 1L;

  /** The format written by this version. */
  public static final int CURRENT_FORMAT = 1;

  private final TypeSerializer<OptimizerState> member;

  public RaceStateSerializer(TypeSerializer<OptimizerState> member) {
    this.member = member;
  }

  /** The serializer of each member's state. */
  public TypeSerializer<OptimizerState> memberSerializer() {
    return member;
  }

  @Override
  public boolean isImmutableType() {
    return false;
  }

  @Override
  public TypeSerializer<RaceState> duplicate() {
    TypeSerializer<OptimizerState> copy = member.duplicate();
    return copy == member ? this : new RaceStateSerializer(copy);
  }

  @Override
  public RaceState createInstance() {
    return null;
  }

  @Override
  public RaceState copy(RaceState from) {
    OptimizerState[] members = new OptimizerState[3];
    for (int m = 0; m < 3; m++) {
      members[m] = member.copy(from.members()[m]);
    }
    return new RaceState(
        from.step(), from.centre(), from.leader(), members, from.evidence().clone());
  }

  @Override
  public RaceState copy(RaceState from, RaceState reuse) {
    return copy(from);
  }

  @Override
  public int getLength() {
    return -1;
  }

  @Override
  public void serialize(RaceState state, DataOutputView out) throws IOException {
    out.writeLong(state.step());
    out.writeInt(state.centre());
    out.writeInt(state.leader());
    for (OptimizerState m : state.members()) {
      member.serialize(m, out);
    }
    StateSerializer.writeArray(state.evidence(), out);
  }

  @Override
  public RaceState deserialize(DataInputView in) throws IOException {
    long step = in.readLong();
    int centre = in.readInt();
    int leader = in.readInt();
    OptimizerState[] members = new OptimizerState[3];
    for (int m = 0; m < 3; m++) {
      members[m] = member.deserialize(in);
    }
    return new RaceState(step, centre, leader, members, StateSerializer.readArray(in));
  }

  @Override
  public RaceState deserialize(RaceState reuse, DataInputView in) throws IOException {
    return deserialize(in);
  }

  @Override
  public void copy(DataInputView in, DataOutputView out) throws IOException {
    serialize(deserialize(in), out);
  }

  @Override
  public boolean equals(Object obj) {
    return obj instanceof RaceStateSerializer other && other.member.equals(member);
  }

  @Override
  public int hashCode() {
    return 31 * RaceStateSerializer.class.hashCode() + member.hashCode();
  }

  @Override
  public Snapshot snapshotConfiguration() {
    return new Snapshot(this);
  }

  /** Nests the member serializer's snapshot; its outer version is the record format (1). */
  public static final class Snapshot
      extends CompositeTypeSerializerSnapshot<RaceState, RaceStateSerializer> {

    private int format = CURRENT_FORMAT;

    public Snapshot() {}

    Snapshot(RaceStateSerializer serializer) {
      super(serializer);
    }

    @Override
    protected int getCurrentOuterSnapshotVersion() {
      return CURRENT_FORMAT;
    }

    @Override
    protected void readOuterSnapshot(
        int readOuterSnapshotVersion, DataInputView in, ClassLoader userCodeClassLoader) {
      this.format = readOuterSnapshotVersion;
    }

    @Override
    protected OuterSchemaCompatibility resolveOuterSchemaCompatibility(
        TypeSerializerSnapshot<RaceState> oldSerializerSnapshot) {
      return oldSerializerSnapshot instanceof Snapshot old && old.format <= CURRENT_FORMAT
          ? OuterSchemaCompatibility.COMPATIBLE_AS_IS
          : OuterSchemaCompatibility.INCOMPATIBLE;
    }

    @Override
    protected TypeSerializer<?>[] getNestedSerializers(RaceStateSerializer outer) {
      return new TypeSerializer<?>[] {outer.memberSerializer()};
    }

    @SuppressWarnings("unchecked")
    @Override
    protected RaceStateSerializer createOuterSerializerWithNestedSerializers(
        TypeSerializer<?>[] nested) {
      return new RaceStateSerializer((TypeSerializer<OptimizerState>) nested[0]);
    }
  }
}
