package io.koala.connectors;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.function.Function;

/**
 * Reads the lines {@link JsonOutput} writes back into the same records: null numbers become NaN, a
 * null {@code ts} becomes {@link TrainingEvent#NO_TIMESTAMP}. The one reader of the output format,
 * for the demo, {@code koala report} and the tests. A line that is not such a record is a
 * programming error here (it is our own output) and throws {@link IllegalArgumentException}.
 */
public final class JsonOutputReader {

  private static final ObjectMapper MAPPER = new ObjectMapper();

  private JsonOutputReader() {}

  public static TrainingMetrics metrics(String line) {
    JsonNode n = tree(line);
    return new TrainingMetrics(
        text(n, "key"),
        n.path("version").asLong(),
        n.path("examples").asLong(),
        number(n, "loss"),
        number(n, "accuracy"),
        number(n, "target"),
        number(n, "measurementNoise"),
        number(n, "processNoise"),
        number(n, "covariance"),
        n.path("drift").asBoolean(),
        n.path("rejected").asBoolean(),
        time(n));
  }

  public static ModelSnapshot snapshot(String line) {
    JsonNode n = tree(line);
    JsonNode state = n.path("state");
    return new ModelSnapshot(
        text(n, "key"),
        n.path("version").asLong(),
        n.path("examples").asLong(),
        text(n, "optimizer"),
        text(n, "modelType"),
        numbers(n.get("params")),
        number(state, "covariance"),
        number(state, "measurementNoise"),
        number(state, "processNoise"),
        time(n));
  }

  public static PredictionResult prediction(String line) {
    JsonNode n = tree(line);
    return new PredictionResult(
        text(n, "key"),
        text(n, "id"),
        number(n, "prediction"),
        n.hasNonNull("scores") ? numbers(n.get("scores")) : null,
        number(n, "probability"),
        number(n, "variance"),
        n.hasNonNull("logitVariances") ? numbers(n.get("logitVariances")) : null,
        n.path("modelVersion").asLong());
  }

  public static DriftEvent drift(String line) {
    JsonNode n = tree(line);
    return new DriftEvent(
        text(n, "key"),
        n.path("version").asLong(),
        number(n, "statistic"),
        number(n, "threshold"),
        time(n));
  }

  public static DeadLetter deadLetter(String line) {
    JsonNode n = tree(line);
    JsonNode reason = n.path("reason");
    String payload = text(n, "payload");
    byte[] bytes =
        payload == null
            ? new byte[0]
            : "base64".equals(text(n, "payloadEncoding"))
                ? Base64.getDecoder().decode(payload)
                : payload.getBytes(StandardCharsets.UTF_8);
    return new DeadLetter(text(reason, "code"), text(reason, "message"), text(n, "source"), bytes);
  }

  /** Every line of an output file (blank lines skipped) through {@code reader}, in file order. */
  public static <T> List<T> readAll(Path file, Function<String, T> reader) throws IOException {
    List<T> records = new ArrayList<>();
    for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
      if (!line.isBlank()) {
        records.add(reader.apply(line));
      }
    }
    return records;
  }

  private static JsonNode tree(String line) {
    try {
      JsonNode n = MAPPER.readTree(line);
      if (n == null || !n.isObject()) {
        throw new IllegalArgumentException("not an output record: " + line);
      }
      return n;
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("not an output record: " + line, e);
    }
  }

  private static String text(JsonNode n, String field) {
    JsonNode v = n.get(field);
    return v == null || v.isNull() ? null : v.asText();
  }

  private static double number(JsonNode n, String field) {
    JsonNode v = n.get(field);
    return v == null || v.isNull() ? Double.NaN : v.asDouble();
  }

  private static double[] numbers(JsonNode array) {
    if (array == null || array.isNull()) {
      return new double[0];
    }
    double[] values = new double[array.size()];
    for (int i = 0; i < values.length; i++) {
      values[i] = array.get(i).isNull() ? Double.NaN : array.get(i).asDouble();
    }
    return values;
  }

  private static long time(JsonNode n) {
    JsonNode v = n.get("ts");
    return v == null || v.isNull() ? TrainingEvent.NO_TIMESTAMP : v.asLong();
  }
}
