package io.koala.connectors;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.koala.model.Batch;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.Base64;

/**
 * JSON encoding of the outputs (docs/streaming.md, "Output"), one object per record. Non-finite
 * numbers (NaN accuracy of a regression, for instance) are written as null.
 */
public final class JsonOutput {

  private static final ObjectMapper MAPPER = new ObjectMapper();

  private JsonOutput() {}

  private static void put(ObjectNode node, String field, double value) {
    if (Double.isFinite(value)) {
      node.put(field, value);
    } else {
      node.putNull(field);
    }
  }

  /** Event time in epoch ms, or null when the input carried none. */
  private static void putTime(ObjectNode node, long ts) {
    if (ts == TrainingEvent.NO_TIMESTAMP) {
      node.putNull("ts");
    } else {
      node.put("ts", ts);
    }
  }

  private static ArrayNode array(ObjectNode node, String field, double[] values) {
    ArrayNode array = node.putArray(field);
    for (double v : values) {
      if (Double.isFinite(v)) {
        array.add(v);
      } else {
        array.addNull();
      }
    }
    return array;
  }

  /**
   * A model snapshot, written field by field with Jackson's streaming generator rather than through
   * a tree: the same text as the tree gives (the same generator writes it), without an object per
   * parameter, which at d = 2^18 made the encoding most of a snapshot's cost.
   */
  public static String encode(ModelSnapshot s) {
    double[] params = s.params();
    StringWriter text = new StringWriter(256 + 12 * params.length);
    try (JsonGenerator g = MAPPER.getFactory().createGenerator(text)) {
      g.writeStartObject();
      g.writeStringField("key", s.key());
      g.writeNumberField("version", s.version());
      g.writeNumberField("examples", s.examples());
      g.writeStringField("optimizer", s.optimizer());
      g.writeStringField("modelType", s.modelType());
      g.writeArrayFieldStart("params");
      for (double v : params) {
        writeFinite(g, v);
      }
      g.writeEndArray();
      g.writeObjectFieldStart("state");
      g.writeFieldName("covariance");
      writeFinite(g, s.covariance());
      g.writeFieldName("measurementNoise");
      writeFinite(g, s.measurementNoise());
      g.writeFieldName("processNoise");
      writeFinite(g, s.processNoise());
      g.writeEndObject();
      if (s.ts() == TrainingEvent.NO_TIMESTAMP) {
        g.writeNullField("ts");
      } else {
        g.writeNumberField("ts", s.ts());
      }
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException("encoding a model snapshot in memory", e);
    }
    return text.toString();
  }

  private static void writeFinite(JsonGenerator g, double v) throws IOException {
    if (Double.isFinite(v)) {
      g.writeNumber(v);
    } else {
      g.writeNull();
    }
  }

  public static String encode(TrainingMetrics m) {
    ObjectNode n = MAPPER.createObjectNode();
    n.put("key", m.key());
    n.put("version", m.version());
    n.put("examples", m.examples());
    put(n, "loss", m.loss());
    put(n, "accuracy", m.accuracy());
    put(n, "target", m.target());
    put(n, "measurementNoise", m.measurementNoise());
    put(n, "processNoise", m.processNoise());
    put(n, "covariance", m.covariance());
    n.put("drift", m.drift());
    n.put("rejected", m.rejected());
    putTime(n, m.ts());
    return n.toString();
  }

  public static String encode(PredictionResult p) {
    ObjectNode n = MAPPER.createObjectNode();
    n.put("key", p.key());
    if (p.id() == null) {
      n.putNull("id");
    } else {
      n.put("id", p.id());
    }
    put(n, "prediction", p.prediction());
    if (p.scores() != null) {
      array(n, "scores", p.scores());
    }
    if (!Double.isNaN(p.probability())) {
      put(n, "probability", p.probability());
    }
    put(n, "variance", p.variance());
    if (p.logitVariances() != null) {
      array(n, "logitVariances", p.logitVariances());
    }
    n.put("modelVersion", p.modelVersion());
    return n.toString();
  }

  public static String encode(DriftEvent d) {
    ObjectNode n = MAPPER.createObjectNode();
    n.put("key", d.key());
    n.put("version", d.version());
    put(n, "statistic", d.statistic());
    put(n, "threshold", d.threshold());
    putTime(n, d.ts());
    return n.toString();
  }

  public static OutputRecord record(ModelSnapshot s) {
    return new OutputRecord(s.key(), encode(s));
  }

  public static OutputRecord record(TrainingMetrics m) {
    return new OutputRecord(m.key(), encode(m));
  }

  public static OutputRecord record(PredictionResult p) {
    return new OutputRecord(p.key(), encode(p));
  }

  public static OutputRecord record(DriftEvent d) {
    return new OutputRecord(d.key(), encode(d));
  }

  public static OutputRecord record(DeadLetter d) {
    return new OutputRecord(null, encode(d));
  }

  /** The payload as text when it is valid UTF-8, else base64 (with payloadEncoding). */
  public static String encode(DeadLetter d) {
    ObjectNode n = MAPPER.createObjectNode();
    ObjectNode reason = n.putObject("reason");
    reason.put("code", d.reason());
    reason.put("message", d.message());
    n.put("source", d.source());
    byte[] payload = d.payload() == null ? new byte[0] : d.payload();
    String text = Payloads.utf8(payload);
    if (text != null) {
      n.put("payload", text);
      n.put("payloadEncoding", "utf-8");
    } else {
      n.put("payload", Base64.getEncoder().encodeToString(payload));
      n.put("payloadEncoding", "base64");
    }
    return n.toString();
  }

  /**
   * A micro-batch in the input format ({@code {"key":…,"batch":[{"features":[…],"label":…}]}}), so
   * that a refused batch can be replayed after inspection. Values are written as they are; a sparse
   * row in the explicit sparse form {@code {"indices":[…],"values":[…]}}.
   */
  public static String encodeBatch(String key, Batch batch) {
    ObjectNode root = MAPPER.createObjectNode();
    root.put("key", key);
    ArrayNode examples = root.putArray("batch");
    for (int i = 0; i < batch.size(); i++) {
      ObjectNode e = examples.addObject();
      if (batch.isSparse(i)) {
        // The explicit sparse form of the input.
        ObjectNode sparse = e.putObject("features");
        ArrayNode at = sparse.putArray("indices");
        for (int j : batch.indices()[i]) {
          at.add(j);
        }
        ArrayNode values = sparse.putArray("values");
        for (double v : batch.features()[i]) {
          values.add(v);
        }
      } else {
        ArrayNode f = e.putArray("features");
        for (double v : batch.features()[i]) {
          f.add(v);
        }
      }
      e.put("label", batch.labels()[i]);
    }
    return root.toString();
  }
}
