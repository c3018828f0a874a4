package io.koala.connectors;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The files of test-data/bad-input with their expected reasons, and the profile they assume. */
public final class BadInputCorpus {

  private BadInputCorpus() {}

  /** One corpus file. */
  public record Entry(String file, String reason, byte[] payload) {}

  /** The decoder profile of the corpus (see its README). */
  public static DecoderLimits limits() {
    return new DecoderLimits(3, 3, List.of("red", "green", "blue"), null, 4096, 8, 4, 256);
  }

  /** The corpus folder, found from a module folder or the repository root. */
  public static Path folder() {
    for (Path candidate :
        List.of(Path.of("test-data", "bad-input"), Path.of("..", "test-data", "bad-input"))) {
      if (Files.isDirectory(candidate)) {
        return candidate;
      }
    }
    throw new IllegalStateException(
        "test-data/bad-input not found from " + Path.of("").toAbsolutePath());
  }

  public static List<Entry> entries() throws IOException {
    Path folder = folder();
    List<Entry> entries = new ArrayList<>();
    List<String> lines = Files.readAllLines(folder.resolve("expected.csv"));
    for (String line : lines.subList(1, lines.size())) {
      String[] parts = line.split(",", 3);
      entries.add(new Entry(parts[0], parts[1], Files.readAllBytes(folder.resolve(parts[0]))));
    }
    return entries;
  }
}
