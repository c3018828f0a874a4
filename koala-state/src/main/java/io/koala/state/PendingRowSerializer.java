package io.koala.state;

import java.io.IOException;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/** Flink serializer of {@link PendingRow}, format 1: the feature array, then the label. */
public final class PendingRowSerializer extends StateSerializer<PendingRow> {

  private static final long serialVersionUID = 1L;

  /** The format written by this version. */
  public static final int CURRENT_FORMAT = 1;

  public static final PendingRowSerializer INSTANCE = new PendingRowSerializer();

  public PendingRowSerializer() {
    super(CURRENT_FORMAT);
  }

  private PendingRowSerializer(int format) {
    super(format);
  }

  @Override
  public PendingRow copy(PendingRow from) {
    return new PendingRow(from.features().clone(), from.label());
  }

  @Override
  public void serialize(PendingRow row, DataOutputView out) throws IOException {
    writeArray(row.features(), out);
    out.writeDouble(row.label());
  }

  @Override
  protected PendingRow read(int version, DataInputView in) throws IOException {
    return new PendingRow(readArray(in), in.readDouble());
  }

  @Override
  public Snapshot snapshotConfiguration() {
    return new Snapshot(format());
  }

  /** Snapshot of this serializer: the format version of the stored rows. */
  public static final class Snapshot extends StateSerializerSnapshot<PendingRow> {

    public Snapshot() {
      super(CURRENT_FORMAT, PendingRowSerializer::new);
    }

    Snapshot(int format) {
      this();
      setFormat(format);
    }
  }
}
