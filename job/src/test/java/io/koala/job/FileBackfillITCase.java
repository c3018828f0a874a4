package io.koala.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.koala.connectors.DeadLetter;
import io.koala.connectors.JsonOutputReader;
import io.koala.connectors.ModelSnapshot;
import io.koala.connectors.PredictionResult;
import io.koala.connectors.TrainingEvent;
import io.koala.connectors.TrainingMetrics;
import io.koala.job.cli.KoalaCommand;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
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

  private static <T> List<T> read(Path file, Function<String, T> reader) throws Exception {
    return JsonOutputReader.readAll(file, reader);
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

    List<ModelSnapshot> models = read(out.resolve("models.jsonl"), JsonOutputReader::snapshot);
    List<TrainingMetrics> metrics = read(out.resolve("metrics.jsonl"), JsonOutputReader::metrics);
    List<PredictionResult> predictions =
        read(out.resolve("predictions.jsonl"), JsonOutputReader::prediction);
    List<DeadLetter> dead = read(out.resolve("dead-letters.jsonl"), JsonOutputReader::deadLetter);
    // 50 examples per key in batches of 8: 6 full batches + 1 partial flushed at the end.
    assertThat(metrics).hasSize(4 * 7);
    assertThat(models.stream().filter(m -> m.version() == 7)).hasSize(4);
    assertThat(models.stream().filter(m -> m.version() == 5)).hasSize(4);
    assertThat(models)
        .allSatisfy(
            m -> {
              assertThat(m.optimizer()).isEqualTo("koala-v");
              assertThat(m.params()).hasSize(4);
              assertThat(m.covariance()).isPositive();
            });
    assertThat(predictions)
        .extracting(PredictionResult::id)
        .containsExactlyInAnyOrder("ask-1", "ask-2");
    assertThat(predictions).allSatisfy(p -> assertThat(p.variance()).isPositive());
    assertThat(dead)
        .extracting(DeadLetter::reason)
        .containsExactlyInAnyOrder("WRONG_TYPE", "MALFORMED_JSON");
    assertThat(dead)
        .extracting(DeadLetter::source)
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
    assertThat(read(out.resolve("metrics.jsonl"), JsonOutputReader::metrics)).hasSize(50 * 7);
    List<ModelSnapshot> models = read(out.resolve("models.jsonl"), JsonOutputReader::snapshot);
    assertThat(models.stream().map(ModelSnapshot::key).distinct()).hasSize(50);
    assertThat(models).allSatisfy(m -> assertThat(m.examples()).isEqualTo(200));
    double accuracy =
        read(out.resolve("metrics.jsonl"), JsonOutputReader::metrics).stream()
            .mapToDouble(TrainingMetrics::accuracy)
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
    assertThat(read(out.resolve("metrics.jsonl"), JsonOutputReader::metrics)).hasSize(2 * 5);
    assertThat(read(out.resolve("predictions.jsonl"), JsonOutputReader::prediction)).hasSize(1);
    List<DeadLetter> dead = read(out.resolve("dead-letters.jsonl"), JsonOutputReader::deadLetter);
    assertThat(dead).hasSize(1);
    assertThat(dead.get(0).reason()).isEqualTo("WRONG_TYPE");
    assertThat(dead.get(0).source()).isEqualTo("history.csv:8");
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
