package io.koala.job.demo;

import io.koala.job.KoalaOptions;
import java.util.LinkedHashMap;
import java.util.Map;

/** The demo's topics: one input topic keyed by tenant, and the job's five outputs. */
record DemoTopics(
    String input,
    String models,
    String metrics,
    String predictions,
    String drift,
    String deadLetters) {

  static final DemoTopics DEFAULT =
      new DemoTopics(
          "koala-events",
          "koala-models",
          "koala-metrics",
          "koala-predictions",
          "koala-drift",
          "koala-dead-letters");

  /** Topic → partitions: the input is spread over 4 partitions (record key = tenant). */
  Map<String, Integer> partitions() {
    Map<String, Integer> p = new LinkedHashMap<>();
    p.put(input, 4);
    for (String t : new String[] {models, metrics, predictions, drift, deadLetters}) {
      p.put(t, 1);
    }
    return p;
  }

  /** The job's settings for these topics. */
  String[] settings() {
    return new String[] {
      KoalaOptions.KAFKA_INPUT_TOPICS.key(),
      input,
      KoalaOptions.KAFKA_TOPIC_MODELS.key(),
      models,
      KoalaOptions.KAFKA_TOPIC_METRICS.key(),
      metrics,
      KoalaOptions.KAFKA_TOPIC_PREDICTIONS.key(),
      predictions,
      KoalaOptions.KAFKA_TOPIC_DRIFT.key(),
      drift,
      KoalaOptions.KAFKA_TOPIC_DEAD_LETTERS.key(),
      deadLetters
    };
  }
}
