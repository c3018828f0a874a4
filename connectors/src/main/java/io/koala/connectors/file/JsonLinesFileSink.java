package io.koala.connectors.file;

import io.koala.connectors.OutputRecord;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.StatefulSinkWriter;
import org.apache.flink.api.connector.sink2.SupportsWriterState;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.core.io.SimpleVersionedSerializer;

/**
 * Appends JSON lines to one file. Run it with parallelism 1. At every checkpoint it records the
 * file's length; a job restored from that checkpoint truncates the file back to it before writing
 * on, so what a failure half-wrote is replaced, never duplicated (exactly once for one writer).
 */
public final class JsonLinesFileSink
    implements Sink<OutputRecord>, SupportsWriterState<OutputRecord, Long> {

  private static final long serialVersionUID = 1L;

  private final String path;

  public JsonLinesFileSink(Path path) {
    this.path = path.toAbsolutePath().toString();
  }

  @Override
  public SinkWriter<OutputRecord> createWriter(WriterInitContext context) throws IOException {
    requireOneWriter(context);
    return new Writer(Path.of(path), 0L);
  }

  private void requireOneWriter(WriterInitContext context) {
    int writers = context.getTaskInfo().getNumberOfParallelSubtasks();
    if (writers != 1) {
      throw new IllegalStateException(
          "the file sink for "
              + path
              + " runs with parallelism "
              + writers
              + "; it must run as a single writer (setParallelism(1))");
    }
  }

  @Override
  public StatefulSinkWriter<OutputRecord, Long> restoreWriter(
      WriterInitContext context, Collection<Long> states) throws IOException {
    requireOneWriter(context);
    long length = states.stream().mapToLong(Long::longValue).max().orElse(0L);
    return new Writer(Path.of(path), length);
  }

  @Override
  public SimpleVersionedSerializer<Long> getWriterStateSerializer() {
    return new LengthSerializer();
  }

  /** Serializes the checkpointed file length. */
  static final class LengthSerializer implements SimpleVersionedSerializer<Long> {
    @Override
    public int getVersion() {
      return 1;
    }

    @Override
    public byte[] serialize(Long length) {
      return ByteBuffer.allocate(8).putLong(length).array();
    }

    @Override
    public Long deserialize(int version, byte[] serialized) throws IOException {
      if (version != 1 || serialized.length != 8) {
        throw new IOException("unknown file sink state, version " + version);
      }
      return ByteBuffer.wrap(serialized).getLong();
    }
  }

  private static final class Writer implements StatefulSinkWriter<OutputRecord, Long> {
    private final RandomAccessFile file;
    private final byte[] newline = {'\n'};
    private final java.io.ByteArrayOutputStream buffer = new java.io.ByteArrayOutputStream(1 << 16);

    Writer(Path path, long length) throws IOException {
      Files.createDirectories(path.toAbsolutePath().getParent());
      file = new RandomAccessFile(path.toFile(), "rw");
      file.setLength(Math.min(length, file.length()));
      file.seek(file.length());
    }

    @Override
    public void write(OutputRecord record, Context context) throws IOException {
      buffer.write(record.json().getBytes(StandardCharsets.UTF_8));
      buffer.write(newline);
      if (buffer.size() >= 1 << 16) {
        drain();
      }
    }

    private void drain() throws IOException {
      if (buffer.size() > 0) {
        file.write(buffer.toByteArray());
        buffer.reset();
      }
    }

    @Override
    public void flush(boolean endOfInput) throws IOException {
      drain();
      file.getFD().sync();
    }

    @Override
    public List<Long> snapshotState(long checkpointId) throws IOException {
      drain();
      file.getFD().sync();
      return List.of(file.getFilePointer());
    }

    @Override
    public void close() throws IOException {
      drain();
      file.close();
    }
  }
}
