package io.koala.job;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.koala.connectors.TrainingEvent;
import io.koala.job.cli.KoalaCommand;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** {@code koala train --config FILE} on a .jsonl history: every output file, end to end. */
class FileBackfillITCase {

  @RegisterExtension
  static final MiniClusterExtension CLUSTER =
      new MiniClusterExtension(
          new MiniClusterResourceConfiguration.Builder()
              .setNumberTaskManagers(1)
              .setNumberSlotsPerTaskManager(2)
              .build());

  private static final ObjectMapper JSON = new ObjectMapper();

  private static List<JsonNode> read(Path file) throws Exception {
    List<JsonNode> nodes = new ArrayList<>();
    for (String line : Files.readAllLines(file)) {
      nodes.add(JSON.readTree(line));
    }
    return nodes;
  }

  @Test
  void backfill_trainsEveryKey_answersRequests_andDeadLettersBadLines(@TempDir Path dir)
      throws Exception {
    List<String> lines = new ArrayList<>(TestLines.json(Fixtures.stream(31, 4, 50)));
    lines.add(3, "{\"key\":\"key-0\",\"features\":[1,\"x\",3],\"label\":1}");
    lines.add(10, "{\"key\":\"key-1\",\"features\":[1,2,3],\"label\":1");
    lines.add("{\"key\":\"key-2\",\"features\":[0.5,-1,2],\"id\":\"ask-1\"}");
    lines.add("{\"key\":\"key-3\",\"features\":[0.5,-1,2],\"id\":\"ask-2\"}");
    Path input = TestLines.write(dir.resolve("history.jsonl"), lines);
    Path out = dir.resolve("out");
    Path yaml =
        Files.writeString(
            dir.resolve("koala.yaml"),
            """
        koala:
          source: file
          file.input: %s
          output.dir: %s
          model: {type: logistic, features: 3, standardise: true}
          optimizer: koala-v
          batch.size: 8
          snapshot.every-batches: 5
        parallelism.default: 2
        pipeline.generic-types: false
        """
                .formatted(input, out));

    ByteArrayOutputStream stdout = new ByteArrayOutputStream();
    ByteArrayOutputStream stderr = new ByteArrayOutputStream();
    int code =
        KoalaCommand.run(
            new String[] {"train", "--config", yaml.toString()},
            new PrintStream(stdout),
            new PrintStream(stderr));
    assertThat(code).as(stderr.toString()).isZero();

    List<JsonNode> models = read(out.resolve("models.jsonl"));
    List<JsonNode> metrics = read(out.resolve("metrics.jsonl"));
    List<JsonNode> predictions = read(out.resolve("predictions.jsonl"));
    List<JsonNode> dead = read(out.resolve("dead-letters.jsonl"));
    // 50 examples per key in batches of 8: 6 full batches + 1 partial flushed at the end.
    assertThat(metrics).hasSize(4 * 7);
    assertThat(models.stream().filter(m -> m.get("version").asLong() == 7)).hasSize(4);
    assertThat(models.stream().filter(m -> m.get("version").asLong() == 5)).hasSize(4);
    assertThat(models)
        .allSatisfy(
            m -> {
              assertThat(m.get("optimizer").asText()).isEqualTo("koala-v");
              assertThat(m.get("params")).hasSize(4);
              assertThat(m.get("state").get("covariance").asDouble()).isPositive();
            });
    assertThat(predictions)
        .extracting(p -> p.get("id").asText())
        .containsExactlyInAnyOrder("ask-1", "ask-2");
    assertThat(predictions).allSatisfy(p -> assertThat(p.get("variance").asDouble()).isPositive());
    assertThat(dead)
        .extracting(d -> d.get("reason").get("code").asText())
        .containsExactlyInAnyOrder("WRONG_TYPE", "MALFORMED_JSON");
    assertThat(dead)
        .extracting(d -> d.get("source").asText())
        .containsExactlyInAnyOrder("history.jsonl:4", "history.jsonl:11");
    assertThat(Files.readAllLines(out.resolve("drift.jsonl"))).isEmpty();
    assertThat(stdout.toString()).contains("outputs in");
  }

