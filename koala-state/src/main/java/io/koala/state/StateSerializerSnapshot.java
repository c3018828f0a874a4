package io.koala.state;

import java.io.IOException;
import java.util.function.IntFunction;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSchemaCompatibility;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * Snapshot of a {@link StateSerializer}: records the format version the state was written in. A
 * newer serializer reads older formats (compatible after migration: Flink reads with the restored
 * serializer and rewrites with the new one); an unknown newer format is incompatible.
 */
public abstract class StateSerializerSnapshot<T> implements TypeSerializerSnapshot<T> {

  private final int currentFormat;
  private final IntFunction<StateSerializer<T>> serializerForFormat;
  private int format;

  /**
   * @param currentFormat the format version written by the current serializer
   * @param serializerForFormat a serializer that reads (and writes) a given supported format
   */
  protected StateSerializerSnapshot(
      int currentFormat, IntFunction<StateSerializer<T>> serializerForFormat) {
    this.currentFormat = currentFormat;
    this.serializerForFormat = serializerForFormat;
    this.format = currentFormat;
  }

  /** Sets the described format (for snapshots of serializers restored from an older format). */
  protected void setFormat(int format) {
    this.format = format;
  }

  /** The format version this snapshot describes. */
  public int format() {
    return format;
  }

  @Override
  public int getCurrentVersion() {
    return 1;
  }

  @Override
  public void writeSnapshot(DataOutputView out) throws IOException {
    out.writeInt(format);
  }

  @Override
  public void readSnapshot(int readVersion, DataInputView in, ClassLoader classLoader)
      throws IOException {
    if (readVersion != 1) {
      throw new IOException(
          "unknown snapshot version " + readVersion + " of " + getClass().getName());
    }
    format = in.readInt();
  }

  @Override
  public TypeSerializer<T> restoreSerializer() {
    if (format < 1 || format > currentFormat) {
      throw new IllegalStateException(
          "state format "
              + format
              + " of "
              + getClass().getName()
              + " is newer than this version reads ("
              + currentFormat
              + ")");
    }
    return serializerForFormat.apply(format);
  }

  @Override
  public TypeSerializerSchemaCompatibility<T> resolveSchemaCompatibility(
      TypeSerializerSnapshot<T> oldSnapshot) {
    if (oldSnapshot.getClass() != getClass()) {
      return TypeSerializerSchemaCompatibility.incompatible();
    }
    int old = ((StateSerializerSnapshot<T>) oldSnapshot).format();
    if (old == currentFormat) {
      return TypeSerializerSchemaCompatibility.compatibleAsIs();
    }
    return old >= 1 && old < currentFormat
        ? TypeSerializerSchemaCompatibility.compatibleAfterMigration()
        : TypeSerializerSchemaCompatibility.incompatible();
  }
}
