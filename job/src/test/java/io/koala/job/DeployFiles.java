package io.koala.job;

import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.FallbackKey;
import org.apache.flink.configuration.MetricOptions;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/**
 * Reads the files under docker/ for {@link DeployFilesITCase}: YAML (with Compose's merge keys),
 * the Dockerfile's COPY instructions, and Flink configuration keys checked against Flink's own
 * option classes.
 */
final class DeployFiles {

  private DeployFiles() {}

  /** The repository root (the tests run in job/). */
  static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

  static final Path DOCKER = ROOT.resolve("docker");

  /** Every YAML document of a file, with {@code <<} merge keys applied (Compose uses them). */
  static List<Object> yamlDocuments(Path file) throws IOException {
    List<Object> documents = new ArrayList<>();
    for (Object document :
        new Load(LoadSettings.builder().build()).loadAllFromString(Files.readString(file))) {
      documents.add(merged(document));
    }
    return documents;
  }

  /** The one YAML document of a file, as a map. */
  @SuppressWarnings("unchecked")
  static Map<String, Object> yaml(Path file) throws IOException {
    List<Object> documents = yamlDocuments(file);
    if (documents.size() != 1 || !(documents.get(0) instanceof Map)) {
      throw new IllegalStateException(file + " is not one YAML map");
    }
    return (Map<String, Object>) documents.get(0);
  }

  /** The YAML 1.1 merge key that Compose files use: {@code <<: *anchor} adds the anchor's keys. */
  private static Object merged(Object node) {
    if (node instanceof Map<?, ?> map) {
      Map<String, Object> out = new LinkedHashMap<>();
      Object base = map.get("<<");
      map.forEach(
          (k, v) -> {
            if (!"<<".equals(k)) {
              out.put(String.valueOf(k), merged(v));
            }
          });
      List<Object> bases = base instanceof List<?> list ? new ArrayList<>(list) : new ArrayList<>();
      if (base instanceof Map) {
        bases.add(base);
      }
      for (Object b : bases) {
        ((Map<?, ?>) merged(b)).forEach((k, v) -> out.putIfAbsent(String.valueOf(k), v));
      }
      return out;
    }
    if (node instanceof List<?> list) {
      return list.stream().map(DeployFiles::merged).toList();
    }
    return node;
  }

  /** A nested value by its path of keys, e.g. {@code at(compose, "services", "jobmanager")}. */
  @SuppressWarnings("unchecked")
  static <T> T at(Object node, String... keys) {
    Object current = node;
    for (String key : keys) {
      if (!(current instanceof Map<?, ?> map) || !map.containsKey(key)) {
        throw new AssertionError("no " + String.join(".", keys) + " (missing " + key + ")");
      }
      current = map.get(key);
    }
    return (T) current;
  }

  /** One COPY instruction of the Dockerfile: a source in the repository, a path in the image. */
  record Copy(Path source, String target) {}

  private static final Pattern COPY =
      Pattern.compile("^COPY\\s+(?:--\\S+\\s+)*(\\S+)\\s+(\\S+)\\s*$", Pattern.MULTILINE);

  static List<Copy> dockerfileCopies() throws IOException {
    Matcher m = COPY.matcher(Files.readString(DOCKER.resolve("Dockerfile")));
    List<Copy> copies = new ArrayList<>();
    while (m.find()) {
      copies.add(new Copy(ROOT.resolve(m.group(1)), m.group(2)));
    }
    return copies;
  }

  /** The repository file that the image holds at {@code imagePath}, if a COPY puts one there. */
  static Optional<Path> sourceOf(String imagePath) throws IOException {
    return dockerfileCopies().stream()
        .filter(c -> c.target().equals(imagePath))
        .map(Copy::source)
        .findFirst();
  }

  /**
   * {@code conf} with every value that names a path of the image replaced by the repository file it
   * is copied from, so that the job's configuration can be validated here.
   */
  static Configuration withRepositoryPaths(Configuration conf) throws IOException {
    Configuration out = new Configuration();
    for (Map.Entry<String, String> e : conf.toMap().entrySet()) {
      Optional<Path> source = sourceOf(e.getValue());
      out.setString(e.getKey(), source.map(Path::toString).orElse(e.getValue()));
    }
    return out;
  }

  /** The Flink option classes whose keys the deployment files may use. */
  private static final List<String> OPTION_CLASSES =
      List.of(
          "org.apache.flink.configuration.CoreOptions",
          "org.apache.flink.configuration.PipelineOptions",
          "org.apache.flink.configuration.CheckpointingOptions",
          "org.apache.flink.configuration.StateBackendOptions",
          "org.apache.flink.configuration.StateRecoveryOptions",
          "org.apache.flink.configuration.HighAvailabilityOptions",
          "org.apache.flink.configuration.JobManagerOptions",
          "org.apache.flink.configuration.TaskManagerOptions",
          "org.apache.flink.configuration.RestOptions",
          "org.apache.flink.configuration.RestartStrategyOptions",
          "org.apache.flink.configuration.ExecutionOptions",
          "org.apache.flink.configuration.MetricOptions",
          "org.apache.flink.state.rocksdb.RocksDBOptions");

