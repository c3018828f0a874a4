package io.koala.state;

import java.io.IOException;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * Flink serializer of {@link KoalaVState}, format 2 (format 1: no CUSUM reference in the drift
 * state).
 */
public final class KoalaVStateSerializer extends StateSerializer<KoalaVState> {

  private static final long serialVersionUID = 1L;

  /** The format written by this version. */
  public static final int CURRENT_FORMAT = 2;

  public static final KoalaVStateSerializer INSTANCE = new KoalaVStateSerializer();

  public KoalaVStateSerializer() {
    super(CURRENT_FORMAT);
  }

  private KoalaVStateSerializer(int format) {
    super(format);
  }

  @Override
  public KoalaVState copy(KoalaVState s) {
    return new KoalaVState(
        s.step(), s.parameters().clone(), s.covariance(), s.measurementNoise(), s.drift());
  }

  @Override
  public void serialize(KoalaVState s, DataOutputView out) throws IOException {
    out.writeLong(s.step());
    writeArray(s.parameters(), out);
    out.writeDouble(s.covariance());
    out.writeDouble(s.measurementNoise());
    writeDrift(s.drift(), out);
  }

  @Override
  protected KoalaVState read(int version, DataInputView in) throws IOException {
    return new KoalaVState(
        in.readLong(), readArray(in), in.readDouble(), in.readDouble(), readDrift(version, 2, in));
  }

  @Override
  public Snapshot snapshotConfiguration() {
    return new Snapshot(format());
  }

  /** Snapshot of this serializer: the format version of the stored records. */
  public static final class Snapshot extends StateSerializerSnapshot<KoalaVState> {

    public Snapshot() {
      super(CURRENT_FORMAT, KoalaVStateSerializer::new);
    }

    Snapshot(int format) {
      this();
      setFormat(format);
    }
  }
}
