package io.koala.state;

import java.io.IOException;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * Flink serializer of {@link KoalaVState}, format 4 (format 3: no error detector in the drift
 * state, which then starts afresh; format 2: no tuner state either, read as none; format 1: no
 * CUSUM reference in the drift state either).
 */
public final class KoalaVStateSerializer extends StateSerializer<KoalaVState> {

  private static final long serialVersionUID = 1L;

  /** The format written by this version. */
  public static final int CURRENT_FORMAT = 4;

  public static final KoalaVStateSerializer INSTANCE = new KoalaVStateSerializer();

  public KoalaVStateSerializer() {
    super(CURRENT_FORMAT);
  }

  private KoalaVStateSerializer(int format) {
    super(format);
  }

  @Override
  public KoalaVState copy(KoalaVState s) {
    return s.deepCopy();
  }

  @Override
  public void serialize(KoalaVState s, DataOutputView out) throws IOException {
    out.writeLong(s.step());
    writeArray(s.parameters(), out);
    out.writeDouble(s.covariance());
    out.writeDouble(s.measurementNoise());
    writeDrift(s.drift(), out);
    out.writeBoolean(s.tuner() != null);
    if (s.tuner() != null) {
      out.writeDouble(s.tuner().processNoise());
      writeArray(s.tuner().lastStep(), out);
    }
  }

  @Override
  protected KoalaVState read(int version, DataInputView in) throws IOException {
    long step = in.readLong();
    double[] parameters = readArray(in);
    double covariance = in.readDouble();
    double r = in.readDouble();
    DriftState drift = readDrift(version, 2, 4, in);
    TunerState tuner =
        version >= 3 && in.readBoolean() ? new TunerState(in.readDouble(), readArray(in)) : null;
    return new KoalaVState(step, parameters, covariance, r, drift, tuner);
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
