package io.koala.state;

import java.io.IOException;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * Base of the hand-written serializers of our immutable state records: stateless, variable length,
 * copies are deep (a copy never shares an array with its source).
 */
public abstract class StateSerializer<T> extends TypeSerializer<T> {

  private static final long serialVersionUID = 1L;

  private final int format;

  /**
   * @param format the record format this instance reads: the current one, or an older one
   */
  protected StateSerializer(int format) {
    this.format = format;
  }

  /** The record format this instance reads. */
  public int format() {
    return format;
  }

  /** Reads a record written in format {@code version} (the current one or an older one). */
  protected abstract T read(int version, DataInputView in) throws IOException;

  @Override
  public T deserialize(DataInputView in) throws IOException {
    return read(format, in);
  }

  @Override
  public boolean isImmutableType() {
    return false;
  }

  @Override
  public TypeSerializer<T> duplicate() {
    return this;
  }

  @Override
  public T createInstance() {
    return null;
  }

  @Override
  public T copy(T from, T reuse) {
    return copy(from);
  }

  @Override
  public int getLength() {
    return -1;
  }

  @Override
  public T deserialize(T reuse, DataInputView in) throws IOException {
    return deserialize(in);
  }

  @Override
  public void copy(DataInputView in, DataOutputView out) throws IOException {
    serialize(deserialize(in), out);
  }

  @Override
  public boolean equals(Object obj) {
    return obj != null
        && obj.getClass() == getClass()
        && ((StateSerializer<?>) obj).format == format;
  }

  @Override
  public int hashCode() {
    return 31 * getClass().hashCode() + format;
  }

  static void writeArray(double[] values, DataOutputView out) throws IOException {
    out.writeInt(values.length);
    for (double v : values) {
      out.writeDouble(v);
    }
  }

  static double[] readArray(DataInputView in) throws IOException {
    int length = in.readInt();
    if (length < 0) {
      throw new IOException("corrupt state: negative array length " + length);
    }
    double[] values = new double[length];
    for (int i = 0; i < length; i++) {
      values[i] = in.readDouble();
    }
    return values;
  }

  static double[] copyOrNull(double[] values) {
    return values == null ? null : values.clone();
  }

  static void writeDrift(DriftState drift, DataOutputView out) throws IOException {
    out.writeDouble(drift.processNoise());
    out.writeDouble(drift.lossLevel());
    out.writeDouble(drift.surpriseVariance());
    out.writeDouble(drift.cusum());
    out.writeLong(drift.observations());
    out.writeLong(drift.alarms());
    out.writeDouble(drift.reference());
    out.writeDouble(drift.pendingLoss());
    out.writeLong(drift.pendingExamples());
    out.writeDouble(drift.errorRate());
    out.writeDouble(drift.residualScale());
    out.writeDouble(drift.errorCusum());
    out.writeLong(drift.monitoredExamples());
    out.writeBoolean(drift.alarm());
  }

  /**
   * Reads a drift state written by a serializer of format {@code version}: from format {@code
   * firstWithReference} on it holds the CUSUM reference and the pooled loss (before, the reference
   * starts at the loss level and nothing is pooled); from {@code firstWithDetector} on the error
   * detector's state (before, the detector starts afresh: it re-learns the in-control error rate
   * over its warm-up, and the restored state reports no alarm).
   */
  static DriftState readDrift(
      int version, int firstWithReference, int firstWithDetector, DataInputView in)
      throws IOException {
    double q = in.readDouble();
    double level = in.readDouble();
    double variance = in.readDouble();
    double cusum = in.readDouble();
    long observations = in.readLong();
    long alarms = in.readLong();
    DriftState tracker =
        version < firstWithReference
            ? DriftState.initial(q)
                .withTracker(q, level, variance, cusum, observations, alarms, level, 0.0, 0)
            : DriftState.initial(q)
                .withTracker(
                    q,
                    level,
                    variance,
                    cusum,
                    observations,
                    alarms,
                    in.readDouble(),
                    in.readDouble(),
                    in.readLong());
    if (version < firstWithDetector) {
      return tracker;
    }
    return tracker.withDetector(
        in.readDouble(), in.readDouble(), in.readDouble(), in.readLong(), in.readBoolean(), alarms);
  }
}
