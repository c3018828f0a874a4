package io.koala.job.demo;

import io.koala.connectors.JsonOutputReader;
import io.koala.connectors.TrainingMetrics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Reads the job's output topics as a user would ({@code read_committed}: only what a completed
 * checkpoint committed) on a thread of its own, and keeps what the progress line and the report
 * need: counts over every key, and each batch's metrics only for the keys the report looks at (so
 * that many keys with many batches each do not fill the heap).
 */
final class OutputMonitor implements AutoCloseable {

  private final KafkaConsumer<String, String> consumer;
  private final DemoTopics topics;
  private final Thread thread;
  private volatile boolean running = true;
  private volatile Exception failure;

  private final Predicate<String> kept;
  private final Map<String, List<TrainingMetrics>> metrics = new TreeMap<>();
  private final Set<String> keys = new HashSet<>();
  private final Map<String, Long> finalVersions = new TreeMap<>();
  private final List<String> deadLetterReasons = new ArrayList<>();
  private long examples;
  private long driftEvents;
  private long snapshots;
  private long predictions;
  private double varianceSum;

  /** Reads {@code topics}; keeps the metrics of the keys that {@code kept} accepts. */
  OutputMonitor(String bootstrapServers, DemoTopics topics, Predicate<String> kept) {
    this.topics = topics;
    this.kept = kept;
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    consumer = new KafkaConsumer<>(p, new StringDeserializer(), new StringDeserializer());
    List<TopicPartition> partitions = new ArrayList<>();
    for (String topic :
        List.of(
            topics.metrics(),
            topics.drift(),
            topics.models(),
            topics.predictions(),
            topics.deadLetters())) {
      partitions.add(new TopicPartition(topic, 0));
    }
    consumer.assign(partitions);
    consumer.seekToBeginning(partitions);
    thread = new Thread(this::loop, "koala-demo-monitor");
    thread.setDaemon(true);
    thread.start();
  }

  private void loop() {
    try {
      while (running) {
        for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
          accept(r.topic(), r.value());
        }
      }
    } catch (org.apache.kafka.common.errors.WakeupException stopping) {
      // close() woke us up.
    } catch (Exception e) {
      failure = e;
    }
  }

  private synchronized void accept(String topic, String line) {
    if (topic.equals(topics.metrics())) {
      TrainingMetrics m = JsonOutputReader.metrics(line);
      keys.add(m.key());
      if (kept.test(m.key())) {
        metrics.computeIfAbsent(m.key(), k -> new ArrayList<>()).add(m);
      }
      examples += m.examples();
    } else if (topic.equals(topics.drift())) {
      driftEvents++;
    } else if (topic.equals(topics.models())) {
      snapshots++;
      var snapshot = JsonOutputReader.snapshot(line);
      finalVersions.merge(snapshot.key(), snapshot.version(), Math::max);
    } else if (topic.equals(topics.predictions())) {
      predictions++;
      varianceSum += JsonOutputReader.prediction(line).variance();
    } else {
      String reason = JsonOutputReader.deadLetter(line).reason();
      deadLetterReasons.add(reason == null ? "?" : reason);
    }
  }

  /** Fails loudly if the reader thread died. */
  void check() throws Exception {
    if (failure != null) {
      throw failure;
    }
  }

  synchronized long examples() {
    return examples;
  }

  /** Keys with metrics so far (each has trained at least one batch). */
  synchronized int keys() {
    return keys.size();
  }

  synchronized long driftEvents() {
    return driftEvents;
  }

  synchronized long predictions() {
    return predictions;
  }

  synchronized double meanVariance() {
    return predictions == 0 ? Double.NaN : varianceSum / predictions;
  }

  synchronized long snapshots() {
    return snapshots;
  }

  synchronized Map<String, Long> finalVersions() {
    return new TreeMap<>(finalVersions);
  }

  synchronized List<String> deadLetterReasons() {
    return new ArrayList<>(deadLetterReasons);
  }

  /**
   * Mean over the kept keys of the prequential accuracy of each key's last {@code window} batches.
   */
  synchronized double recentAccuracy(int window) {
    double sum = 0;
    int keys = 0;
    for (List<TrainingMetrics> list : metrics.values()) {
      double s = 0;
      int n = 0;
      for (int i = Math.max(0, list.size() - window); i < list.size(); i++) {
        s += list.get(i).accuracy();
        n++;
      }
      if (n > 0) {
        sum += s / n;
        keys++;
      }
    }
    return keys == 0 ? Double.NaN : sum / keys;
  }

  /** A copy of every kept key's metrics, in version order. */
  synchronized Map<String, List<TrainingMetrics>> metrics() {
    Map<String, List<TrainingMetrics>> copy = new LinkedHashMap<>();
    metrics.forEach(
        (k, v) -> {
          List<TrainingMetrics> sorted = new ArrayList<>(v);
          sorted.sort((a, b) -> Long.compare(a.version(), b.version()));
          copy.put(k, sorted);
        });
    return copy;
  }

  @Override
  public void close() throws InterruptedException {
    running = false;
    consumer.wakeup();
    thread.join(10_000);
    consumer.close(Duration.ofSeconds(5));
  }
}
