package io.koala.connectors.file;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** The input files of a file run: one .jsonl file, or every .jsonl file of a folder by name. */
public final class JsonLinesFiles {

  private JsonLinesFiles() {}

  public static List<Path> resolve(String input) {
    if (input == null || input.isBlank()) {
      throw new IllegalArgumentException("invalid configuration: koala.file.input is required "
          + "when koala.source = file");
    }
    Path path = Path.of(input).toAbsolutePath();
    if (Files.isRegularFile(path)) {
      return List.of(path);
    }
    if (Files.isDirectory(path)) {
      try (Stream<Path> files = Files.list(path)) {
        List<Path> found = new ArrayList<>(files
            .filter(p -> p.getFileName().toString().endsWith(".jsonl")).sorted().toList());
        if (found.isEmpty()) {
          throw new IllegalArgumentException("invalid configuration: koala.file.input " + input
              + " holds no .jsonl file");
        }
        return found;
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    throw new IllegalArgumentException("invalid configuration: koala.file.input " + input
        + " does not exist");
  }

  /** Counts the lines of the files (a last line without a newline counts). */
  public static long countLines(List<Path> files) {
    long total = 0;
    for (Path file : files) {
      total += LineIndex.of(file).lines();
    }
    return total;
  }
}
