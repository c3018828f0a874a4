package io.koala.job.demo;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.koala.data.DriftingStream;
import io.koala.data.LabelledExample;
import io.koala.evaluation.Replay;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The demo's stream, generated as it is sent, and its default size. */
class DemoStreamTest {

  @Test
  void iterator_sendsMultiKeyConceptsInOrder_withRequestsAndBadRecords() throws Exception {
    DemoStream stream = DemoStream.generate(7, 5, 420);
    List<LabelledExample> expected = DriftingStream.multiKeyConcepts(7, 5, 420);
    ObjectMapper json = new ObjectMapper();
    List<JsonNode> labelled = new ArrayList<>();
    int requests = 0;
    int other = 0;
    for (String[] record : stream) {
      JsonNode n;
      try {
        n = json.readTree(record[1]);
      } catch (Exception malformed) {
        other++;
        continue;
      }
      if (n.get("features").size() != 3 || !n.get("features").get(1).isNumber()) {
        other++;
      } else if (n.has("label")) {
        assertThat(record[0]).isEqualTo(n.get("key").asText());
        labelled.add(n);
      } else {
        requests++;
      }
    }
    assertThat(labelled).hasSize(expected.size());
    for (int i = 0; i < expected.size(); i++) {
      LabelledExample e = expected.get(i);
      JsonNode n = labelled.get(i);
      assertThat(n.get("key").asText()).isEqualTo(e.key());
      assertThat(n.get("ts").asLong()).isEqualTo(e.index());
      assertThat(n.get("label").asDouble()).isEqualTo(e.label());
      for (int j = 0; j < 3; j++) {
        assertThat(n.get("features").get(j).asDouble()).isEqualTo(e.features()[j]);
      }
    }
    assertThat(requests).isEqualTo(stream.requests()).isEqualTo(2_100 / 500);
    assertThat(other).isEqualTo(stream.badRecords()).isEqualTo(3);
    assertThat(stream.recordCount()).isEqualTo(2_100 + 4 + 3);
  }

  @Test
  void byKey_regeneratesTheKeysAskedFor_asTheStreamHoldsThem() {
    DemoStream stream = DemoStream.generate(7, 50, 30);
    Map<String, List<LabelledExample>> all =
        Replay.byKey(DriftingStream.multiKeyConcepts(7, 50, 30));
    List<String> sample = stream.sampleKeys(10);

    Map<String, List<LabelledExample>> byKey = stream.byKey(sample);

    assertThat(sample).hasSize(10).startsWith("tenant-000", "tenant-005").endsWith("tenant-045");
    assertThat(byKey.keySet()).containsExactlyElementsOf(sample);
    byKey.forEach(
        (key, examples) -> {
          assertThat(examples).hasSize(30);
          for (int i = 0; i < 30; i++) {
            assertThat(examples.get(i).features()).isEqualTo(all.get(key).get(i).features());
            assertThat(examples.get(i).index()).isEqualTo(all.get(key).get(i).index());
          }
        });
    assertThat(stream.sampleKeys(100)).hasSize(50);
  }

  @Test
  void parse_manyKeys_cutsTheDefaultEventsPerKeyToTheBudget_unlessGiven() {
    DemoOptions small = DemoOptions.parse(List.of());
    assertThat(small.keys()).isEqualTo(24);
    assertThat(small.eventsPerKey()).isEqualTo(2_400);
    DemoOptions many = DemoOptions.parse(List.of("--keys", "100000"));
    assertThat(many.eventsPerKey()).isEqualTo(12);
    assertThat(many.eventsPerKeyGiven()).isFalse();
    assertThat(DemoOptions.parse(List.of("--keys", "1000")).eventsPerKey()).isEqualTo(1_200);
    assertThat(DemoOptions.parse(List.of("--keys", "1000000")).eventsPerKey()).isEqualTo(12);
    DemoOptions given = DemoOptions.parse(List.of("--keys", "100000", "--events-per-key", "40"));
    assertThat(given.eventsPerKey()).isEqualTo(40);
    assertThat(given.eventsPerKeyGiven()).isTrue();
  }
}
