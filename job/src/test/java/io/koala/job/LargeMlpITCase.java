package io.koala.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.koala.connectors.JsonOutputReader;
import io.koala.connectors.ModelSnapshot;
import io.koala.job.cli.KoalaCommand;
import io.koala.model.Head;
import io.koala.model.MlpBackend;
import io.koala.model.MlpModel;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** {@code koala train} with an MLP above the ND4J crossover: it trains through ND4J's gemm. */
class LargeMlpITCase {

  private static final int FEATURES = 1000;
  private static final int HIDDEN = 64;
  private static final int BATCH = 32;

  @RegisterExtension
  static final MiniClusterExtension CLUSTER =
      new MiniClusterExtension(
          new MiniClusterResourceConfiguration.Builder()
              .setNumberTaskManagers(1)
              .setNumberSlotsPerTaskManager(2)
              .build());

  @Test
  void mlpAboveTheCrossover_trainsEveryKey_withFiniteChangingParameters(@TempDir Path dir)
      throws Exception {
    MlpModel model = new MlpModel(FEATURES, HIDDEN, Head.LOGISTIC, 2, MlpBackend.AUTO);
    assertThat(model.usesNd4j(BATCH)).as("a full batch goes through ND4J").isTrue();
    Path input = Files.write(dir.resolve("history.jsonl"), lines(2, 3 * BATCH));
    Path out = dir.resolve("out");
    Path yaml =
        Files.writeString(
            dir.resolve("koala.yaml"),
            """
        koala:
          source: file
          file.input: %s
          output.dir: %s
          model: {type: mlp, features: %d, hidden: %d, mlp.backend: auto}
          optimizer: koala-v
          batch.size: %d
          snapshot.every-batches: 1
        parallelism.default: 2
        pipeline.generic-types: false
        """
                .formatted(input, out, FEATURES, HIDDEN, BATCH));
    ByteArrayOutputStream stderr = new ByteArrayOutputStream();
    int code =
        KoalaCommand.run(
            new String[] {"train", "--config", yaml.toString()},
            new PrintStream(new ByteArrayOutputStream()),
            new PrintStream(stderr));
    assertThat(code).as(stderr.toString()).isZero();

    List<ModelSnapshot> models =
        JsonOutputReader.readAll(out.resolve("models.jsonl"), JsonOutputReader::snapshot);
    double[] initial = model.initialParameters(42);
    for (String key : List.of("key-0", "key-1")) {
      List<ModelSnapshot> ofKey = models.stream().filter(m -> m.key().equals(key)).toList();
      assertThat(ofKey).extracting(ModelSnapshot::version).containsExactly(1L, 2L, 3L);
      double[] last = ofKey.get(2).params();
      assertThat(last).hasSize(model.parameterCount());
      assertThat(java.util.Arrays.stream(last).allMatch(Double::isFinite)).isTrue();
      assertThat(last).isNotEqualTo(initial);
      assertThat(last).isNotEqualTo(ofKey.get(1).params());
    }
  }

  /** Labelled rows per key: dense features, the label a fixed linear rule of them. */
  private static List<String> lines(int keys, int perKey) {
    SplittableRandom random = new SplittableRandom(5);
    double[] rule = new double[FEATURES];
    for (int i = 0; i < FEATURES; i++) {
      rule[i] = random.nextGaussian();
    }
    List<String> lines = new ArrayList<>();
    for (int n = 0; n < perKey; n++) {
      for (int k = 0; k < keys; k++) {
        StringBuilder line = new StringBuilder("{\"key\":\"key-" + k + "\",\"features\":[");
        double score = 0;
        for (int i = 0; i < FEATURES; i++) {
          double x = Math.round(random.nextGaussian() * 1000) / 1000.0;
          score += x * rule[i];
          line.append(i == 0 ? "" : ",").append(x);
        }
        lines.add(line.append("],\"label\":").append(score > 0 ? 1 : 0).append('}').toString());
      }
    }
    return lines;
  }
}
