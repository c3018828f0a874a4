package io.koala.connectors;

import io.koala.connectors.TrainingEvent.Labelled;
import io.koala.connectors.TrainingEvent.PreBatched;
import io.koala.connectors.TrainingEvent.PredictionRequest;
import java.io.IOException;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;
import org.apache.flink.types.StringValue;

/**
 * Flink serializer of {@link TrainingEvent} between operators: a tag byte for the kind, then its
 * fields. A stream record only, never in state, so its format may change between versions.
 */
public final class TrainingEventSerializer extends TypeSerializer<TrainingEvent> {

  private static final long serialVersionUID = 1L;

  public static final TrainingEventSerializer INSTANCE = new TrainingEventSerializer();

  private static final byte LABELLED = 0;
  private static final byte REQUEST = 1;
  private static final byte BATCH = 2;

  /**
   * A prediction request for a sparse row, written as an example (values, a NaN label, indices).
   */
  private static final byte SPARSE_REQUEST = 3;

  @Override
  public boolean isImmutableType() {
    return false;
  }

  @Override
  public TypeSerializer<TrainingEvent> duplicate() {
    return this;
  }

  @Override
  public TrainingEvent createInstance() {
    return null;
  }

  @Override
  public TrainingEvent copy(TrainingEvent from) {
    if (from instanceof Labelled l) {
      return new Labelled(l.key(), copy(l.example()), l.timestamp(), l.origin());
    }
    if (from instanceof PredictionRequest r) {
      return new PredictionRequest(
          r.key(),
          r.features().clone(),
          r.timestamp(),
          r.id(),
          r.origin(),
          r.indices() == null ? null : r.indices().clone());
    }
    PreBatched b = (PreBatched) from;
    Example[] examples = new Example[b.examples().length];
    for (int i = 0; i < examples.length; i++) {
      examples[i] = copy(b.examples()[i]);
    }
    return new PreBatched(b.key(), examples, b.timestamp(), b.origin());
  }

  private static Example copy(Example e) {
    return e.copy();
  }

  @Override
  public TrainingEvent copy(TrainingEvent from, TrainingEvent reuse) {
    return copy(from);
  }

  @Override
  public int getLength() {
    return -1;
  }

  @Override
  public void serialize(TrainingEvent event, DataOutputView out) throws IOException {
    if (event instanceof Labelled l) {
      out.writeByte(LABELLED);
      writeCommon(l.key(), l.timestamp(), l.origin(), out);
      writeExample(l.example(), out);
    } else if (event instanceof PredictionRequest r) {
      out.writeByte(r.isSparse() ? SPARSE_REQUEST : REQUEST);
      writeCommon(r.key(), r.timestamp(), r.origin(), out);
      writeNullable(r.id(), out);
      if (r.isSparse()) {
        writeExample(Example.sparse(r.indices(), r.features(), Double.NaN), out);
      } else {
        writeArray(r.features(), out);
      }
    } else {
      PreBatched b = (PreBatched) event;
      out.writeByte(BATCH);
      writeCommon(b.key(), b.timestamp(), b.origin(), out);
      out.writeInt(b.examples().length);
      for (Example e : b.examples()) {
        writeExample(e, out);
      }
    }
  }

  @Override
  public TrainingEvent deserialize(DataInputView in) throws IOException {
    byte tag = in.readByte();
    String key = StringValue.readString(in);
    long ts = in.readLong();
    String origin = readNullable(in);
    return switch (tag) {
      case LABELLED -> new Labelled(key, readExample(in), ts, origin);
      case REQUEST -> {
        String id = readNullable(in);
        yield new PredictionRequest(key, readArray(in), ts, id, origin);
      }
      case SPARSE_REQUEST -> {
        String id = readNullable(in);
        Example row = readExample(in);
        if (!row.isSparse()) {
          throw new IOException("corrupt stream record: a sparse request without indices");
        }
        yield PredictionRequest.of(key, row, ts, id, origin);
      }
      case BATCH -> {
        Example[] examples = new Example[in.readInt()];
        for (int i = 0; i < examples.length; i++) {
          examples[i] = readExample(in);
        }
        yield new PreBatched(key, examples, ts, origin);
      }
      default -> throw new IOException("corrupt stream record: unknown event tag " + tag);
    };
  }

  @Override
  public TrainingEvent deserialize(TrainingEvent reuse, DataInputView in) throws IOException {
    return deserialize(in);
  }

  @Override
  public void copy(DataInputView in, DataOutputView out) throws IOException {
    serialize(deserialize(in), out);
  }

  private static void writeCommon(String key, long ts, String origin, DataOutputView out)
      throws IOException {
    StringValue.writeString(key, out);
    out.writeLong(ts);
    writeNullable(origin, out);
  }

  private static void writeNullable(String s, DataOutputView out) throws IOException {
    out.writeBoolean(s != null);
    if (s != null) {
      StringValue.writeString(s, out);
    }
  }

  private static String readNullable(DataInputView in) throws IOException {
    return in.readBoolean() ? StringValue.readString(in) : null;
  }

  /** The values, the label, then the indices of a sparse example (a negative count: dense). */
  private static void writeExample(Example e, DataOutputView out) throws IOException {
    writeArray(e.features(), out);
    out.writeDouble(e.label());
    int[] at = e.indices();
    out.writeInt(at == null ? -1 : at.length);
    if (at != null) {
      for (int i : at) {
        out.writeInt(i);
      }
    }
  }

  private static Example readExample(DataInputView in) throws IOException {
    double[] values = readArray(in);
    double label = in.readDouble();
    int n = in.readInt();
    if (n < 0) {
      return new Example(values, label);
    }
    if (n != values.length) {
      throw new IOException(
          "corrupt stream record: " + n + " indices for " + values.length + " values");
    }
    int[] at = new int[n];
    for (int i = 0; i < n; i++) {
      at[i] = in.readInt();
    }
    return Example.sparse(at, values, label);
  }

  private static void writeArray(double[] values, DataOutputView out) throws IOException {
    out.writeInt(values.length);
    for (double v : values) {
      out.writeDouble(v);
    }
  }

  private static double[] readArray(DataInputView in) throws IOException {
    int length = in.readInt();
    if (length < 0) {
      throw new IOException("corrupt stream record: negative array length " + length);
    }
    double[] values = new double[length];
    for (int i = 0; i < length; i++) {
      values[i] = in.readDouble();
    }
    return values;
  }

  @Override
  public boolean equals(Object obj) {
    return obj instanceof TrainingEventSerializer;
  }

  @Override
  public int hashCode() {
    return TrainingEventSerializer.class.hashCode();
  }

  @Override
  public TypeSerializerSnapshot<TrainingEvent> snapshotConfiguration() {
    return new Snapshot();
  }

  /** Snapshot of this stateless serializer. */
  public static final class Snapshot extends SimpleTypeSerializerSnapshot<TrainingEvent> {
    public Snapshot() {
      super(() -> INSTANCE);
    }
  }
}
