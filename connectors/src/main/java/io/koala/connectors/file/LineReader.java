package io.koala.connectors.file;

import io.koala.connectors.Decoded;
import io.koala.connectors.JsonEventDecoder;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichMapFunction;

/**
 * Turns a global line number (from a sequence source) into the decoded record of that line of
 * the input files, with "file:line" (1-based) as its origin. Runs with parallelism 1 behind the
 * sequence source, so records keep file order and a restored job resumes at the exact line.
 */
public final class LineReader extends RichMapFunction<Long, Decoded> {

  private static final long serialVersionUID = 1L;

  private final List<String> files;
  private final JsonEventDecoder decoder;

  private transient List<LineIndex> indices;
  private transient List<RandomAccessFile> handles;

  public LineReader(List<Path> files, JsonEventDecoder decoder) {
    this.files = files.stream().map(Path::toString).toList();
    this.decoder = decoder;
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
  public Decoded map(Long number) throws IOException {
    long line = number;
    for (int f = 0; f < files.size(); f++) {
      LineIndex index = indices.get(f);
      if (line < index.lines()) {
        int l = (int) line;
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
        return decoder.decode(record, Path.of(files.get(f)).getFileName() + ":" + (l + 1), null);
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
