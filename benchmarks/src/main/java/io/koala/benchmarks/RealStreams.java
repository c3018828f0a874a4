package io.koala.benchmarks;

import io.koala.connectors.FeatureHashing;
import io.koala.data.LabelledExample;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Readers of the third-party real streams in {@code ../shared/data} (read in place, never copied
 * into the repository): CSV files with a header and the label in the last column, and the spam
 * stream's JSON lines of named sparse features, hashed into d dimensions as the job hashes them.
 */
final class RealStreams {

  private RealStreams() {}

  /** A CSV stream: every column but the last is a feature, the last the label; concept 0. */
  static List<LabelledExample> csv(Path file, String key) throws IOException {
    List<String> lines = Files.readAllLines(file);
    List<LabelledExample> out = new ArrayList<>(lines.size());
    for (int i = 1; i < lines.size(); i++) {
      if (lines.get(i).isBlank()) {
        continue;
      }
      String[] parts = lines.get(i).split(",");
      double[] x = new double[parts.length - 1];
      for (int j = 0; j < x.length; j++) {
        x[j] = Double.parseDouble(parts[j]);
      }
      out.add(new LabelledExample(key, x, Double.parseDouble(parts[x.length]), out.size(), 0));
    }
    return out;
  }

  /**
   * The spam stream: one {@code {"key":…,"features":{"w1":1,…},"label":y}} object a line, features
   * hashed with the engine's signed hashing trick ({@link FeatureHashing}) into {@code dimension}.
   */
  static List<LabelledExample> hashedJsonLines(Path file, int dimension) throws IOException {
    List<LabelledExample> out = new ArrayList<>();
    for (String line : Files.readAllLines(file)) {
      if (line.isBlank()) {
        continue;
      }
      int open = line.indexOf("\"features\"");
      int start = line.indexOf('{', open);
      int end = line.indexOf('}', start);
      double[] x = new double[dimension];
      String body = line.substring(start + 1, end).trim();
      if (!body.isEmpty()) {
        for (String pair : body.split(",")) {
          int colon = pair.lastIndexOf(':');
          String name = pair.substring(0, colon).trim();
          name = name.substring(1, name.length() - 1);
          double value = Double.parseDouble(pair.substring(colon + 1).trim());
          x[FeatureHashing.index(name, dimension)] += FeatureHashing.sign(name) * value;
        }
      }
      int label = line.indexOf("\"label\"", end);
      String tail = line.substring(line.indexOf(':', label) + 1).replace("}", "").trim();
      out.add(new LabelledExample("spam", x, Double.parseDouble(tail), out.size(), 0));
    }
    return out;
  }
}
