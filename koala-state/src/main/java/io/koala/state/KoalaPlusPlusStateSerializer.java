package io.koala.state;

import java.io.IOException;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * Flink serializer of {@link KoalaPlusPlusState}, format 4. Format 3 had no error detector in the
 * drift state (it starts afresh). Format 2 also had no previous process noise per block (it
 * restores as not recorded: the next visit takes its own Q, as format 2's code did); format 1 also
 * had no CUSUM reference in the drift state.
 */
public final class KoalaPlusPlusStateSerializer extends StateSerializer<KoalaPlusPlusState> {

  private static final long serialVersionUID = 1L;

  /** The format written by this version. */
  public static final int CURRENT_FORMAT = 4;

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
        s.drift(),
        s.previousProcessNoise().clone());
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
    writeArray(s.previousProcessNoise(), out);
  }

  @Override
  protected KoalaPlusPlusState read(int version, DataInputView in) throws IOException {
    long step = in.readLong();
    double[] parameters = readArray(in);
    double[] covarianceRow = readArray(in);
    double[] previousGradient = readArray(in);
    double[] innovationVariance = readArray(in);
    double measurementNoise = in.readDouble();
    DriftState drift = readDrift(version, 2, 4, in);
    if (version < 3) {
      return new KoalaPlusPlusState(
          step,
          parameters,
          covarianceRow,
          previousGradient,
          innovationVariance,
          measurementNoise,
          drift);
    }
    return new KoalaPlusPlusState(
        step,
        parameters,
        covarianceRow,
        previousGradient,
        innovationVariance,
        measurementNoise,
        drift,
        readArray(in));
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
