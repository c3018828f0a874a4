package io.koala.state;

import java.io.IOException;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/** Flink serializer of {@link SgdState}, format 1. */
public final class SgdStateSerializer extends StateSerializer<SgdState> {

  private static final long serialVersionUID = 1L;

  /** The format written by this version. */
  public static final int CURRENT_FORMAT = 1;

  public static final SgdStateSerializer INSTANCE = new SgdStateSerializer();

  public SgdStateSerializer() {
    super(CURRENT_FORMAT);
  }

  private SgdStateSerializer(int format) {
    super(format);
  }

  @Override
  public SgdState copy(SgdState s) {
    return s.deepCopy();
  }

  @Override
  public void serialize(SgdState s, DataOutputView out) throws IOException {
    out.writeLong(s.step());
    writeArray(s.parameters(), out);
    writeArray(s.velocity(), out);
  }

  @Override
  protected SgdState read(int version, DataInputView in) throws IOException {
    return new SgdState(in.readLong(), readArray(in), readArray(in));
  }

  @Override
  public Snapshot snapshotConfiguration() {
    return new Snapshot(format());
  }

  /** Snapshot of this serializer: the format version of the stored records. */
  public static final class Snapshot extends StateSerializerSnapshot<SgdState> {

    public Snapshot() {
      super(CURRENT_FORMAT, SgdStateSerializer::new);
    }

    Snapshot(int format) {
      this();
      setFormat(format);
    }
  }
}
