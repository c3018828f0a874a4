package io.koala.job.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.koala.connectors.JsonOutputReader;
import io.koala.connectors.TrainingMetrics;
import io.koala.job.cli.KoalaCommand;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** {@code koala train} on a small history, then {@code koala report} on its output directory. */
class TrainingReportITCase {

  @RegisterExtension
  static final MiniClusterExtension CLUSTER =
      new MiniClusterExtension(
          new MiniClusterResourceConfiguration.Builder()
              .setNumberTaskManagers(1)
              .setNumberSlotsPerTaskManager(2)
              .build());

  private static final byte[] PNG = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};

  @Test
  void report_ofATrainRun_drawsThePage_withTheMetricsFilesNumbers(@TempDir Path dir)
      throws Exception {
    // Three tenants with two drifts each, prediction requests and three bad records.
    List<String> lines =
        DemoStream.generate(5, 3, 1_000).records().stream().map(r -> r[1]).toList();
    Path input = Files.write(dir.resolve("history.jsonl"), lines, StandardCharsets.UTF_8);
    Path out = dir.resolve("out");
    Path yaml =
        Files.writeString(
            dir.resolve("koala.yaml"),
            """
        koala:
          source: file
          file.input: %s
          output.dir: %s
          model: {type: logistic, features: 3}
          optimizer: koala-v
          batch.size: 8
          snapshot.every-batches: 25
        parallelism.default: 2
        pipeline.generic-types: false
        """
                .formatted(input, out));
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    assertThat(
            KoalaCommand.run(
                new String[] {"train", "--config", yaml.toString()},
                new PrintStream(new ByteArrayOutputStream()),
                new PrintStream(err)))
        .as(err.toString())
        .isZero();

    ByteArrayOutputStream text = new ByteArrayOutputStream();
    int code =
        KoalaCommand.run(
            new String[] {"report", out.toString()},
            new PrintStream(text, true, StandardCharsets.UTF_8),
            new PrintStream(err));
    assertThat(code).as(err.toString()).isZero();
    Path report = out.resolve("report");
    assertThat(text.toString(StandardCharsets.UTF_8)).contains("Report: ", "index.html");

    String html = Files.readString(report.resolve("index.html"));
    for (String png : List.of("accuracy.png", "loss.png", "noise.png")) {
      assertThat(html).contains("src=\"" + png + "\"");
      byte[] bytes = Files.readAllBytes(report.resolve(png));
      assertThat(bytes.length).isGreaterThan(10_000);
      assertThat(Arrays.copyOf(bytes, 8)).isEqualTo(PNG);
    }
    // The summary table's numbers are the metrics file's, computed here on their own.
    List<TrainingMetrics> metrics =
        JsonOutputReader.readAll(out.resolve("metrics.jsonl"), JsonOutputReader::metrics);
    long keys = metrics.stream().map(TrainingMetrics::key).distinct().count();
    long examples = metrics.stream().mapToLong(TrainingMetrics::examples).sum();
    double correct = metrics.stream().mapToDouble(m -> m.accuracy() * m.examples()).sum();
    assertThat(keys).isEqualTo(3);
    assertThat(examples).isEqualTo(3_000);
    assertThat(html)
        .contains(
            "<tr><td>keys</td><td>" + keys + "</td></tr>",
            "<tr><td>examples trained</td><td>" + String.format("%,d", examples) + "</td></tr>",
            "<tr><td>prequential accuracy</td><td>"
                + String.format("%.1f %%", 100 * correct / examples)
                + "</td></tr>",
            "<tr><td>dead letters</td><td>3 ",
            "tenant-000",
            "tenant-002");
  }

  @Test
  void report_withoutAnOutputDirectory_failsWithUsage(@TempDir Path dir) throws Exception {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    assertThat(
            KoalaCommand.run(
                new String[] {"report", dir.toString()},
                new PrintStream(new ByteArrayOutputStream()),
                new PrintStream(err)))
        .isEqualTo(2);
    assertThat(err.toString()).contains("no metrics.jsonl", "usage: koala report");
    assertThat(
            KoalaCommand.run(
                new String[] {"report"},
                new PrintStream(new ByteArrayOutputStream()),
                new PrintStream(err)))
        .isEqualTo(2);
  }
}
