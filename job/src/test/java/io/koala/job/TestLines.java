package io.koala.job;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.koala.connectors.Decoded;
import io.koala.connectors.JsonEventDecoder;
import io.koala.connectors.JsonOutputReader;
import io.koala.connectors.ModelSnapshot;
import io.koala.connectors.TrainingEvent;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichMapFunction;
import org.apache.flink.api.common.state.CheckpointListener;

/** JSON input lines for job tests, and the functions that replay them inside a job. */
final class TestLines {

  private TestLines() {}

  private static final ObjectMapper JSON = new ObjectMapper();

  static List<String> json(List<TrainingEvent> events) {
    List<String> lines = new ArrayList<>();
    for (TrainingEvent e : events) {
      ObjectNode n = JSON.createObjectNode();
      n.put("key", e.key());
      if (e instanceof TrainingEvent.Labelled l) {
        features(n, l.example().indices(), l.example().features());
        n.put("label", l.example().label());
      } else {
        var request = (TrainingEvent.PredictionRequest) e;
        features(n, request.indices(), request.features());
        if (request.id() != null) {
          n.put("id", request.id());
        }
      }
      n.put("ts", e.timestamp());
      lines.add(n.toString());
    }
    return lines;
  }

  /** A dense row as an array, a sparse one in the explicit form {"indices": …, "values": …}. */
  private static void features(ObjectNode n, int[] indices, double[] values) {
    if (indices == null) {
      var f = n.putArray("features");
      for (double v : values) {
        f.add(v);
      }
      return;
    }
    ObjectNode sparse = n.putObject("features");
    var at = sparse.putArray("indices");
    for (int i : indices) {
      at.add(i);
    }
    var v = sparse.putArray("values");
    for (double x : values) {
      v.add(x);
    }
  }

  static Path write(Path file, List<String> lines) throws IOException {
    Files.write(file, lines, StandardCharsets.UTF_8);
    return file;
  }

  /** Decodes line i of an in-memory list, with origin "lines:i+1". */
  static final class Decode extends RichMapFunction<Long, Decoded> {
    private static final long serialVersionUID = 1L;
    private final List<String> lines;
    private final JsonEventDecoder decoder;

    Decode(List<String> lines, JobConfig config) {
      this.lines = new ArrayList<>(lines);
      this.decoder = new JsonEventDecoder(config.decoderLimits());
    }

    @Override
    public Decoded map(Long i) {
      return decoder.decode(
          lines.get(i.intValue()).getBytes(StandardCharsets.UTF_8), "lines:" + (i + 1), null);
    }
  }

  /**
   * Throws once at each scheduled record index (a restored job passes the index again and goes on).
   * State is static: the MiniCluster runs in this JVM, and a failure must outlive the task.
   */
  /**
   * Fails the job once for each scheduled record. The first failure comes at its record, whether or
   * not a checkpoint has completed (so a restart from scratch stays covered); each later one at its
   * record or the first one after it that comes once a checkpoint has completed in the running
   * attempt, so that restores from a checkpoint are covered however slowly checkpoints complete on
   * a loaded machine.
   */
  static final class FailAt extends RichMapFunction<Long, Long> implements CheckpointListener {
    private static final long serialVersionUID = 1L;
    static final Set<Long> SCHEDULE = ConcurrentHashMap.newKeySet();
    static final Set<Long> FAILED = ConcurrentHashMap.newKeySet();

    /** The first record index each attempt saw: past 0 after a restore from a checkpoint. */
    static final List<Long> FIRST_SEEN = new java.util.concurrent.CopyOnWriteArrayList<>();

    private transient boolean first;
    private transient volatile boolean checkpointed;

    static void schedule(List<Long> indices) {
      SCHEDULE.clear();
      FAILED.clear();
      FIRST_SEEN.clear();
      SCHEDULE.addAll(indices);
    }

    @Override
    public void open(OpenContext context) {
      first = true;
      checkpointed = false;
    }

    @Override
    public void notifyCheckpointComplete(long checkpointId) {
      checkpointed = true;
    }

    @Override
    public Long map(Long i) {
      if (first) {
        FIRST_SEEN.add(i);
        first = false;
      }
      Long due = SCHEDULE.stream().filter(s -> !FAILED.contains(s)).min(Long::compare).orElse(null);
      if (due != null && i >= due && (checkpointed || FAILED.isEmpty()) && FAILED.add(due)) {
        throw new IllegalStateException("injected failure due at record " + due + ", at " + i);
      }
      return i;
    }
  }

  /** Final parameters per key from a models.jsonl file: the highest version of each key. */
  static Map<String, double[]> finalModels(Path models) throws IOException {
    return finalModels(JsonOutputReader.readAll(models, JsonOutputReader::snapshot));
  }

  /** Final parameters per key: the highest version of each key (the last such one on a tie). */
  static Map<String, double[]> finalModels(List<ModelSnapshot> snapshots) {
    Map<String, Long> versions = new HashMap<>();
    Map<String, double[]> params = new HashMap<>();
    for (ModelSnapshot s : snapshots) {
      if (s.version() >= versions.getOrDefault(s.key(), -1L)) {
        versions.put(s.key(), s.version());
        params.put(s.key(), s.params());
      }
    }
    return params;
  }
}
