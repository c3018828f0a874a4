package io.koala.state;

import java.io.IOException;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * Flink serializer of {@link PendingRow}, format 3: the feature array, the label, the event time,
 * the origin, then the indices of a sparse row (a count, -1 for a dense row). Format 2 had no
 * indices (every row dense); format 1 (up to v0.3) had no time and origin either, so its rows read
 * with {@link PendingRow#NO_TIMESTAMP} and an empty origin, which the operator fills in from the
 * batch's bookkeeping of that format when it first meets them.
 */
public final class PendingRowSerializer extends StateSerializer<PendingRow> {

  private static final long serialVersionUID = 1L;

  /** The format written by this version. */
  public static final int CURRENT_FORMAT = 3;

  public static final PendingRowSerializer INSTANCE = new PendingRowSerializer();

  public PendingRowSerializer() {
    super(CURRENT_FORMAT);
  }

  private PendingRowSerializer(int format) {
    super(format);
  }

  @Override
  public PendingRow copy(PendingRow from) {
    return new PendingRow(
        from.features().clone(),
        from.label(),
        from.timestamp(),
        from.origin(),
        from.indices() == null ? null : from.indices().clone());
  }

  @Override
  public void serialize(PendingRow row, DataOutputView out) throws IOException {
    writeArray(row.features(), out);
    out.writeDouble(row.label());
    out.writeLong(row.timestamp());
    out.writeUTF(row.origin());
    int[] at = row.indices();
    out.writeInt(at == null ? -1 : at.length);
    if (at != null) {
      for (int i : at) {
        out.writeInt(i);
      }
    }
  }

  @Override
  protected PendingRow read(int version, DataInputView in) throws IOException {
    double[] features = readArray(in);
    double label = in.readDouble();
    if (version < 2) {
      return new PendingRow(features, label);
    }
    long timestamp = in.readLong();
    String origin = in.readUTF();
    if (version < 3) {
      return new PendingRow(features, label, timestamp, origin);
    }
    int n = in.readInt();
    int[] at = null;
    if (n >= 0) {
      at = new int[n];
      for (int i = 0; i < n; i++) {
        at[i] = in.readInt();
      }
    }
    return new PendingRow(features, label, timestamp, origin, at);
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
