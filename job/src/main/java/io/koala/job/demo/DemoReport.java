package io.koala.job.demo;

import static io.koala.job.demo.ReportStats.ADAM_RATES;
import static io.koala.job.demo.ReportStats.SGD_RATES;

import io.koala.connectors.TrainingMetrics;
import io.koala.evaluation.DriftScore;
import io.koala.job.JobConfig;
import io.koala.job.KoalaOptions;
import io.koala.job.demo.ReportStats.Run;
import io.koala.job.demo.ReportStats.Stats;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The demo's report folder: {@code index.html} with PNG plots (XChart) and a summary table.
 *
 * <p>KOALA's curves are the job's own metrics, read from Kafka. SGD and Adam run in this process
 * through the same trainer on the same per-key streams, each at the best of 5 learning rates chosen
 * with hindsight on this very stream (the most favourable setting for them; KOALA is untuned).
 * KOALA is replayed the same way, and the report says whether that replay reproduced the job's
 * numbers exactly (it should: the operator only calls the trainer).
 */
final class DemoReport {

  private DemoReport() {}

  /** How many keys the per-key plots show. */
  static final int SHOWN = 4;

  /** Where the report is, and its summary as text. */
  record Result(
      Path index,
      String summary,
      Stats koala,
      Stats sgd,
      Stats adam,
      DriftScore.Detection detection,
      long replayMismatches,
      long examples,
      long predictions,
      double meanVariance,
      List<String> deadLetters,
      Map<String, Long> finalVersions) {}

  static Result write(
      Path dir,
      DemoStream stream,
      JobConfig config,
      OutputMonitor monitor,
      double seconds,
      DemoOptions options)
      throws IOException {
    Files.createDirectories(dir);
    Map<String, List<TrainingMetrics>> metrics = monitor.metrics();
    Map<String, List<Integer>> drifts = stream.drifts();
    int batch = config.batchSize();

    Run koala = ReportStats.fromMetrics("koala", metrics, stream.byKey().keySet());
    long mismatches =
        ReportStats.mismatches(
            koala, ReportStats.replay("koala replay", config, stream.byKey(), batch));
    Run sgd = ReportStats.best("sgd", SGD_RATES, config, stream.byKey(), batch);
    Run adam = ReportStats.best("adam", ADAM_RATES, config, stream.byKey(), batch);
    Stats koalaStats =
        ReportStats.stats(
            optimizerName(config)
                + (options.overrides().isEmpty()
                    ? " (untuned, in Flink)"
                    : " (as configured, in Flink)"),
            koala,
            drifts);
    Stats sgdStats = ReportStats.stats(sgd.name(), sgd, drifts);
    Stats adamStats = ReportStats.stats(adam.name(), adam, drifts);
    DriftScore.Detection detection = ReportStats.detection(koala, drifts);

    List<String> keys =
        new ArrayList<>(stream.byKey().keySet()).subList(0, Math.min(SHOWN, stream.byKey().size()));
    ReportCharts.grid(
        dir.resolve("accuracy.png"),
        keys.stream()
            .map(
                k ->
                    ReportCharts.perKey(
                        k,
                        "prequential accuracy %",
                        "KOALA",
                        koala.accuracy(k),
                        100,
                        drifts.get(k),
                        koala.traces().get(k).alarms(),
                        batch))
            .toList(),
        2);
    ReportCharts.grid(
        dir.resolve("loss.png"),
        keys.stream()
            .map(
                k ->
                    ReportCharts.perKey(
                        k,
                        "prequential log loss",
                        "KOALA",
                        koala.traces().get(k).loss(),
                        1,
                        drifts.get(k),
                        koala.traces().get(k).alarms(),
                        batch))
            .toList(),
        2);
    String shown = keys.get(0);
    ReportCharts.grid(
        dir.resolve("noise.png"),
        ReportCharts.kalmanState(shown, metrics.get(shown), drifts.get(shown)),
        3);
    ReportCharts.grid(
        dir.resolve("baselines.png"),
        List.of(
            ReportCharts.compare(shown, List.of(koala, sgd, adam), drifts.get(shown)),
            ReportCharts.aroundDrift(List.of(koala, sgd, adam), drifts)),
        2);

    ReportPage.DemoSummary numbers =
        new ReportPage.DemoSummary(
            stream.byKey().size(),
            monitor.examples(),
            seconds,
            options.rate(),
            List.of(koalaStats, sgdStats, adamStats),
            detection,
            monitor.predictions(),
            stream.requests(),
            monitor.meanVariance(),
            monitor.deadLetterReasons(),
            stream.badRecords(),
            mismatches);
    String summary = ReportPage.summary(numbers);
    Path index = dir.resolve("index.html");
    Files.writeString(
        index,
        ReportPage.demo(summary, numbers, keyRows(stream, koala, monitor.finalVersions())),
        StandardCharsets.UTF_8);
    Files.writeString(
        dir.resolve("summary.txt"), summary + System.lineSeparator(), StandardCharsets.UTF_8);
    return new Result(
        index,
        summary,
        koalaStats,
        sgdStats,
        adamStats,
        detection,
        mismatches,
        monitor.examples(),
        monitor.predictions(),
        monitor.meanVariance(),
        monitor.deadLetterReasons(),
        monitor.finalVersions());
  }

  private static String optimizerName(JobConfig config) {
    return config.get(KoalaOptions.OPTIMIZER).toString().toLowerCase().replace('_', '-');
  }

  private static String keyRows(DemoStream stream, Run koala, Map<String, Long> finalVersions) {
    StringBuilder keys = new StringBuilder();
    Map<String, Long> versions = new TreeMap<>(finalVersions);
    for (String key : stream.byKey().keySet()) {
      keys.append("<tr><td>")
          .append(ReportPage.esc(key))
          .append("</td><td>")
          .append(stream.byKey().get(key).size())
          .append("</td><td>")
          .append(ReportPage.pct(DriftScore.mean(koala.accuracy(key), 0, Integer.MAX_VALUE)))
          .append("</td><td>")
          .append(stream.drifts().get(key))
          .append("</td><td>")
          .append(koala.traces().get(key).alarms())
          .append("</td><td>")
          .append(versions.getOrDefault(key, -1L))
          .append("</td></tr>\n");
    }
    return keys.toString();
  }
}