  @Test
  void backfillOfTheCheckedInMultiKeySample_trainsEveryTenant(@TempDir Path dir) throws Exception {
    Path input = Path.of("..", "test-data", "streams", "multikey.jsonl");
    Path out = dir.resolve("out");
    int code =
        KoalaCommand.run(
            new String[] {
              "train",
              "--koala.file.input",
              input.toString(),
              "--koala.output.dir",
              out.toString(),
              "--koala.model.features",
              "3",
              "--koala.model.standardise",
              "true",
              "--koala.optimizer.process-noise.adaptive",
              "true",
              "--parallelism.default",
              "2"
            },
            new PrintStream(new ByteArrayOutputStream()),
            new PrintStream(new ByteArrayOutputStream()));
    assertThat(code).isZero();
    // 50 tenants of 200 examples, batches of 32: 6 full batches and 1 partial each.
    assertThat(read(out.resolve("metrics.jsonl"))).hasSize(50 * 7);
    List<JsonNode> models = read(out.resolve("models.jsonl"));
    assertThat(models.stream().map(m -> m.get("key").asText()).distinct()).hasSize(50);
    assertThat(models).allSatisfy(m -> assertThat(m.get("examples").asLong()).isEqualTo(200));
    double accuracy =
        read(out.resolve("metrics.jsonl")).stream()
            .mapToDouble(m -> m.get("accuracy").asDouble())
            .average()
            .orElseThrow();
    assertThat(accuracy).as("mean prequential accuracy").isGreaterThan(0.6);
    assertThat(Files.readAllLines(out.resolve("dead-letters.jsonl"))).isEmpty();
  }

  @Test
  void csvBackfill_usesTheHeader_skipsIt_andDeadLettersBadLines(@TempDir Path dir)
      throws Exception {
    List<String> lines = new ArrayList<>(List.of("key,a,b,c,label"));
    for (TrainingEvent e : Fixtures.stream(33, 2, 40)) {
      var example = ((TrainingEvent.Labelled) e).example();
      double[] x = example.features();
      lines.add(e.key() + "," + x[0] + "," + x[1] + "," + x[2] + "," + (int) example.label());
    }
    lines.add(7, "key-0,1,2,oops,1");
    lines.add("key-1,0.5,-1,2,");
    Path input = Files.write(dir.resolve("history.csv"), lines);
    Path out = dir.resolve("out");
    int code =
        KoalaCommand.run(
            new String[] {
              "train",
              "--koala.file.input",
              input.toString(),
              "--koala.output.dir",
              out.toString(),
              "--koala.format",
              "csv",
              "--koala.model.features",
              "3",
              "--koala.batch.size",
              "8"
            },
            new PrintStream(new ByteArrayOutputStream()),
            new PrintStream(new ByteArrayOutputStream()));
    assertThat(code).isZero();
    assertThat(read(out.resolve("metrics.jsonl"))).hasSize(2 * 5);
    assertThat(read(out.resolve("predictions.jsonl"))).hasSize(1);
    List<JsonNode> dead = read(out.resolve("dead-letters.jsonl"));
    assertThat(dead).hasSize(1);
    assertThat(dead.get(0).get("reason").get("code").asText()).isEqualTo("WRONG_TYPE");
    assertThat(dead.get(0).get("source").asText()).isEqualTo("history.csv:8");
  }

  @Test
  void badConfiguration_exitsWith2_namingTheKey(@TempDir Path dir) throws Exception {
    ByteArrayOutputStream stderr = new ByteArrayOutputStream();
    int code =
        KoalaCommand.run(
            new String[] {"train", "--koala.model.features", "3", "--koala.batch.size", "0"},
            new PrintStream(new ByteArrayOutputStream()),
            new PrintStream(stderr));
    assertThat(code).isEqualTo(2);
    assertThat(stderr.toString()).contains("koala.batch.size");
  }
}
