package io.koala.job.demo;

import io.koala.data.LabelledExample;
import io.koala.evaluation.Replay;
import io.koala.job.JobConfig;
import io.koala.job.KoalaOptions;
import io.koala.state.ModelState;
import io.koala.state.ModelStateSerializer;
import io.koala.state.OptimizerState;
import io.koala.training.Trainer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.flink.core.memory.DataOutputSerializer;

/**
 * How much state the demo's job holds at its end: the keys with a model (a snapshot in the models
 * topic), the bytes of one key's model state as the job's state serializer writes it ({@link
 * JobConfig#stateSerializer()}, measured on the final state of each replayed key), their total, and
 * the final savepoint's size on disk.
 *
 * @param keysWithModel keys with a model snapshot in Kafka
 * @param measuredKeys keys whose final state was replayed and serialized
 * @param minBytes the smallest serialized model state among them
 * @param maxBytes the largest
 * @param totalMeasured their sum
 * @param savepointBytes the final savepoint's files on disk
 * @param model the optimizer and model, as configured
 */
record StateSummary(
    long keysWithModel,
    int measuredKeys,
    long minBytes,
    long maxBytes,
    long totalMeasured,
    long savepointBytes,
    String model) {

  /** The model state of every key in {@code byKey} after its stream, through {@code config}. */
  static StateSummary of(
      JobConfig config,
      Map<String, List<LabelledExample>> byKey,
      long keysWithModel,
      long savepointBytes) {
    Trainer<OptimizerState> trainer = config.trainer();
    ModelStateSerializer<OptimizerState> serializer = config.stateSerializer();
    long min = Long.MAX_VALUE;
    long max = 0;
    long total = 0;
    for (List<LabelledExample> examples : byKey.values()) {
      long bytes =
          serializedBytes(serializer, Replay.finalState(trainer, examples, config.batchSize()));
      min = Math.min(min, bytes);
      max = Math.max(max, bytes);
      total += bytes;
    }
    String model =
        config.get(KoalaOptions.OPTIMIZER).toString().toLowerCase().replace('_', '-')
            + ", "
            + config.get(KoalaOptions.MODEL_TYPE).toString().toLowerCase()
            + " d = "
            + config.get(KoalaOptions.MODEL_FEATURES);
    return new StateSummary(
        keysWithModel, byKey.size(), byKey.isEmpty() ? 0 : min, max, total, savepointBytes, model);
  }

  static long serializedBytes(
      ModelStateSerializer<OptimizerState> serializer, ModelState<OptimizerState> state) {
    DataOutputSerializer out = new DataOutputSerializer(256);
    try {
      serializer.serialize(state, out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.length();
  }

  /** The bytes of the files under {@code dir}. */
  static long sizeOnDisk(Path dir) throws IOException {
    try (Stream<Path> files = Files.walk(dir)) {
      return files.filter(Files::isRegularFile).mapToLong(f -> f.toFile().length()).sum();
    }
  }

  /** Mean serialized model state per key over the measured keys. */
  double bytesPerKey() {
    return measuredKeys == 0 ? Double.NaN : (double) totalMeasured / measuredKeys;
  }

  /** Model state over all keys with a model: exact when every key was measured, else estimated. */
  long totalBytes() {
    return measuredKeys >= keysWithModel
        ? totalMeasured
        : Math.round(bytesPerKey() * keysWithModel);
  }

  /** The summary's line. */
  String line() {
    String perKey =
        minBytes == maxBytes
            ? String.format("%,d bytes", minBytes)
            : String.format("%,d-%,d bytes (mean %,.0f)", minBytes, maxBytes, bytesPerKey());
    return String.format(
        "  state: %,d keys with a model; model state %s per key (%s, the job's state serializer), "
            + "%s%s in all; final savepoint %s on disk",
        keysWithModel,
        perKey,
        model,
        measuredKeys >= keysWithModel ? "" : "about ",
        size(totalBytes()),
        size(savepointBytes));
  }

  static String size(long bytes) {
    if (bytes >= 1_000_000) {
      return String.format("%.1f MB", bytes / 1e6);
    }
    if (bytes >= 1_000) {
      return String.format("%.1f kB", bytes / 1e3);
    }
    return bytes + " bytes";
  }
}
