package io.koala.state;

import java.io.IOException;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * Flink serializer of {@link KoalaPlusPlusState}, format 2 (format 1: no CUSUM reference in the
 * drift state).
 */
public final class KoalaPlusPlusStateSerializer extends StateSerializer<KoalaPlusPlusState> {

  private static final long serialVersionUID = 1L;

  /** The format written by this version. */
  public static final int CURRENT_FORMAT = 2;

  public static final KoalaPlusPlusStateSerializer INSTANCE = new KoalaPlusPlusStateSerializer();

  public KoalaPlusPlusStateSerializer() {
    super(CURRENT_FORMAT);
  }

  private KoalaPlusPlusStateSerializer(int format) {
    super(format);
  }

  @Override
  public KoalaPlusPlusState copy(KoalaPlusPlusState s) {
    return new KoalaPlusPlusState(
        s.step(),
        s.parameters().clone(),
        s.covarianceRow().clone(),
        s.previousGradient().clone(),
        s.innovationVariance().clone(),
        s.measurementNoise(),
        s.drift());
  }

  @Override
  public void serialize(KoalaPlusPlusState s, DataOutputView out) throws IOException {
    out.writeLong(s.step());
    writeArray(s.parameters(), out);
    writeArray(s.covarianceRow(), out);
    writeArray(s.previousGradient(), out);
    writeArray(s.innovationVariance(), out);
    out.writeDouble(s.measurementNoise());
    writeDrift(s.drift(), out);
  }

  @Override
  protected KoalaPlusPlusState read(int version, DataInputView in) throws IOException {
    return new KoalaPlusPlusState(
        in.readLong(),
        readArray(in),
        readArray(in),
        readArray(in),
        readArray(in),
        in.readDouble(),
        readDrift(version, 2, in));
  }

  @Override
  public Snapshot snapshotConfiguration() {
    return new Snapshot(format());
  }

  /** Snapshot of this serializer: the format version of the stored records. */
  public static final class Snapshot extends StateSerializerSnapshot<KoalaPlusPlusState> {

    public Snapshot() {
      super(CURRENT_FORMAT, KoalaPlusPlusStateSerializer::new);
    }

    Snapshot(int format) {
      this();
      setFormat(format);
    }
  }
}
