package io.koala.state;

import java.io.IOException;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/** Flink serializer of {@link AdamState}, format 1. */
public final class AdamStateSerializer extends StateSerializer<AdamState> {

  private static final long serialVersionUID = 1L;

  /** The format written by this version. */
  public static final int CURRENT_FORMAT = 1;

  public static final AdamStateSerializer INSTANCE = new AdamStateSerializer();

  public AdamStateSerializer() {
    super(CURRENT_FORMAT);
  }

  private AdamStateSerializer(int format) {
    super(format);
  }

  @Override
  public AdamState copy(AdamState s) {
    return s.deepCopy();
  }

  @Override
  public void serialize(AdamState s, DataOutputView out) throws IOException {
    out.writeLong(s.step());
    writeArray(s.parameters(), out);
    writeArray(s.firstMoment(), out);
    writeArray(s.secondMoment(), out);
  }

  @Override
  protected AdamState read(int version, DataInputView in) throws IOException {
    return new AdamState(in.readLong(), readArray(in), readArray(in), readArray(in));
  }

  @Override
  public Snapshot snapshotConfiguration() {
    return new Snapshot(format());
  }

  /** Snapshot of this serializer: the format version of the stored records. */
  public static final class Snapshot extends StateSerializerSnapshot<AdamState> {

    public Snapshot() {
      super(CURRENT_FORMAT, AdamStateSerializer::new);
    }

    Snapshot(int format) {
      this();
      setFormat(format);
    }
  }
}
