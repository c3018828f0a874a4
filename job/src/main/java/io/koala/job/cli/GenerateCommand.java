package io.koala.job.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.koala.data.DriftingStream;
import io.koala.data.LabelledExample;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code koala generate STREAM --out FILE [--seed S]}: writes one of the fixed-seed drifting
 * streams as JSON lines (the input format), for samples, the demo and the drift benchmark.
 */
final class GenerateCommand {

  private GenerateCommand() {}

  static final String USAGE =
      """
      usage: koala generate sea|hyperplane|regression|multiclass|multikey|concepts --out FILE
                            [--seed S] [--events N]
        Drift points scale with N (SEA: N/4, N/2, 3N/4; regression and multiclass: N/2);
        multikey (SEA) and concepts (linear concepts redrawn, the demo's stream) have 50 keys
        of N/50 examples, each with its own two drift times.
        Features are written with 4 decimals.""";

  static int run(List<String> args, PrintStream out, PrintStream err) throws IOException {
    if (args.isEmpty() || !args.contains("--out")) {
      err.println(USAGE);
      return 2;
    }
    String stream = args.get(0);
    Path file = Path.of(args.get(args.indexOf("--out") + 1));
    long seed = args.contains("--seed") ? Long.parseLong(args.get(args.indexOf("--seed") + 1)) : 1;
    int n =
        args.contains("--events")
            ? Integer.parseInt(args.get(args.indexOf("--events") + 1))
            : 20_000;
    List<LabelledExample> examples =
        switch (stream) {
          case "sea" -> DriftingStream.sea("sea", seed, n, n / 4, n / 2, 3L * n / 4);
          case "hyperplane" -> DriftingStream.rotatingHyperplane("hyperplane", seed, n, 10, 0.001);
          case "regression" -> DriftingStream.regressionJump("regression", seed, n, 5, n / 2);
          case "multiclass" -> DriftingStream.multiclass("multiclass", seed, n, 4, 5, n / 2);
          case "multikey" -> DriftingStream.multiKeySea(seed, 50, Math.max(1, n / 50));
          case "concepts" -> DriftingStream.multiKeyConcepts(seed, 50, Math.max(1, n / 50));
          default -> null;
        };
    if (examples == null) {
      err.println(USAGE);
      return 2;
    }
    ObjectMapper json = new ObjectMapper();
    Files.createDirectories(file.toAbsolutePath().getParent());
    try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      for (LabelledExample e : examples) {
        double[] rounded = new double[e.features().length];
        for (int j = 0; j < rounded.length; j++) {
          rounded[j] = Math.round(e.features()[j] * 1e4) / 1e4;
        }
        var line = json.createObjectNode();
        line.put("key", e.key());
        var features = line.putArray("features");
        for (double v : rounded) {
          features.add(v);
        }
        line.put("label", e.label());
        line.put("ts", e.index());
        w.write(line.toString());
        w.newLine();
      }
    }
    out.println("koala: wrote " + examples.size() + " examples of " + stream + " to " + file);
    return 0;
  }
}
