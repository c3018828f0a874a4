package io.koala.job;

import io.koala.connectors.Example;
import io.koala.connectors.TrainingEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.flink.configuration.Configuration;

/** Readable builders of configurations and event streams for the job's tests. */
final class Fixtures {

  private Fixtures() {}

  static final double[] WEIGHTS = {1.5, -2.0, 0.5};

  /** Logistic regression on 3 features with the given optimizer, batches of 4. */
  static JobConfig config(String optimizer, String... extra) {
    Configuration conf = new Configuration();
    conf.setString("koala.model.type", "logistic");
    conf.setString("koala.model.features", "3");
    conf.setString("koala.optimizer", optimizer);
    conf.setString("koala.batch.size", "4");
    conf.setString("koala.snapshot.every-batches", "2");
    for (int i = 0; i + 1 < extra.length; i += 2) {
      conf.setString(extra[i], extra[i + 1]);
    }
    return JobConfig.of(conf);
  }

  static TrainingEvent.Labelled labelled(String key, double[] x, double y, long ts, String origin) {
    return new TrainingEvent.Labelled(key, new Example(x, y), ts, origin);
  }

  static TrainingEvent.PredictionRequest request(String key, double[] x, String id) {
    return new TrainingEvent.PredictionRequest(key, x, TrainingEvent.NO_TIMESTAMP, id, "test");
  }

  static TrainingEvent.PredictionRequest sparseRequest(
      String key, int[] indices, double[] values, String id) {
    return new TrainingEvent.PredictionRequest(
        key, values, TrainingEvent.NO_TIMESTAMP, id, "test", indices);
  }

  static TrainingEvent.PreBatched batch(String key, Example[] examples, long ts, String origin) {
    return new TrainingEvent.PreBatched(key, examples, ts, origin);
  }

  /** {@code n} labelled events per key, interleaved across keys, with event times 10 ms apart. */
  static List<TrainingEvent> stream(long seed, int keys, int n) {
    SplittableRandom random = new SplittableRandom(seed);
    List<TrainingEvent> events = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      for (int k = 0; k < keys; k++) {
        double[] x = {random.nextGaussian(), random.nextGaussian(), random.nextGaussian()};
        double z =
            (k % 2 == 0 ? 1 : -1) * (x[0] * WEIGHTS[0] + x[1] * WEIGHTS[1] + x[2] * WEIGHTS[2]);
        double y = random.nextDouble() < 1 / (1 + Math.exp(-z)) ? 1 : 0;
        long ts = 1_000L + 10L * (i * keys + k);
        events.add(labelled("key-" + k, x, y, ts, "test:" + events.size()));
      }
    }
    return events;
  }
}
