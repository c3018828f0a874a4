package io.koala.job.demo;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.koala.data.DriftingStream;
import io.koala.data.LabelledExample;
import io.koala.evaluation.DriftScore;
import io.koala.evaluation.Replay;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the demo replays into Kafka: a multi-key drifting stream (per tenant a linear concept in 3
 * features, 5 % label noise, redrawn at two abrupt drifts at the tenant's own times: {@link
 * DriftingStream#multiKeyConcepts}), a prediction request every {@link #REQUEST_EVERY} events, and
 * a few bad records that must reach the dead-letter topic.
 *
 * @param examples the labelled examples, interleaved across keys
 * @param records every record in send order: key (null for the unkeyed bad record) and JSON value
 * @param byKey each key's labelled examples, in order (what each model trains on)
 * @param drifts each key's true drift points, as indices into its own examples
 * @param requests how many prediction requests the records hold
 * @param badRecords how many records are bad on purpose
 */
record DemoStream(
    List<LabelledExample> examples,
    List<String[]> records,
    Map<String, List<LabelledExample>> byKey,
    Map<String, List<Integer>> drifts,
    int requests,
    int badRecords) {

  static final int REQUEST_EVERY = 500;

  static DemoStream generate(long seed, int keys, int perKey) {
    List<LabelledExample> examples = DriftingStream.multiKeyConcepts(seed, keys, perKey);
    Map<String, List<LabelledExample>> byKey = Replay.byKey(examples);
    Map<String, List<Integer>> drifts = new LinkedHashMap<>();
    byKey.forEach((key, list) -> drifts.put(key, DriftScore.trueDrifts(list)));
    ObjectMapper json = new ObjectMapper();
    List<String[]> records = new ArrayList<>(examples.size() + examples.size() / REQUEST_EVERY + 3);
    int requests = 0;
    int bad = 0;
    for (int i = 0; i < examples.size(); i++) {
      LabelledExample e = examples.get(i);
      records.add(new String[] {e.key(), event(json, e, true, null)});
      if ((i + 1) % REQUEST_EVERY == 0) {
        // "What would you say to this one?": the next example's features, without its label.
        LabelledExample next = examples.get((i + 1) % examples.size());
        records.add(new String[] {next.key(), event(json, next, false, "request-" + requests++)});
      }
      if (i == examples.size() / 4) {
        records.add(new String[] {null, "{\"key\": \"tenant-000\", \"features\": [1, 2, 3], "});
        bad++;
      } else if (i == examples.size() / 2) {
        records.add(
            new String[] {
              e.key(), "{\"key\": \"" + e.key() + "\", \"features\": [1.0, 2.0], \"label\": 1}"
            });
        bad++;
      } else if (i == 3 * examples.size() / 4) {
        records.add(
            new String[] {
              e.key(),
              "{\"key\": \"" + e.key() + "\", \"features\": [1.0, \"high\", 3.0], \"label\": 1}"
            });
        bad++;
      }
    }
    return new DemoStream(examples, records, byKey, drifts, requests, bad);
  }

  private static String event(ObjectMapper json, LabelledExample e, boolean labelled, String id) {
    ObjectNode n = json.createObjectNode();
    n.put("key", e.key());
    var features = n.putArray("features");
    for (double v : e.features()) {
      features.add(v);
    }
    if (labelled) {
      n.put("label", e.label());
    }
    n.put("ts", e.index());
    if (id != null) {
      n.put("id", id);
    }
    return n.toString();
  }
}
