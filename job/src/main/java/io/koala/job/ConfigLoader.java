package io.koala.job;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.flink.configuration.Configuration;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/**
 * Reads the configuration: a YAML file (nested maps or dotted keys, as Flink's own config.yaml),
 * then {@code --key value} arguments on top. Flink's keys pass through unchanged.
 */
public final class ConfigLoader {

  private ConfigLoader() {}

  /** Loads {@code file} (may be null) and applies the arguments after it. */
  public static Configuration load(Path file, List<String> arguments) throws IOException {
    Configuration conf = new Configuration();
    if (file != null) {
      try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
        Object root = new Load(LoadSettings.builder().build()).loadFromReader(reader);
        if (root != null && !(root instanceof Map)) {
          throw new IllegalArgumentException(
              "invalid configuration file " + file + ": expected a map of keys");
        }
        if (root != null) {
          flatten("", (Map<?, ?>) root, conf);
        }
      }
    }
    for (int i = 0; i < arguments.size(); i++) {
      String arg = arguments.get(i);
      if (!arg.startsWith("--") || i + 1 >= arguments.size()) {
        throw new IllegalArgumentException(
            "expected --key value pairs, got: " + arg + " (koala train --help lists every key)");
      }
      conf.setString(arg.substring(2), arguments.get(++i));
    }
    return conf;
  }

  private static void flatten(String prefix, Map<?, ?> map, Configuration conf) {
    for (Map.Entry<?, ?> e : map.entrySet()) {
      String key = prefix.isEmpty() ? String.valueOf(e.getKey()) : prefix + "." + e.getKey();
      Object value = e.getValue();
      if (value instanceof Map<?, ?> nested) {
        flatten(key, nested, conf);
      } else if (value instanceof List<?> list) {
        conf.setString(key, list.stream().map(String::valueOf).collect(Collectors.joining(";")));
      } else if (value != null) {
        conf.setString(key, String.valueOf(value));
      }
    }
  }
}
