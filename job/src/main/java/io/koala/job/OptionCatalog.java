package io.koala.job;

import io.koala.optimizer.BlockLayout;
import io.koala.optimizer.OptimizerKind;
import io.koala.optimizer.OptimizerSpec;
import io.koala.optimizer.Optimizers;
import io.koala.optimizer.Preset;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.description.TextElement;

/**
 * The options of {@link KoalaOptions} as data: their value types and allowed choices, the nearest
 * known key to a misspelt one, and the help text. Read once from the option constants, so nothing
 * here repeats a key, a default or a description.
 */
public final class OptionCatalog {

  /** One option and the Java type of its values. */
  record Entry(ConfigOption<?> option, Type valueType) {

    /** The allowed values of a choice, in declaration order; empty for other options. */
    List<String> choices() {
      if (valueType instanceof Class<?> c && c.isEnum()) {
        return Arrays.stream(c.getEnumConstants()).map(String::valueOf).toList();
      }
      return List.of();
    }

    /** How the help names the type: int, double, boolean, duration, list, or the choices. */
    String typeName() {
      if (!choices().isEmpty()) {
        return String.join("|", choices());
      }
      if (valueType instanceof ParameterizedType) {
        return "list (a;b;c)";
      }
      if (valueType == Integer.class) {
        return "int";
      }
      if (valueType == Long.class) {
        return "long";
      }
      if (valueType == Duration.class) {
        return "duration (e.g. 5 s)";
      }
      return ((Class<?>) valueType).getSimpleName().toLowerCase(java.util.Locale.ROOT);
    }

    /** The description as plain text. */
    String description() {
      return option.description().getBlocks().stream()
          .map(block -> block instanceof TextElement text ? text.getFormat() : block.toString())
          .collect(Collectors.joining(" "));
    }

    String defaultText() {
      if (!option.hasDefaultValue()) {
        return "none";
      }
      Object value = option.defaultValue();
      if (value instanceof List<?> list) {
        return list.isEmpty()
            ? "(empty)"
            : list.stream().map(String::valueOf).collect(Collectors.joining(";"));
      }
      return String.valueOf(value);
    }
  }

  private static final Map<String, Entry> ENTRIES = read();

  private OptionCatalog() {}

  private static Map<String, Entry> read() {
    Map<String, Entry> entries = new LinkedHashMap<>();
    for (Field field : KoalaOptions.class.getDeclaredFields()) {
      if (Modifier.isStatic(field.getModifiers()) && field.getType() == ConfigOption.class) {
        try {
          ConfigOption<?> option = (ConfigOption<?>) field.get(null);
          Type type = ((ParameterizedType) field.getGenericType()).getActualTypeArguments()[0];
          entries.put(option.key(), new Entry(option, type));
        } catch (IllegalAccessException e) {
          throw new IllegalStateException(e);
        }
      }
    }
    return Collections.unmodifiableMap(entries);
  }

  /** Every option, in the order KoalaOptions declares them. */
  static List<Entry> entries() {
    return new ArrayList<>(ENTRIES.values());
  }

  static Optional<Entry> find(String key) {
    return Optional.ofNullable(ENTRIES.get(key));
  }

  /** Whether {@code key} belongs to the job: an option, or a pass-through Kafka client setting. */
  static boolean known(String key) {
    return ENTRIES.containsKey(key)
        || (key.startsWith(KoalaOptions.KAFKA_PROPERTIES_PREFIX)
            && key.length() > KoalaOptions.KAFKA_PROPERTIES_PREFIX.length());
  }

  /** The known key closest to {@code key} by edit distance. */
  static String nearest(String key) {
    String best = null;
    int bestDistance = Integer.MAX_VALUE;
    for (String candidate : ENTRIES.keySet()) {
      int distance = editDistance(key, candidate);
      if (distance < bestDistance) {
        best = candidate;
        bestDistance = distance;
      }
    }
    return best;
  }

  /** Levenshtein distance: insertions, deletions and substitutions each cost one. */
  static int editDistance(String a, String b) {
    int[] previous = new int[b.length() + 1];
    int[] current = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      previous[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      current[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int substitute = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
        current[j] = Math.min(substitute, Math.min(previous[j], current[j - 1]) + 1);
      }
      int[] swap = previous;
      previous = current;
      current = swap;
    }
    return previous[b.length()];
  }

  /** Every option with its type, default and description, as {@code koala train --help} prints. */
  public static String help() {
    StringBuilder text =
        new StringBuilder("Options (--key value, or in the --config YAML file):\n");
    for (Entry entry : ENTRIES.values()) {
      text.append("\n  ")
          .append(entry.option().key())
          .append("  <")
          .append(entry.typeName())
          .append(">  default: ")
          .append(entry.defaultText())
          .append('\n');
      for (String line : wrap(entry.description(), 88)) {
        text.append("      ").append(line).append('\n');
      }
    }
    text.append("\n  ")
        .append(KoalaOptions.KAFKA_PROPERTIES_PREFIX)
        .append("*  <string>\n")
        .append(
            "      Kafka client settings passed to every consumer and producer unchanged "
                + "(SASL, SSL, ...).\n");
    text.append(
        "\nPresets (koala.optimizer.defaults): the hyperparameters each optimizer gets "
            + "when no key overrides them.\n");
    for (Preset preset : Preset.values()) {
      for (OptimizerKind kind : OptimizerKind.values()) {
        Record config =
            Optimizers.create(kind, preset, OptimizerSpec.of(BlockLayout.global(1))).config();
        text.append("\n  ").append(preset).append(' ').append(kind).append('\n');
        for (String line : wrap(config.toString(), 88)) {
          text.append("      ").append(line).append('\n');
        }
      }
    }
    return text.toString();
  }

  private static List<String> wrap(String text, int width) {
    List<String> lines = new ArrayList<>();
    StringBuilder line = new StringBuilder();
    for (String word : text.split(" ")) {
      if (line.length() > 0 && line.length() + 1 + word.length() > width) {
        lines.add(line.toString());
        line.setLength(0);
      }
      if (line.length() > 0) {
        line.append(' ');
      }
      line.append(word);
    }
    if (line.length() > 0) {
      lines.add(line.toString());
    }
    return lines;
  }
}
