package io.koala.connectors.file;

import io.koala.connectors.Decoded;
import io.koala.connectors.RecordDecoder;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichFlatMapFunction;
import org.apache.flink.util.Collector;

/**
 * Turns a global line number (from a sequence source) into the decoded record of that line of the
 * input files, with "file:line" (1-based) as its origin. Runs with parallelism 1 behind the
 * sequence source, so records keep file order and a restored job resumes at the exact line.
 */
public final class LineReader extends RichFlatMapFunction<Long, Decoded> {

  private static final long serialVersionUID = 1L;

  private final List<String> files;
  private final RecordDecoder decoder;
  private final boolean headers;

  private transient List<LineIndex> indices;
  private transient List<RandomAccessFile> handles;

  /**
   * @param headers whether the first line of every file is a header (CSV) and no record
   */
  public LineReader(List<Path> files, RecordDecoder decoder, boolean headers) {
    this.files = files.stream().map(Path::toString).toList();
    this.decoder = decoder;
    this.headers = headers;
  }

  @Override
  public void open(OpenContext context) throws IOException {
    indices = new ArrayList<>();
    handles = new ArrayList<>();
    for (String file : files) {
      indices.add(LineIndex.of(Path.of(file)));
      handles.add(new RandomAccessFile(file, "r"));
    }
  }

  @Override
  public void flatMap(Long number, Collector<Decoded> out) throws IOException {
    long line = number;
    for (int f = 0; f < files.size(); f++) {
      LineIndex index = indices.get(f);
      if (line < index.lines()) {
        int l = (int) line;
        if (headers && l == 0) {
          return;
        }
        long start = index.start(l);
        // Read no more than the size limit allows (+2 for a line break): the decoder rejects a
        // longer line by its size, whatever it holds.
        int length = (int) Math.min(index.end(l) - start, decoder.limits().maxRecordBytes() + 2L);
        byte[] bytes = new byte[length];
        RandomAccessFile handle = handles.get(f);
        handle.seek(start);
        handle.readFully(bytes);
        int trimmed = length;
        while (trimmed > 0 && (bytes[trimmed - 1] == '\n' || bytes[trimmed - 1] == '\r')) {
          trimmed--;
        }
        byte[] record = trimmed == length ? bytes : java.util.Arrays.copyOf(bytes, trimmed);
        out.collect(
            decoder.decode(record, Path.of(files.get(f)).getFileName() + ":" + (l + 1), null));
        return;
      }
      line -= index.lines();
    }
    throw new IllegalStateException("line " + number + " is past the end of the input files");
  }

  @Override
  public void close() throws IOException {
    if (handles != null) {
      for (RandomAccessFile handle : handles) {
        handle.close();
      }
    }
  }
}
