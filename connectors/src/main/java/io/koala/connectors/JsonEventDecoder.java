package io.koala.connectors;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.koala.connectors.Reject.Reason;
import java.io.IOException;
import java.util.Arrays;
import java.util.Iterator;
import java.util.Map;

/**
 * Decodes one JSON input record (docs/streaming.md, "Input") into a {@link TrainingEvent}, or a
 * {@link Reject} with a stable reason. Never throws on data; nothing a record contains can make it
 * allocate more than a few times the record's size (limits on bytes, nesting, features, batch).
 *
 * <pre>{@code
 * JsonEventDecoder decoder = new JsonEventDecoder(DecoderLimits.defaults(3, 2));
 * Decoded d = decoder.decode(bytes, "events.jsonl:12", null);
 * if (d.ok()) { ... d.event() ... } else { ... d.reject().reason() ... }
 * }</pre>
 */
public final class JsonEventDecoder implements RecordDecoder {

  private static final long serialVersionUID = 1L;
  private static final int MAX_DEPTH = 16;

  private final DecoderLimits limits;
  private transient ObjectMapper mapper;

  public JsonEventDecoder(DecoderLimits limits) {
    this.limits = limits;
  }

  @Override
  public DecoderLimits limits() {
    return limits;
  }

  private ObjectMapper mapper() {
    if (mapper == null) {
      JsonMapper m =
          JsonMapper.builder()
              .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
              .enable(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
              .build();
      m.getFactory()
          .setStreamReadConstraints(
              StreamReadConstraints.builder()
                  .maxNestingDepth(MAX_DEPTH)
                  .maxNumberLength(400)
                  .maxStringLength(limits.maxRecordBytes())
                  .build());
      mapper = m;
    }
    return mapper;
  }

  /**
   * @param payload the record's bytes
   * @param origin where it came from (topic/partition/offset or file:line)
   * @param recordKey the Kafka record key, used when the JSON names no key (may be null)
   */
  @Override
  public Decoded decode(byte[] payload, String origin, String recordKey) {
    Decoded early = Payloads.rejectBeforeParsing(payload, origin, limits, Reason.MALFORMED_JSON);
    if (early != null) {
      return early;
    }
    if (Payloads.utf8(payload) == null) {
      return Decoded.rejected(Reason.INVALID_UTF8, "record is not valid UTF-8", payload, origin);
    }
    JsonNode root;
    try {
      root = mapper().readTree(payload);
    } catch (StreamConstraintsException e) {
      Reason reason =
          e.getMessage() != null && e.getMessage().contains("nesting depth")
              ? Reason.TOO_DEEP
              : Reason.MALFORMED_JSON;
      return Decoded.rejected(reason, firstLine(e), payload, origin);
    } catch (JsonProcessingException e) {
      Reason reason =
          e.getMessage() != null && e.getMessage().startsWith("Duplicate field")
              ? Reason.DUPLICATE_FIELD
              : Reason.MALFORMED_JSON;
      return Decoded.rejected(reason, firstLine(e), payload, origin);
    } catch (IOException | RuntimeException e) {
      return Decoded.rejected(Reason.MALFORMED_JSON, firstLine(e), payload, origin);
    }
    try {
      return Decoded.of(event(root, origin, recordKey));
    } catch (Rejection r) {
      return Decoded.rejected(r.reason, r.getMessage(), payload, origin);
    }
  }

  private TrainingEvent event(JsonNode root, String origin, String recordKey) throws Rejection {
    if (root == null || !root.isObject()) {
      throw new Rejection(Reason.NOT_AN_OBJECT, "a record must be a JSON object");
    }
    String key = key(root.get("key"), recordKey);
    long ts = timestamp(root.get("ts"));
    JsonNode idNode = root.get("id");
    String id =
        idNode == null || idNode.isNull() ? null : idNode.isValueNode() ? idNode.asText() : null;
    if (idNode != null && !idNode.isNull() && !idNode.isValueNode()) {
      throw new Rejection(Reason.WRONG_TYPE, "id must be a string or a number");
    }
    JsonNode batch = root.get("batch");
    if (batch != null) {
      if (!batch.isArray()) {
        throw new Rejection(Reason.WRONG_TYPE, "batch must be an array of examples");
      }
      if (batch.isEmpty()) {
        throw new Rejection(Reason.EMPTY_BATCH, "batch is empty");
      }
      if (batch.size() > limits.maxBatch()) {
        throw new Rejection(
            Reason.BATCH_TOO_LARGE,
            "batch of "
                + batch.size()
                + " examples exceeds the limit of examples per batch, "
                + limits.maxBatch());
      }
      Example[] examples = new Example[batch.size()];
      for (int i = 0; i < examples.length; i++) {
        JsonNode row = batch.get(i);
        if (!row.isObject()) {
          throw new Rejection(Reason.WRONG_TYPE, "batch[" + i + "] must be an object");
        }
        JsonNode label = row.get("label");
        if (label == null || label.isNull()) {
          throw new Rejection(Reason.MISSING_LABEL, "batch[" + i + "] has no label");
        }
        examples[i] = example(row.get("features"), label(label), "batch[" + i + "].");
      }
      return new TrainingEvent.PreBatched(key, examples, ts, origin);
    }
    JsonNode label = root.get("label");
    if (label == null || label.isNull()) {
      Example x = example(root.get("features"), Double.NaN, "");
      return TrainingEvent.PredictionRequest.of(key, x, ts, id, origin);
    }
    return new TrainingEvent.Labelled(
        key, example(root.get("features"), label(label), ""), ts, origin);
  }

  private String key(JsonNode node, String recordKey) throws Rejection {
    if (node != null && !node.isNull()) {
      if (!node.isTextual() || node.asText().isEmpty()) {
        throw new Rejection(Reason.INVALID_KEY, "key must be a non-empty string");
      }
      return Payloads.checkKey(node.asText(), limits);
    }
    if (recordKey != null && !recordKey.isEmpty()) {
      return Payloads.checkKey(recordKey, limits);
    }
    if (limits.defaultKey() != null) {
      return limits.defaultKey();
    }
    throw new Rejection(Reason.MISSING_KEY, "the record names no key and no default key is set");
  }

  private static long timestamp(JsonNode node) throws Rejection {
    if (node == null || node.isNull()) {
      return TrainingEvent.NO_TIMESTAMP;
    }
    if (!node.isIntegralNumber() || !node.canConvertToLong() || node.asLong() < 0) {
      throw new Rejection(Reason.INVALID_TIMESTAMP, "ts must be epoch milliseconds, was " + node);
    }
    return node.asLong();
  }

  /**
   * The example of a features field: a dense array of {@code features} numbers; an object of named
   * features, hashed into the dimension (a sparse example); or the explicit sparse form {@code
   * {"indices": […], "values": […]}}. An object that names no feature is the all-zero example.
   */
  private Example example(JsonNode node, double label, String where) throws Rejection {
    int d = limits.features();
    if (node == null || node.isNull()) {
      throw new Rejection(Reason.MISSING_FEATURES, where + "features is missing");
    }
    if (node.isArray()) {
      if (node.isEmpty()) {
        throw new Rejection(Reason.EMPTY_FEATURES, where + "features is empty");
      }
      if (node.size() != d) {
        throw new Rejection(
            Reason.WRONG_DIMENSION,
            where + "features has " + node.size() + " values, the model expects " + d);
      }
      double[] x = new double[d];
      for (int j = 0; j < d; j++) {
        x[j] = number(node.get(j), where + "features[" + j + "]");
      }
      return new Example(x, label);
    }
    if (node.isObject()) {
      JsonNode indices = node.get("indices");
      if (indices != null && indices.isArray()) {
        return explicitSparse(node, indices, label, where);
      }
      return named(node, label, where);
    }
    throw new Rejection(Reason.WRONG_TYPE, where + "features must be an array or an object");
  }

  private void checkCount(int count, String where) throws Rejection {
    if (count > limits.maxFeatures()) {
      throw new Rejection(
          Reason.TOO_MANY_FEATURES,
          where
              + "features names "
              + count
              + " features, more than the limit of named features, "
              + limits.maxFeatures());
    }
  }

  /**
   * Named features are sparse: each name hashes to an index and a sign, and names that share an
   * index add up in the order they come, as they would in a dense row. {} names none: the all-zero
   * example (the bias still predicts; an e-mail with no known word is such an example).
   */
  private Example named(JsonNode node, double label, String where) throws Rejection {
    int d = limits.features();
    checkCount(node.size(), where);
    int n = node.size();
    int[] index = new int[n];
    double[] signed = new double[n];
    Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
    for (int i = 0; fields.hasNext(); i++) {
      Map.Entry<String, JsonNode> f = fields.next();
      double value = number(f.getValue(), where + "features." + f.getKey());
      signed[i] = FeatureHashing.sign(f.getKey()) * value;
      index[i] = FeatureHashing.index(f.getKey(), d);
    }
    return SparseRows.merge(index, signed, null, label, where);
  }

  /** {@code {"indices": […], "values": […]}}: indices in any order, each once, in [0, d). */
  private Example explicitSparse(JsonNode node, JsonNode indices, double label, String where)
      throws Rejection {
    int d = limits.features();
    JsonNode values = node.get("values");
    if (values == null || !values.isArray() || node.size() != 2) {
      throw new Rejection(
          Reason.WRONG_TYPE,
          where + "sparse features must be {\"indices\": [...], \"values\": [...]} and no more");
    }
    if (values.size() != indices.size()) {
      throw new Rejection(
          Reason.INVALID_SPARSE_INDEX,
          where
              + "sparse features have "
              + indices.size()
              + " indices and "
              + values.size()
              + " values");
    }
    int n = indices.size();
    checkCount(n, where);
    long[] order = new long[n];
    for (int k = 0; k < n; k++) {
      JsonNode i = indices.get(k);
      if (!i.isIntegralNumber() || !i.canConvertToInt() || i.asInt() < 0 || i.asInt() >= d) {
        throw new Rejection(
            Reason.INVALID_SPARSE_INDEX,
            where + "features.indices[" + k + "] must be an integer in [0, " + d + "), was " + i);
      }
      order[k] = ((long) i.asInt() << 32) | k;
    }
    Arrays.sort(order);
    int[] at = new int[n];
    double[] x = new double[n];
    for (int k = 0; k < n; k++) {
      at[k] = (int) (order[k] >>> 32);
      if (k > 0 && at[k] == at[k - 1]) {
        throw new Rejection(
            Reason.INVALID_SPARSE_INDEX, where + "features.indices names " + at[k] + " twice");
      }
      int from = (int) order[k];
      x[k] = number(values.get(from), where + "features.values[" + from + "]");
    }
    return Example.sparse(at, x, label);
  }

  private static double number(JsonNode node, String where) throws Rejection {
    if (node == null || !node.isNumber()) {
      throw new Rejection(
          Reason.WRONG_TYPE,
          where
              + " must be a number, was "
              + (node == null ? "missing" : node.getNodeType().toString().toLowerCase()));
    }
    double value = node.asDouble();
    if (!Double.isFinite(value)) {
      throw new Rejection(Reason.NON_FINITE_NUMBER, where + " does not fit a finite double");
    }
    return value;
  }

  private double label(JsonNode node) throws Rejection {
    if (node.isTextual()) {
      return Labels.name(node.asText(), limits);
    }
    if (node.isBoolean() && limits.classes() == 2) {
      return node.asBoolean() ? 1.0 : 0.0;
    }
    if (!node.isNumber()) {
      throw new Rejection(Reason.INVALID_LABEL, "label must be a number or a class name");
    }
    return Labels.number(node.asDouble(), limits);
  }

  private static String firstLine(Exception e) {
    String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    int nl = m.indexOf('\n');
    return Labels.abbreviate(nl < 0 ? m : m.substring(0, nl));
  }
}