  private static final String REPORTER_PREFIX = "metrics.reporter.";

  /** The Flink option of {@code key}: a current key of Flink's options, not a deprecated one. */
  static ConfigOption<?> flinkOption(String key) {
    if (key.startsWith(REPORTER_PREFIX)) {
      return reporterOption(key);
    }
    for (ConfigOption<?> option : options()) {
      if (option.key().equals(key)) {
        return option;
      }
    }
    for (ConfigOption<?> option : options()) {
      for (FallbackKey fallback : option.fallbackKeys()) {
        if (fallback.getKey().equals(key)) {
          throw new AssertionError(key + " is deprecated: use " + option.key());
        }
      }
    }
    throw new AssertionError(key + " is no option of Flink " + OPTION_CLASSES);
  }

  /**
   * {@code metrics.reporter.<name>.<option>}: one of the reporter options of MetricOptions, or the
   * Prometheus reporter's {@code port}.
   */
  private static ConfigOption<?> reporterOption(String key) {
    String rest = key.substring(REPORTER_PREFIX.length());
    String option = rest.substring(rest.indexOf('.') + 1);
    for (ConfigOption<?> o : options(MetricOptions.class)) {
      if (o.key().equals(option)) {
        return o;
      }
    }
    try {
      Field port =
          Class.forName("org.apache.flink.metrics.prometheus.PrometheusReporterFactory")
              .getDeclaredField("ARG_PORT");
      port.setAccessible(true);
      if (port.get(null).equals(option)) {
        return asString(key);
      }
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException(e);
    }
    throw new AssertionError(key + " is no reporter option");
  }

  private static ConfigOption<String> asString(String key) {
    return org.apache.flink.configuration.ConfigOptions.key(key).stringType().noDefaultValue();
  }

  private static List<ConfigOption<?>> options() {
    List<ConfigOption<?>> all = new ArrayList<>();
    for (String name : OPTION_CLASSES) {
      try {
        all.addAll(options(Class.forName(name)));
      } catch (ClassNotFoundException e) {
        throw new IllegalStateException(e);
      }
    }
    return all;
  }

  private static List<ConfigOption<?>> options(Class<?> holder) {
    List<ConfigOption<?>> found = new ArrayList<>();
    for (Field field : holder.getFields()) {
      if (Modifier.isStatic(field.getModifiers()) && field.getType() == ConfigOption.class) {
        try {
          found.add((ConfigOption<?>) field.get(null));
        } catch (IllegalAccessException e) {
          throw new IllegalStateException(e);
        }
      }
    }
    return found;
  }

  /**
   * Checks Flink settings: every key is an option of Flink (and not a deprecated spelling), and
   * every value reads as that option's type; a reporter's factory class must exist.
   */
  static void checkFlinkSettings(Map<String, String> settings) {
    Configuration conf = new Configuration();
    settings.forEach(conf::setString);
    for (Map.Entry<String, String> e : settings.entrySet()) {
      ConfigOption<?> option = flinkOption(e.getKey());
      try {
        ConfigOption<?> read =
            e.getKey().startsWith(REPORTER_PREFIX) ? asString(e.getKey()) : option;
        conf.get(read);
      } catch (IllegalArgumentException bad) {
        throw new AssertionError(e.getKey() + ": " + e.getValue() + " does not read", bad);
      }
      if (e.getKey().endsWith("." + MetricOptions.REPORTER_FACTORY_CLASS.key())) {
        try {
          if (!org.apache.flink.metrics.reporter.MetricReporterFactory.class.isAssignableFrom(
              Class.forName(e.getValue()))) {
            throw new AssertionError(e.getValue() + " is no MetricReporterFactory");
          }
        } catch (ClassNotFoundException missing) {
          throw new AssertionError(e.getKey() + ": no class " + e.getValue(), missing);
        }
      }
    }
  }

  /** {@code key: value} lines (Flink's FLINK_PROPERTIES), blank lines skipped. */
  static Map<String, String> properties(String text) {
    Map<String, String> out = new LinkedHashMap<>();
    for (String line : text.split("\n")) {
      if (line.isBlank()) {
        continue;
      }
      int colon = line.indexOf(':');
      out.put(line.substring(0, colon).trim(), line.substring(colon + 1).trim());
    }
    return out;
  }
}
