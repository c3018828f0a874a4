package io.koala.state;

import java.io.IOException;
import org.apache.flink.api.common.typeutils.CompositeTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSchemaCompatibility;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * Flink serializer of a {@link RaceState}, format 1: the counters, the three members through their
 * optimizer's serializer, and the evidence. Its snapshot nests the member serializer's, so a member
 * format upgrade migrates the race's state too.
 *
 * <p>Migration from one filter: state written by the member's own serializer (a savepoint taken
 * under the {@code stream} or {@code reference} preset) is compatible after migration. Flink reads
 * it with the old serializer and hands this one single-filter states to write, which it adopts: all
 * three members start from the restored filter, the centre at the race's starting level, with no
 * evidence ({@link RaceState#adopt}). The trainer adopts the same way when it meets such a state on
 * the heap backend before it was rewritten.
 */
public final class RaceStateSerializer extends TypeSerializer<OptimizerState> {

  private static final long serialVersionUID = 1L;

  /** The format written by this version. */
  public static final int CURRENT_FORMAT = 1;

  private final TypeSerializer<OptimizerState> member;
  private final int startCentre;

  /**
   * @param member the serializer of each member's state
   * @param startCentre the grid level a single-filter state is adopted at
   */
  public RaceStateSerializer(TypeSerializer<OptimizerState> member, int startCentre) {
    this.member = member;
    this.startCentre = startCentre;
  }

  /** The serializer of each member's state. */
  public TypeSerializer<OptimizerState> memberSerializer() {
    return member;
  }

  /** The grid level a single-filter state is adopted at. */
  public int startCentre() {
    return startCentre;
  }

  private RaceState race(OptimizerState state) {
    return state instanceof RaceState r ? r : RaceState.adopt(state, startCentre);
  }

  @Override
  public boolean isImmutableType() {
    return false;
  }

  @Override
  public TypeSerializer<OptimizerState> duplicate() {
    TypeSerializer<OptimizerState> copy = member.duplicate();
    return copy == member ? this : new RaceStateSerializer(copy, startCentre);
  }

  @Override
  public OptimizerState createInstance() {
    return null;
  }

  @Override
  public OptimizerState copy(OptimizerState from) {
    RaceState r = race(from);
    OptimizerState[] members = new OptimizerState[3];
    for (int m = 0; m < 3; m++) {
      members[m] = member.copy(r.members()[m]);
    }
    return new RaceState(r.step(), r.centre(), r.leader(), members, r.evidence().clone());
  }

  @Override
  public OptimizerState copy(OptimizerState from, OptimizerState reuse) {
    return copy(from);
  }

  @Override
  public int getLength() {
    return -1;
  }

  @Override
  public void serialize(OptimizerState state, DataOutputView out) throws IOException {
    RaceState r = race(state);
    out.writeLong(r.step());
    out.writeInt(r.centre());
    out.writeInt(r.leader());
    for (OptimizerState m : r.members()) {
      member.serialize(m, out);
    }
    StateSerializer.writeArray(r.evidence(), out);
  }

  @Override
  public OptimizerState deserialize(DataInputView in) throws IOException {
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
  public OptimizerState deserialize(OptimizerState reuse, DataInputView in) throws IOException {
    return deserialize(in);
  }

  @Override
  public void copy(DataInputView in, DataOutputView out) throws IOException {
    serialize(deserialize(in), out);
  }

  @Override
  public boolean equals(Object obj) {
    return obj instanceof RaceStateSerializer other
        && other.startCentre == startCentre
        && other.member.equals(member);
  }

  @Override
  public int hashCode() {
    return 31 * (31 * RaceStateSerializer.class.hashCode() + member.hashCode()) + startCentre;
  }

  @Override
  public Snapshot snapshotConfiguration() {
    return new Snapshot(this);
  }

  /**
   * Nests the member serializer's snapshot; its outer version is the record format (1), and it
   * records the adoption level. Against a snapshot of the member's own serializer (state of one
   * filter) it is compatible after migration.
   */
  public static final class Snapshot
      extends CompositeTypeSerializerSnapshot<OptimizerState, RaceStateSerializer> {

    private int format = CURRENT_FORMAT;
    private int startCentre;

    public Snapshot() {}

    Snapshot(RaceStateSerializer serializer) {
      super(serializer);
      this.startCentre = serializer.startCentre;
    }

    @Override
    protected int getCurrentOuterSnapshotVersion() {
      return CURRENT_FORMAT;
    }

    @Override
    protected void writeOuterSnapshot(DataOutputView out) throws IOException {
      out.writeInt(startCentre);
    }

    @Override
    protected void readOuterSnapshot(
        int readOuterSnapshotVersion, DataInputView in, ClassLoader userCodeClassLoader)
        throws IOException {
      this.format = readOuterSnapshotVersion;
      this.startCentre = in.readInt();
    }

    @Override
    public TypeSerializerSchemaCompatibility<OptimizerState> resolveSchemaCompatibility(
        TypeSerializerSnapshot<OptimizerState> oldSerializerSnapshot) {
      if (!(oldSerializerSnapshot instanceof Snapshot)) {
        // One filter's state, written by the member's serializer: adopted when rewritten.
        TypeSerializer<OptimizerState> member = memberOf(restoreSerializer());
        TypeSerializerSchemaCompatibility<OptimizerState> asMember =
            member.snapshotConfiguration().resolveSchemaCompatibility(oldSerializerSnapshot);
        return asMember.isIncompatible()
            ? TypeSerializerSchemaCompatibility.incompatible()
            : TypeSerializerSchemaCompatibility.compatibleAfterMigration();
      }
      return super.resolveSchemaCompatibility(oldSerializerSnapshot);
    }

    private static TypeSerializer<OptimizerState> memberOf(TypeSerializer<OptimizerState> race) {
      return ((RaceStateSerializer) race).memberSerializer();
    }

    @Override
    protected OuterSchemaCompatibility resolveOuterSchemaCompatibility(
        TypeSerializerSnapshot<OptimizerState> oldSerializerSnapshot) {
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
      return new RaceStateSerializer((TypeSerializer<OptimizerState>) nested[0], startCentre);
    }
  }
}
