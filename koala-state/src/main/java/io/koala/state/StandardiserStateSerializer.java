package io.koala.state;

import java.io.IOException;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/** Flink serializer of {@link StandardiserState}, format 1. */
public final class StandardiserStateSerializer extends StateSerializer<StandardiserState> {

  private static final long serialVersionUID = 1L;

  /** The format written by this version. */
  public static final int CURRENT_FORMAT = 1;

  public static final StandardiserStateSerializer INSTANCE = new StandardiserStateSerializer();

  public StandardiserStateSerializer() {
    super(CURRENT_FORMAT);
  }

  private StandardiserStateSerializer(int format) {
    super(format);
  }

  @Override
  public StandardiserState copy(StandardiserState s) {
    return new StandardiserState(s.count(), s.mean().clone(), s.squaredDeviations().clone());
  }

  @Override
  public void serialize(StandardiserState s, DataOutputView out) throws IOException {
    out.writeLong(s.count());
    writeArray(s.mean(), out);
    writeArray(s.squaredDeviations(), out);
  }

  @Override
  protected StandardiserState read(int version, DataInputView in) throws IOException {
    return new StandardiserState(in.readLong(), readArray(in), readArray(in));
  }

  @Override
  public Snapshot snapshotConfiguration() {
    return new Snapshot(format());
  }

  /** Snapshot of this serializer: the format version of the stored records. */
  public static final class Snapshot extends StateSerializerSnapshot<StandardiserState> {

    public Snapshot() {
      super(CURRENT_FORMAT, StandardiserStateSerializer::new);
    }

    Snapshot(int format) {
      this();
      setFormat(format);
    }
  }
}
