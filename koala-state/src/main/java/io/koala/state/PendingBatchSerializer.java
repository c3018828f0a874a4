package io.koala.state;

import java.io.IOException;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/** Flink serializer of {@link PendingBatch}, format 1. */
public final class PendingBatchSerializer extends StateSerializer<PendingBatch> {

  private static final long serialVersionUID = 1L;

  /** The format written by this version. */
  public static final int CURRENT_FORMAT = 1;

  public static final PendingBatchSerializer INSTANCE = new PendingBatchSerializer();

  public PendingBatchSerializer() {
    super(CURRENT_FORMAT);
  }

  private PendingBatchSerializer(int format) {
    super(format);
  }

  @Override
  public PendingBatch copy(PendingBatch from) {
    return from;
  }

  @Override
  public void serialize(PendingBatch p, DataOutputView out) throws IOException {
    out.writeInt(p.count());
    out.writeLong(p.firstTimestamp());
    out.writeUTF(p.firstOrigin() == null ? "" : p.firstOrigin());
    out.writeUTF(p.lastOrigin() == null ? "" : p.lastOrigin());
  }

  @Override
  protected PendingBatch read(int version, DataInputView in) throws IOException {
    return new PendingBatch(in.readInt(), in.readLong(), in.readUTF(), in.readUTF());
  }

  @Override
  public Snapshot snapshotConfiguration() {
    return new Snapshot(format());
  }

  /** Snapshot of this serializer: the format version of the stored records. */
  public static final class Snapshot extends StateSerializerSnapshot<PendingBatch> {

    public Snapshot() {
      super(CURRENT_FORMAT, PendingBatchSerializer::new);
    }

    Snapshot(int format) {
      this();
      setFormat(format);
    }
  }
}
