package io.koala.job.demo;

import static io.koala.job.demo.ReportStats.ADAM_RATES;
import static io.koala.job.demo.ReportStats.SGD_RATES;

import io.koala.connectors.TrainingMetrics;
import io.koala.data.LabelledExample;
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
import org.knowm.xchart.XYChart;

/**
 * The demo's report folder: {@code index.html} with PNG plots (XChart) and a summary table.
 *
 * <p>KOALA's curves are the job's own metrics, read from Kafka. SGD and Adam run in this process
 * through the same trainer on the same per-key streams, each at the best of 5 learning rates chosen
 * with hindsight on this very stream (the most favourable setting for them; KOALA is untuned).
 * KOALA is replayed the same way, and the report says whether that replay reproduced the job's
 * numbers exactly (it should: the operator only calls the trainer). With more than {@link
 * #COMPARED} keys, the replays, the comparisons and the per-tenant table cover {@link #COMPARED}
 * keys evenly spaced over all, and the page says so; the counts and the state cover every key.
 */
final class DemoReport {

  private DemoReport() {}

  /** How many keys the per-key plots show. */
  static final int SHOWN = 4;

  /** The most keys replayed and compared: all of them up to this many, else this many sampled. */
  static final int COMPARED = 1_000;

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
      Map<String, Long> finalVersions,
      int compared,
      StateSummary state) {}

  static Result write(
      Path dir,
      DemoStream stream,
      JobConfig config,
      OutputMonitor monitor,
      double seconds,
      DemoOptions options,
      long savepointBytes)
      throws IOException {
    Files.createDirectories(dir);
    Map<String, List<TrainingMetrics>> metrics = monitor.metrics();
    Map<String, List<LabelledExample>> byKey = stream.byKey(stream.sampleKeys(COMPARED));
    Map<String, List<Integer>> drifts = DemoStream.drifts(byKey);
    int batch = config.batchSize();

    Run koala = ReportStats.fromMetrics("koala", metrics, byKey.keySet());
    long mismatches =
        ReportStats.mismatches(koala, ReportStats.replay("koala replay", config, byKey, batch));
    Run sgd = ReportStats.best("sgd", SGD_RATES, config, byKey, batch);
    Run adam = ReportStats.best("adam", ADAM_RATES, config, byKey, batch);
    Map<String, Long> finalVersions = monitor.finalVersions();
    StateSummary state = StateSummary.of(config, byKey, finalVersions.size(), savepointBytes);
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

    List<String> keys = new ArrayList<>(byKey.keySet()).subList(0, Math.min(SHOWN, byKey.size()));
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
    List<XYChart> baselines =
        new ArrayList<>(
            List.of(ReportCharts.compare(shown, List.of(koala, sgd, adam), drifts.get(shown))));
    XYChart aroundDrift = ReportCharts.aroundDrift(List.of(koala, sgd, adam), drifts);
    if (!aroundDrift.getSeriesMap().isEmpty()) {
      baselines.add(aroundDrift);
    }
    ReportCharts.grid(dir.resolve("baselines.png"), baselines, 2);

    ReportPage.DemoSummary numbers =
        new ReportPage.DemoSummary(
            stream.keys(),
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
            mismatches,
            byKey.size(),
            state.line());
    String summary = ReportPage.summary(numbers);
    Path index = dir.resolve("index.html");
    Files.writeString(
        index,
        ReportPage.demo(summary, numbers, keyRows(byKey, drifts, koala, finalVersions)),
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
        finalVersions,
        byKey.size(),
        state);
  }

  private static String optimizerName(JobConfig config) {
    return config.get(KoalaOptions.OPTIMIZER).toString().toLowerCase().replace('_', '-');
  }

  private static String keyRows(
      Map<String, List<LabelledExample>> byKey,
      Map<String, List<Integer>> drifts,
      Run koala,
      Map<String, Long> finalVersions) {
    StringBuilder keys = new StringBuilder();
    Map<String, Long> versions = new TreeMap<>(finalVersions);
    for (String key : byKey.keySet()) {
      keys.append("<tr><td>")
          .append(ReportPage.esc(key))
          .append("</td><td>")
          .append(byKey.get(key).size())
          .append("</td><td>")
          .append(ReportPage.pct(DriftScore.mean(koala.accuracy(key), 0, Integer.MAX_VALUE)))
          .append("</td><td>")
          .append(drifts.get(key))
          .append("</td><td>")
          .append(koala.traces().get(key).alarms())
          .append("</td><td>")
          .append(versions.getOrDefault(key, -1L))
          .append("</td></tr>\n");
    }
    return keys.toString();
  }
}
