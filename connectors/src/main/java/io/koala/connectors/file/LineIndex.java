package io.koala.connectors.file;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/** Byte offsets of every line start of a file, for random access by line number. */
final class LineIndex {

  private final long[] starts;
  private final long length;

  private LineIndex(long[] starts, long length) {
    this.starts = starts;
    this.length = length;
  }

  static LineIndex of(Path file) {
    long[] starts = new long[1024];
    int count = 0;
    long position = 0;
    boolean atLineStart = true;
    try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
      byte[] buffer = new byte[1 << 16];
      int n;
      while ((n = in.read(buffer)) > 0) {
        for (int i = 0; i < n; i++) {
          if (atLineStart) {
            if (count == starts.length) {
              starts = Arrays.copyOf(starts, count * 2);
            }
            starts[count++] = position + i;
            atLineStart = false;
          }
          if (buffer[i] == '\n') {
            atLineStart = true;
          }
        }
        position += n;
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
    return new LineIndex(Arrays.copyOf(starts, count), position);
  }

  int lines() {
    return starts.length;
  }

  long start(int line) {
    return starts[line];
  }

  /** End of the line's content: before its newline (and a carriage return before that). */
  long end(int line) {
    return line + 1 < starts.length ? starts[line + 1] : length;
  }
}
