package io.koala.state;

import java.io.IOException;
import org.apache.flink.api.common.typeutils.CompositeTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * Flink serializer of a key's {@link ModelState}: the optimizer state through its own serializer,
 * the optional standardiser and the counters. Its snapshot nests the optimizer serializer's.
 */
public final class ModelStateSerializer<S extends OptimizerState>
    extends TypeSerializer<ModelState<S>> {

  private static final long serialVersionUID = 1L;

  private final TypeSerializer<S> optimizer;

  public ModelStateSerializer(TypeSerializer<S> optimizer) {
    this.optimizer = optimizer;
  }

  TypeSerializer<S> optimizerSerializer() {
    return optimizer;
  }

  @Override
  public boolean isImmutableType() {
    return false;
  }

  @Override
  public TypeSerializer<ModelState<S>> duplicate() {
    TypeSerializer<S> copy = optimizer.duplicate();
    return copy == optimizer ? this : new ModelStateSerializer<>(copy);
  }

  @Override
  public ModelState<S> createInstance() {
    return null;
  }

  @Override
  public ModelState<S> copy(ModelState<S> from) {
    StandardiserState moments =
        from.standardiser() == null
            ? null
            : StandardiserStateSerializer.INSTANCE.copy(from.standardiser());
    return new ModelState<>(
        optimizer.copy(from.optimizer()), moments, from.examples(), from.rejectedBatches());
  }

  @Override
  public ModelState<S> copy(ModelState<S> from, ModelState<S> reuse) {
    return copy(from);
  }

  @Override
  public int getLength() {
    return -1;
  }

  @Override
  public void serialize(ModelState<S> state, DataOutputView out) throws IOException {
    optimizer.serialize(state.optimizer(), out);
    out.writeBoolean(state.standardiser() != null);
    if (state.standardiser() != null) {
      StandardiserStateSerializer.INSTANCE.serialize(state.standardiser(), out);
    }
    out.writeLong(state.examples());
    out.writeLong(state.rejectedBatches());
  }

  @Override
  public ModelState<S> deserialize(DataInputView in) throws IOException {
    S state = optimizer.deserialize(in);
    StandardiserState moments =
        in.readBoolean() ? StandardiserStateSerializer.INSTANCE.deserialize(in) : null;
    return new ModelState<>(state, moments, in.readLong(), in.readLong());
  }

  @Override
  public ModelState<S> deserialize(ModelState<S> reuse, DataInputView in) throws IOException {
    return deserialize(in);
  }

  @Override
  public void copy(DataInputView in, DataOutputView out) throws IOException {
    serialize(deserialize(in), out);
  }

  @Override
  public boolean equals(Object obj) {
    return obj instanceof ModelStateSerializer<?> other && other.optimizer.equals(optimizer);
  }

  @Override
  public int hashCode() {
    return 31 * ModelStateSerializer.class.hashCode() + optimizer.hashCode();
  }

  @Override
  public Snapshot<S> snapshotConfiguration() {
    return new Snapshot<>(this);
  }

  /** Nests the optimizer serializer's snapshot; the outer format has version 1. */
  public static final class Snapshot<S extends OptimizerState>
      extends CompositeTypeSerializerSnapshot<ModelState<S>, ModelStateSerializer<S>> {

    public Snapshot() {}

    Snapshot(ModelStateSerializer<S> serializer) {
      super(serializer);
    }

    @Override
    protected int getCurrentOuterSnapshotVersion() {
      return 1;
    }

    @Override
    protected TypeSerializer<?>[] getNestedSerializers(ModelStateSerializer<S> outer) {
      return new TypeSerializer<?>[] {outer.optimizerSerializer()};
    }

    @SuppressWarnings("unchecked")
    @Override
    protected ModelStateSerializer<S> createOuterSerializerWithNestedSerializers(
        TypeSerializer<?>[] nested) {
      return new ModelStateSerializer<>((TypeSerializer<S>) nested[0]);
    }
  }
}
