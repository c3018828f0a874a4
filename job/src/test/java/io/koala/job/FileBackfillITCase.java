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

  /**
   * The same word stream as JSON sparse features (named, and the explicit form) and as a CSV sparse
   * column, at d = 1,024: the two jobs write the same models, bit for bit, and the same dead
   * letter.
   */
  @Test
  void csvSparseColumn_trainsTheModelsOfTheSameJsonSparseInput(@TempDir Path dir) throws Exception {
    java.util.SplittableRandom random = new java.util.SplittableRandom(13);
    double[] weight = random.doubles(50, -2, 2).toArray();
    List<String> json = new ArrayList<>();
    List<String> csv = new ArrayList<>(List.of("key,words,label,ts,id"));
    for (int i = 0; i < 2 * 40; i++) {
      List<String> named = new ArrayList<>();
      List<String> pairs = new ArrayList<>();
      java.util.Set<Integer> words = new java.util.TreeSet<>();
      while (words.size() < 2 + random.nextInt(6)) {
        words.add(random.nextInt(50));
      }
      double z = 0;
      for (int w : words) {
        double value = random.nextInt(4) / 2.0 + 0.5;
        z += weight[w] * value;
        named.add("\"w" + w + "\":" + value);
        pairs.add((i % 2 == 0 ? "w" + w : String.valueOf(10 * w)) + ":" + value);
      }
      int y = random.nextDouble() < 1 / (1 + Math.exp(-z)) ? 1 : 0;
      String features =
          i % 2 == 0
              ? "{" + String.join(",", named) + "}"
              : "{\"indices\":["
                  + String.join(",", words.stream().map(w -> String.valueOf(10 * w)).toList())
                  + "],\"values\":["
                  + String.join(",", pairs.stream().map(p -> p.split(":")[1]).toList())
                  + "]}";
      String key = "key-" + i % 2;
      long ts = 1_000L + i;
      json.add(
          "{\"key\":\"%s\",\"features\":%s,\"label\":%d,\"ts\":%d}"
              .formatted(key, features, y, ts));
      csv.add(key + "," + String.join(" ", pairs) + "," + y + "," + ts + ",");
    }
    json.add(5, "{\"key\":\"key-0\",\"features\":{\"w1\":1,\"w1\":2},\"label\":1}");
    csv.add(6, "key-0,w1:1 w1:2,1,,");
    json.add("{\"key\":\"key-1\",\"features\":{\"w3\":1,\"w4\":-1},\"id\":\"ask\"}");
    csv.add("key-1,\"w3:1 w4:-1\",,,ask");
    Path fromJson = train(Files.write(dir.resolve("words.jsonl"), json), dir.resolve("json"));
    Path fromCsv =
        train(
            Files.write(dir.resolve("words.csv"), csv),
            dir.resolve("csv"),
            "--koala.format",
            "csv",
            "--koala.csv.sparse-column",
            "words");

    List<ModelSnapshot> jsonModels = snapshots(fromJson);
    List<ModelSnapshot> csvModels = snapshots(fromCsv);
    // 40 examples per key in batches of 8: 5 steps, a snapshot every 2 versions and at the end.
    assertThat(csvModels).hasSizeGreaterThanOrEqualTo(2 * 2).hasSameSizeAs(jsonModels);
    for (int m = 0; m < csvModels.size(); m++) {
      ModelSnapshot a = csvModels.get(m);
      ModelSnapshot b = jsonModels.get(m);
      assertThat(a.key()).isEqualTo(b.key());
      assertThat(a.version()).isEqualTo(b.version());
      assertThat(a.examples()).isEqualTo(b.examples());
      assertThat(a.params()).hasSize(1025);
      assertThat(java.util.Arrays.equals(a.params(), b.params()))
          .as("%s version %d, params bit for bit", a.key(), a.version())
          .isTrue();
    }
    assertThat(csvModels.stream().mapToLong(ModelSnapshot::examples).max().orElseThrow())
        .isEqualTo(40);
    List<DeadLetter> dead =
        read(fromCsv.resolve("dead-letters.jsonl"), JsonOutputReader::deadLetter);
    assertThat(dead).extracting(DeadLetter::reason).containsExactly("DUPLICATE_FIELD");
    assertThat(dead).extracting(DeadLetter::source).containsExactly("words.csv:7");
    assertThat(read(fromJson.resolve("dead-letters.jsonl"), JsonOutputReader::deadLetter))
        .extracting(DeadLetter::reason)
        .containsExactly("DUPLICATE_FIELD");
    PredictionResult csvAnswer =
        read(fromCsv.resolve("predictions.jsonl"), JsonOutputReader::prediction).get(0);
    PredictionResult jsonAnswer =
        read(fromJson.resolve("predictions.jsonl"), JsonOutputReader::prediction).get(0);
    assertThat(csvAnswer.id()).isEqualTo("ask");
    assertThat(csvAnswer.variance()).isEqualTo(jsonAnswer.variance());
  }

  /** {@code koala train} of the file at d = 1,024 in batches of 8; returns the output folder. */
  private static Path train(Path input, Path out, String... more) throws Exception {
    List<String> args =
        new ArrayList<>(
            List.of(
                "train",
                "--koala.file.input",
                input.toString(),
                "--koala.output.dir",
                out.toString(),
                "--koala.model.features",
                "1024",
                "--koala.batch.size",
                "8",
                "--koala.snapshot.every-batches",
                "2"));
    args.addAll(List.of(more));
    ByteArrayOutputStream stderr = new ByteArrayOutputStream();
    int code =
        KoalaCommand.run(
            args.toArray(String[]::new),
            new PrintStream(new ByteArrayOutputStream()),
            new PrintStream(stderr));
    assertThat(code).as(stderr.toString()).isZero();
    return out;
  }

  /** The snapshots in key and version order (the sinks write keys in any order). */
  private static List<ModelSnapshot> snapshots(Path out) throws Exception {
    return read(out.resolve("models.jsonl"), JsonOutputReader::snapshot).stream()
        .sorted(
            java.util.Comparator.comparing(ModelSnapshot::key)
                .thenComparingLong(ModelSnapshot::version))
        .toList();
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
