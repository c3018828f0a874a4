package io.koala.job.demo;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.koala.data.DriftingStream;
import io.koala.data.DriftingStream.ConceptStream;
import io.koala.data.LabelledExample;
import io.koala.evaluation.DriftScore;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;

/**
 * What the demo replays into Kafka: a multi-key drifting stream (per tenant a linear concept in 3
 * features, 5 % label noise, redrawn at two abrupt drifts at the tenant's own times: {@link
 * DriftingStream#multiKeyConcepts}), a prediction request every {@link #REQUEST_EVERY} events, and
 * a few bad records that must reach the dead-letter topic.
 *
 * <p>Nothing is held: {@link #iterator()} generates the records in send order one at a time (a
 * generator per key, interleaved round-robin as {@link DriftingStream#multiKeyConcepts} does), and
 * {@link #byKey} regenerates the examples of the keys asked for. So a run over 100,000 keys holds
 * the keys' generators, never their events.
 */
final class DemoStream implements Iterable<String[]> {

  static final int REQUEST_EVERY = 500;

  private final long seed;
  private final int keys;
  private final int perKey;

  private DemoStream(long seed, int keys, int perKey) {
    this.seed = seed;
    this.keys = keys;
    this.perKey = perKey;
  }

  /** The stream of {@code keys} tenants with {@code perKey} labelled examples each. */
  static DemoStream generate(long seed, int keys, int perKey) {
    return new DemoStream(seed, keys, perKey);
  }

  int keys() {
    return keys;
  }

  /** How many labelled examples the records hold. */
  long examples() {
    return (long) keys * perKey;
  }

  /**
   * How many labelled examples fill whole batches of {@code batchSize}: what trains before the
   * drained stop flushes each key's partial batch (when batches close by count only).
   */
  long examplesInFullBatches(int batchSize) {
    return (long) keys * (perKey - perKey % batchSize);
  }

  /** How many prediction requests the records hold. */
  int requests() {
    return (int) (examples() / REQUEST_EVERY);
  }

  /** How many records are bad on purpose (three, fewer on a stream of fewer than 4 examples). */
  int badRecords() {
    long n = examples();
    return new HashSet<>(List.of(n / 4, n / 2, 3 * n / 4)).size();
  }

  /** How many records {@link #iterator()} yields. */
  long recordCount() {
    return examples() + requests() + badRecords();
  }

  /** Every record in send order: key (null for the unkeyed bad record) and JSON value. */
  @Override
  public Iterator<String[]> iterator() {
    return new Records();
  }

  /** Every record at once: for tests of small streams; the demo streams them. */
  List<String[]> records() {
    List<String[]> all = new ArrayList<>();
    iterator().forEachRemaining(all::add);
    return all;
  }

  /**
   * Up to {@code max} key names, evenly spaced over the keys in order (every key when there are no
   * more than {@code max}).
   */
  List<String> sampleKeys(int max) {
    List<String> names = new ArrayList<>();
    List<ConceptStream> all = DriftingStream.multiKeyConceptStreams(seed, keys, 0);
    int n = Math.min(max, keys);
    for (int j = 0; j < n; j++) {
      names.add(all.get((int) ((long) j * keys / n)).key());
    }
    return names;
  }

  /**
   * The labelled examples of {@code wanted}, each key's in order (what each model trains on),
   * regenerated; keys in the stream's order. Indices are event times, as in the sent records.
   */
  Map<String, List<LabelledExample>> byKey(Collection<String> wanted) {
    Set<String> want = new HashSet<>(wanted);
    Map<String, List<LabelledExample>> byKey = new LinkedHashMap<>();
    List<ConceptStream> all = DriftingStream.multiKeyConceptStreams(seed, keys, perKey);
    for (int k = 0; k < keys; k++) {
      ConceptStream s = all.get(k);
      if (want.contains(s.key())) {
        List<LabelledExample> examples = new ArrayList<>(perKey);
        while (s.hasNext()) {
          examples.add(at(s.next(), k));
        }
        byKey.put(s.key(), examples);
      }
    }
    return byKey;
  }

  /** Each key's true drift points, as indices into its own examples. */
  static Map<String, List<Integer>> drifts(Map<String, List<LabelledExample>> byKey) {
    Map<String, List<Integer>> drifts = new LinkedHashMap<>();
    byKey.forEach((key, list) -> drifts.put(key, DriftScore.trueDrifts(list)));
    return drifts;
  }

  /** A key's example at its place in the interleaved stream: example i of key k at i × keys + k. */
  private LabelledExample at(LabelledExample e, int k) {
    return new LabelledExample(e.key(), e.features(), e.label(), e.index() * keys + k, e.concept());
  }

  /** The records, generated as they are taken, one example ahead (a request shows the next). */
  private final class Records implements Iterator<String[]> {
    private final ObjectMapper json = new ObjectMapper();
    private final List<ConceptStream> streams =
        DriftingStream.multiKeyConceptStreams(seed, keys, perKey);
    private final ArrayDeque<String[]> ready = new ArrayDeque<>();
    private final long total = examples();
    private long position;
    private LabelledExample first;
    private LabelledExample upcoming;
    private int requestsSent;

    Records() {
      upcoming = total == 0 ? null : example(0);
      first = upcoming;
    }

    private LabelledExample example(long g) {
      int k = (int) (g % keys);
      return at(streams.get(k).next(), k);
    }

    @Override
    public boolean hasNext() {
      if (ready.isEmpty() && position < total) {
        advance();
      }
      return !ready.isEmpty();
    }

    @Override
    public String[] next() {
      if (!hasNext()) {
        throw new NoSuchElementException();
      }
      return ready.poll();
    }

    private void advance() {
      long i = position++;
      LabelledExample e = upcoming;
      upcoming = position < total ? example(position) : null;
      ready.add(new String[] {e.key(), event(json, e, true, null)});
      if ((i + 1) % REQUEST_EVERY == 0) {
        // "What would you say to this one?": the next example's features, without its label.
        LabelledExample next = upcoming != null ? upcoming : first;
        ready.add(new String[] {next.key(), event(json, next, false, "request-" + requestsSent++)});
      }
      if (i == total / 4) {
        ready.add(new String[] {null, "{\"key\": \"tenant-000\", \"features\": [1, 2, 3], "});
      } else if (i == total / 2) {
        ready.add(
            new String[] {
              e.key(), "{\"key\": \"" + e.key() + "\", \"features\": [1.0, 2.0], \"label\": 1}"
            });
      } else if (i == 3 * total / 4) {
        ready.add(
            new String[] {
              e.key(),
              "{\"key\": \"" + e.key() + "\", \"features\": [1.0, \"high\", 3.0], \"label\": 1}"
            });
      }
    }
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
