package io.koala.benchmarks;

import io.koala.data.DriftingStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The drift benchmark's streams: the project's generators, then the real streams of the data
 * directory.
 */
final class DriftStreams {

  private DriftStreams() {}

  /**
   * The benchmark's streams: the generated ones, then each real stream whose file is there (the
   * data directory is the first argument that is not a flag, default ../shared/data; a path ending
   * in .csv is taken as weather.csv, as before).
   */
  static List<DriftBench.Stream> streams(String[] args) throws IOException {
    String[] logistic3 = {"koala.model.type", "logistic", "koala.model.features", "3"};
    List<DriftBench.Stream> streams =
        new ArrayList<>(
            List.of(
                new DriftBench.Stream(
                    "SEA (abrupt: 3 drifts)",
                    DriftingStream.sea("s", 1, 20_000, 5_000, 10_000, 15_000),
                    logistic3,
                    false),
                new DriftBench.Stream(
                    "rotating hyperplane (gradual)",
                    DriftingStream.rotatingHyperplane("h", 1, 20_000, 10, 0.001),
                    new String[] {"koala.model.type", "logistic", "koala.model.features", "10"},
                    false),
                new DriftBench.Stream(
                    "linear concept jumps (abrupt: 2 drifts)",
                    DriftingStream.multiKeyConcepts(3, 1, 20_000),
                    logistic3,
                    false),
                new DriftBench.Stream(
                    "regression jump (abrupt: 1 drift)",
                    DriftingStream.regressionJump("r", 1, 20_000, 5, 10_000),
                    new String[] {"koala.model.type", "linear", "koala.model.features", "5"},
                    true),
                new DriftBench.Stream(
                    "multiclass, 5 classes (abrupt: 1 drift)",
                    DriftingStream.multiclass("m", 1, 20_000, 4, 5, 10_000),
                    new String[] {
                      "koala.model.type",
                      "softmax",
                      "koala.model.features",
                      "4",
                      "koala.model.classes",
                      "5"
                    },
                    false)));
    Path data = dataDirectory(args);
    Path weather = weatherFile(args, data);
    if (Files.isRegularFile(weather)) {
      streams.add(
          new DriftBench.Stream(
              "weather (real, NOAA; no known drift points)",
              RealStreams.csv(weather, "weather"),
              new String[] {"koala.model.type", "logistic", "koala.model.features", "8"},
              false));
    } else {
      System.out.println("(weather.csv not found at " + weather + ": skipped)");
    }
    Path outdoor = data.resolve("outdoor.csv");
    if (Files.isRegularFile(outdoor)) {
      streams.add(
          new DriftBench.Stream(
              "outdoor (real, 40 objects; no known drift points)",
              RealStreams.csv(outdoor, "outdoor"),
              softmax(21, 40),
              false));
    } else {
      System.out.println("(outdoor.csv not found at " + outdoor + ": skipped)");
    }
    Path keystroke = data.resolve("keystroke.csv");
    if (Files.isRegularFile(keystroke)) {
      streams.add(
          new DriftBench.Stream(
              "keystroke (real, 4 typists; no known drift points)",
              RealStreams.csv(keystroke, "keystroke"),
              softmax(10, 4),
              false));
    } else {
      System.out.println("(keystroke.csv not found at " + keystroke + ": skipped)");
    }
    Path spam = data.resolve("spam.jsonl");
    if (Files.isRegularFile(spam)) {
      streams.add(
          new DriftBench.Stream(
              "spam (real, e-mail; 39,916 sparse words hashed into d = 1,024; not standardised)",
              RealStreams.hashedJsonLines(spam, DriftBench.SPAM_DIMENSION),
              new String[] {
                "koala.model.type",
                "logistic",
                "koala.model.features",
                String.valueOf(DriftBench.SPAM_DIMENSION),
                "koala.model.standardise",
                "false"
              },
              false));
    } else {
      System.out.println("(spam.jsonl not found at " + spam + ": skipped)");
    }
    return streams;
  }

  static String[] softmax(int features, int classes) {
    return new String[] {
      "koala.model.type",
      "softmax",
      "koala.model.features",
      String.valueOf(features),
      "koala.model.classes",
      String.valueOf(classes)
    };
  }

  private static Path dataDirectory(String[] args) {
    for (String a : args) {
      if (!a.startsWith("--")) {
        Path p = Path.of(a);
        return a.endsWith(".csv") ? (p.getParent() == null ? Path.of(".") : p.getParent()) : p;
      }
    }
    return Path.of("../shared/data");
  }

  private static Path weatherFile(String[] args, Path data) {
    for (String a : args) {
      if (!a.startsWith("--") && a.endsWith(".csv")) {
        return Path.of(a);
      }
    }
    return data.resolve("weather.csv");
  }
}
