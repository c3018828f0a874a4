package io.koala.connectors.file;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The input files of a file run: one file, or every .jsonl (.csv for CSV input) file of a folder,
 * in name order.
 */
public final class JsonLinesFiles {

  private JsonLinesFiles() {}

  public static List<Path> resolve(String input) {
    return resolve(input, false);
  }

  public static List<Path> resolve(String input, boolean csv) {
    String suffix = csv ? ".csv" : ".jsonl";
    if (input == null || input.isBlank()) {
      throw new IllegalArgumentException("no input file or folder is given");
    }
    Path path = Path.of(input).toAbsolutePath();
    if (Files.isRegularFile(path)) {
      return List.of(path);
    }
    if (Files.isDirectory(path)) {
      try (Stream<Path> files = Files.list(path)) {
        List<Path> found =
            new ArrayList<>(
                files.filter(p -> p.getFileName().toString().endsWith(suffix)).sorted().toList());
        if (found.isEmpty()) {
          throw new IllegalArgumentException(
              "the input folder " + input + " holds no " + suffix + " file");
        }
        return found;
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    throw new IllegalArgumentException("the input " + input + " does not exist");
  }

  /** The header line shared by every CSV file (they must agree). */
  public static List<String> csvHeader(List<Path> files, char delimiter) {
    String header = null;
    for (Path file : files) {
      String first;
      try (var lines = Files.lines(file)) {
        first = lines.findFirst().orElse("");
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      if (header != null && !header.equals(first)) {
        throw new IllegalArgumentException("invalid input: " + file + " has another CSV header");
      }
      header = first;
    }
    return io.koala.connectors.CsvEventDecoder.header(header, delimiter);
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
