package io.koala.state;

import java.io.IOException;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * Flink serializer of {@link PendingRow}, format 2: the feature array, the label, the event time
 * and the origin. Format 1 (up to v0.3) had no time and origin; its rows read with {@link
 * PendingRow#NO_TIMESTAMP} and an empty origin, which the operator fills in from the batch's
 * bookkeeping of that format when it first meets them.
 */
public final class PendingRowSerializer extends StateSerializer<PendingRow> {

  private static final long serialVersionUID = 1L;

  /** The format written by this version. */
  public static final int CURRENT_FORMAT = 2;

  public static final PendingRowSerializer INSTANCE = new PendingRowSerializer();

  public PendingRowSerializer() {
    super(CURRENT_FORMAT);
  }

  private PendingRowSerializer(int format) {
    super(format);
  }

  @Override
  public PendingRow copy(PendingRow from) {
    return new PendingRow(from.features().clone(), from.label(), from.timestamp(), from.origin());
  }

  @Override
  public void serialize(PendingRow row, DataOutputView out) throws IOException {
    writeArray(row.features(), out);
    out.writeDouble(row.label());
    out.writeLong(row.timestamp());
    out.writeUTF(row.origin());
  }

  @Override
  protected PendingRow read(int version, DataInputView in) throws IOException {
    double[] features = readArray(in);
    double label = in.readDouble();
    if (version < 2) {
      return new PendingRow(features, label);
    }
    return new PendingRow(features, label, in.readLong(), in.readUTF());
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
