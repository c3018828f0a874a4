package io.koala.state;

import java.io.IOException;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * Flink serializer of {@link KoalaMState}, format 3 (format 2: no error detector in the drift
 * state, which then starts afresh; format 1: no CUSUM reference either).
 */
public final class KoalaMStateSerializer extends StateSerializer<KoalaMState> {

  private static final long serialVersionUID = 1L;

  /** The format written by this version. */
  public static final int CURRENT_FORMAT = 3;

  public static final KoalaMStateSerializer INSTANCE = new KoalaMStateSerializer();

  public KoalaMStateSerializer() {
    super(CURRENT_FORMAT);
  }

  private KoalaMStateSerializer(int format) {
    super(format);
  }

  @Override
  public KoalaMState copy(KoalaMState s) {
    return new KoalaMState(
        s.step(),
        s.parameters().clone(),
        s.velocity().clone(),
        s.average().clone(),
        s.covarianceWeights(),
        s.covarianceCross(),
        s.covarianceVelocity(),
        s.weightNoise(),
        s.measurementNoise(),
        s.drift());
  }

  @Override
  public void serialize(KoalaMState s, DataOutputView out) throws IOException {
    out.writeLong(s.step());
    writeArray(s.parameters(), out);
    writeArray(s.velocity(), out);
    writeArray(s.average(), out);
    out.writeDouble(s.covarianceWeights());
    out.writeDouble(s.covarianceCross());
    out.writeDouble(s.covarianceVelocity());
    out.writeDouble(s.weightNoise());
    out.writeDouble(s.measurementNoise());
    writeDrift(s.drift(), out);
  }

  @Override
  protected KoalaMState read(int version, DataInputView in) throws IOException {
    return new KoalaMState(
        in.readLong(),
        readArray(in),
        readArray(in),
        readArray(in),
        in.readDouble(),
        in.readDouble(),
        in.readDouble(),
        in.readDouble(),
        in.readDouble(),
        readDrift(version, 2, 3, in));
  }

  @Override
  public Snapshot snapshotConfiguration() {
    return new Snapshot(format());
  }

  /** Snapshot of this serializer: the format version of the stored records. */
  public static final class Snapshot extends StateSerializerSnapshot<KoalaMState> {

    public Snapshot() {
      super(CURRENT_FORMAT, KoalaMStateSerializer::new);
    }

    Snapshot(int format) {
      this();
      setFormat(format);
    }
  }
}
