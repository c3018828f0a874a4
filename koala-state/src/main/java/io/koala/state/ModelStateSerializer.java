package io.koala.state;

import java.io.IOException;
import org.apache.flink.api.common.typeutils.CompositeTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * Flink serializer of a key's {@link ModelState}: the optimizer state through its own serializer,
 * the optional standardiser, the counters and (format 2 on) the optional calibration evidence
 * (residual moments, logit-scale evidence). Its snapshot nests the optimizer serializer's; format 1
 * (no calibration evidence) restores with none.
 */
public final class ModelStateSerializer<S extends OptimizerState>
    extends TypeSerializer<ModelState<S>> {

  private static final long serialVersionUID = 1L;

  /** The format written by this version. */
  public static final int CURRENT_FORMAT = 2;

  private final TypeSerializer<S> optimizer;
  private final int format;

  public ModelStateSerializer(TypeSerializer<S> optimizer) {
    this(optimizer, CURRENT_FORMAT);
  }

  /**
   * A serializer that reads (and writes) format {@code format}: the current one or an older one.
   */
  ModelStateSerializer(TypeSerializer<S> optimizer, int format) {
    this.optimizer = optimizer;
    this.format = format;
  }

  /** The record format this instance reads. */
  public int format() {
    return format;
  }

  /** The serializer of the optimizer's part of the state. */
  public TypeSerializer<S> optimizerSerializer() {
    return optimizer;
  }

  @Override
  public boolean isImmutableType() {
    return false;
  }

  @Override
  public TypeSerializer<ModelState<S>> duplicate() {
    TypeSerializer<S> copy = optimizer.duplicate();
    return copy == optimizer ? this : new ModelStateSerializer<>(copy, format);
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
        optimizer.copy(from.optimizer()),
        moments,
        from.examples(),
        from.rejectedBatches(),
        from.residuals(),
        from.logitScale() == null
            ? null
            : new ScaleEvidence(
                from.logitScale().weight(), from.logitScale().meanLogLoss().clone()));
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
    if (format >= 2) {
      ResidualMoments m = state.residuals();
      out.writeBoolean(m != null);
      if (m != null) {
        out.writeDouble(m.weight());
        out.writeDouble(m.meanParameterVariance());
        out.writeDouble(m.meanSquaredParameterVariance());
        out.writeDouble(m.meanSquaredResidual());
        out.writeDouble(m.meanCross());
      }
      ScaleEvidence e = state.logitScale();
      out.writeBoolean(e != null);
      if (e != null) {
        out.writeDouble(e.weight());
        StateSerializer.writeArray(e.meanLogLoss(), out);
      }
    }
  }

  @Override
  public ModelState<S> deserialize(DataInputView in) throws IOException {
    S state = optimizer.deserialize(in);
    StandardiserState moments =
        in.readBoolean() ? StandardiserStateSerializer.INSTANCE.deserialize(in) : null;
    long examples = in.readLong();
    long rejected = in.readLong();
    ResidualMoments residuals = null;
    ScaleEvidence logitScale = null;
    if (format >= 2) {
      if (in.readBoolean()) {
        residuals =
            new ResidualMoments(
                in.readDouble(),
                in.readDouble(),
                in.readDouble(),
                in.readDouble(),
                in.readDouble());
      }
      if (in.readBoolean()) {
        logitScale = new ScaleEvidence(in.readDouble(), StateSerializer.readArray(in));
      }
    }
    return new ModelState<>(state, moments, examples, rejected, residuals, logitScale);
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
    return obj instanceof ModelStateSerializer<?> other
        && other.format == format
        && other.optimizer.equals(optimizer);
  }

  @Override
  public int hashCode() {
    return 31 * (31 * ModelStateSerializer.class.hashCode() + optimizer.hashCode()) + format;
  }

  @Override
  public Snapshot<S> snapshotConfiguration() {
    return new Snapshot<>(this);
  }

  /**
   * Nests the optimizer serializer's snapshot; its outer version is the record format (2; 1 had no
   * residual moments). A format-1 snapshot restores through a format-1 serializer and is compatible
   * after migration.
   */
  public static final class Snapshot<S extends OptimizerState>
      extends CompositeTypeSerializerSnapshot<ModelState<S>, ModelStateSerializer<S>> {

    private int format = CURRENT_FORMAT;

    public Snapshot() {}

    Snapshot(ModelStateSerializer<S> serializer) {
      super(serializer);
      this.format = serializer.format();
    }

    /** The record format this snapshot describes. */
    public int format() {
      return format;
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
        TypeSerializerSnapshot<ModelState<S>> oldSerializerSnapshot) {
      if (!(oldSerializerSnapshot instanceof Snapshot<?> old) || old.format > CURRENT_FORMAT) {
        return OuterSchemaCompatibility.INCOMPATIBLE;
      }
      return old.format < CURRENT_FORMAT
          ? OuterSchemaCompatibility.COMPATIBLE_AFTER_MIGRATION
          : OuterSchemaCompatibility.COMPATIBLE_AS_IS;
    }

    @Override
    protected TypeSerializer<?>[] getNestedSerializers(ModelStateSerializer<S> outer) {
      return new TypeSerializer<?>[] {outer.optimizerSerializer()};
    }

    @SuppressWarnings("unchecked")
    @Override
    protected ModelStateSerializer<S> createOuterSerializerWithNestedSerializers(
        TypeSerializer<?>[] nested) {
      return new ModelStateSerializer<>((TypeSerializer<S>) nested[0], format);
    }
  }
}
