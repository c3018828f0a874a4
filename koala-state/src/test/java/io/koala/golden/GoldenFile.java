package io.koala.golden;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.koala.model.Batch;
import io.koala.noise.MeasurementNoise;
import io.koala.noise.ProcessNoise;
import io.koala.noise.Schedule;
import io.koala.noise.Target;
import io.koala.optimizer.BlockLayout;
import io.koala.optimizer.Direction;
import io.koala.optimizer.KoalaM;
import io.koala.optimizer.KoalaMConfig;
import io.koala.optimizer.KoalaPlusPlus;
import io.koala.optimizer.KoalaPlusPlusConfig;
import io.koala.optimizer.KoalaV;
import io.koala.optimizer.KoalaVConfig;
import io.koala.optimizer.Optimizer;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A golden-vector file (layout: golden/README.md in the test resources) read into runnable pieces.
 */
final class GoldenFile {

  /** The default copy in test resources; {@code -Dkoala.golden=PATH} replaces it. */
  static final String RESOURCE = "/golden/koala-golden.json";

  final JsonNode root;
  final double[][] features;
  final double[] labels;
  final List<int[]> batches = new ArrayList<>();
  final double[] theta0;

  private GoldenFile(JsonNode root) {
    this.root = root;
    JsonNode data = root.path("dataset");
    features = new double[data.path("X").size()][];
    for (int i = 0; i < features.length; i++) {
      features[i] = doubles(data.path("X").get(i));
    }
    labels = doubles(data.path("y"));
    for (JsonNode batch : data.path("batches")) {
      int[] rows = new int[batch.size()];
      for (int i = 0; i < rows.length; i++) {
        rows[i] = batch.get(i).asInt();
      }
      batches.add(rows);
    }
    theta0 = doubles(root.path("meta").path("theta0"));
  }

  static GoldenFile load() throws IOException {
    ObjectMapper mapper = new ObjectMapper();
    String override = System.getProperty("koala.golden", "");
    if (!override.isBlank()) {
      return new GoldenFile(mapper.readTree(resolve(override).toFile()));
    }
    try (InputStream in = GoldenFile.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IOException("missing test resource " + RESOURCE);
      }
      return new GoldenFile(mapper.readTree(in));
    }
  }

  static boolean isDefault() {
    return System.getProperty("koala.golden", "").isBlank();
  }

  /** An absolute path, or one relative to where Maven was started, or to this module. */
  private static Path resolve(String name) throws IOException {
    Path path = Path.of(name);
    if (path.isAbsolute() || Files.exists(path)) {
      return path;
    }
    String top = System.getProperty("maven.multiModuleProjectDirectory", "");
    if (!top.isEmpty() && Files.exists(Path.of(top).resolve(name))) {
      return Path.of(top).resolve(name);
    }
    throw new IOException("golden file not found: " + name + " (give an absolute path)");
  }

  Batch batch(int step) {
    int[] rows = batches.get(step);
    double[][] x = new double[rows.length][];
    double[] y = new double[rows.length];
    for (int i = 0; i < rows.length; i++) {
      x[i] = features[rows[i]];
      y[i] = labels[rows[i]];
    }
    return new Batch(x, y);
  }

  /** The optimizer a run describes, built from its {@code variant} and {@code hyper}. */
  Optimizer<?> optimizer(JsonNode run) {
    JsonNode h = run.path("hyper");
    BlockLayout layout = layout(h.path("blocks"));
    MeasurementNoise r = measurementNoise(h.path("R"));
    Target target = target(h.path("target"));
    double decay = h.path("weight_decay").asDouble();
    String variant = run.path("variant").asText();
    switch (variant) {
      case "koala_v":
        return new KoalaV(
            new KoalaVConfig(
                layout,
                h.path("P0").asDouble(),
                ProcessNoise.constant(h.path("Q").asDouble()),
                r,
                target,
                decay,
                "reg_grad".equals(h.path("direction").asText())
                    ? Direction.REGULARISED_GRADIENT
                    : Direction.RAW_GRADIENT,
                skip(h)));
      case "koala_m":
        return new KoalaM(
            new KoalaMConfig(
                layout,
                h.path("sw").asDouble(),
                h.path("sc").asDouble(),
                h.path("sv").asDouble(),
                h.path("kappa").asDouble(),
                h.path("qw0").asDouble(),
                h.path("qv").asDouble(),
                h.path("beta_q").asDouble(),
                h.path("beta_x").asDouble(),
                ProcessNoise.constant(0.0),
                r,
                target,
                decay,
                skip(h)));
      case "koala_pp":
        return new KoalaPlusPlus(
            new KoalaPlusPlusConfig(
                layout,
                h.path("sigma").asDouble(),
                ProcessNoise.constant(h.path("Q").asDouble()),
                r,
                target,
                decay,
                h.path("symmetric").asBoolean(),
                KoalaPlusPlusConfig.Initialisation.valueOf(h.path("init").asText().toUpperCase()),
                skip(h),
                false));
      default:
        throw new IllegalArgumentException("unknown variant " + variant);
    }
  }

  /** The run's own skip threshold, else the file's. */
  private double skip(JsonNode hyper) {
    return hyper.path("skip_eps").asDouble(root.path("meta").path("skip_eps").asDouble(1e-9));
  }

  private static BlockLayout layout(JsonNode blocks) {
    int[] sizes = new int[blocks.size()];
    int next = 0;
    for (int b = 0; b < sizes.length; b++) {
      JsonNode block = blocks.get(b);
      for (JsonNode index : block) {
        if (index.asInt() != next++) {
          throw new IllegalArgumentException("block " + b + " is not contiguous: " + block);
        }
      }
      sizes[b] = block.size();
    }
    return BlockLayout.ofSizes(sizes);
  }

  private static MeasurementNoise measurementNoise(JsonNode r) {
    if ("fixed".equals(r.path("kind").asText())) {
      return MeasurementNoise.fixed(r.path("value").asDouble());
    }
    MeasurementNoise.Sample sample =
        "mean_sq_residual".equals(r.path("sample").asText())
            ? MeasurementNoise.Sample.MEAN_SQUARED_RESIDUAL
            : MeasurementNoise.Sample.MEAN_SQUARED_LOSS;
    return new MeasurementNoise(
        MeasurementNoise.Kind.EMA, r.path("beta").asDouble(), r.path("init").asDouble(), sample);
  }

  private static Target target(JsonNode t) {
    JsonNode eps = t.path("eps");
    Schedule schedule =
        "inv".equals(eps.path("kind").asText())
            ? Schedule.inverse(eps.path("c").asDouble())
            : Schedule.constant(eps.path("c").asDouble());
    return new Target(
        "a".equals(t.path("scheme").asText()) ? Target.Scheme.OFFSET : Target.Scheme.RELATIVE,
        schedule);
  }

  static double[] doubles(JsonNode array) {
    double[] out = new double[array.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = array.get(i).asDouble();
    }
    return out;
  }
}
