package io.koala.job.demo;

import io.koala.connectors.DeadLetter;
import io.koala.connectors.JsonOutputReader;
import io.koala.connectors.ModelSnapshot;
import io.koala.connectors.TrainingMetrics;
import io.koala.evaluation.DriftScore;
import io.koala.evaluation.PrequentialSummary;
import io.koala.job.demo.ReportStats.Run;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * {@code koala report DIR [--out REPORT_DIR]}: the demo's page (learning curves per key with drift
 * events, Q_k, covariance and R_k, a summary table) drawn from the output files of a {@code koala
 * train} run, for a backfilled history. No true drifts are known here, and no baselines run.
 */
public final class TrainingReport {

  private TrainingReport() {}

  static final String USAGE =
      "usage: koala report DIR [--out REPORT_DIR]  (DIR: a koala train "
          + "output directory; the report goes to DIR/report unless --out says otherwise)";

  /** Returns the process exit code. */
  public static int run(List<String> args, PrintStream out, PrintStream err) throws IOException {
    List<String> rest = new ArrayList<>(args);
    Path report = null;
    int at = rest.indexOf("--out");
    if (at >= 0) {
      if (at + 1 >= rest.size()) {
        err.println(USAGE);
        return 2;
      }
      report = Path.of(rest.get(at + 1));
      rest.subList(at, at + 2).clear();
    }
    if (rest.size() != 1) {
      err.println(USAGE);
      return 2;
    }
    Path dir = Path.of(rest.get(0));
    if (!Files.isRegularFile(dir.resolve("metrics.jsonl"))) {
      err.println("koala: no metrics.jsonl in " + dir.toAbsolutePath() + " (" + USAGE + ")");
      return 2;
    }
    Path index = write(dir, report == null ? dir.resolve("report") : report);
    if (index == null) {
      err.println("koala: " + dir.resolve("metrics.jsonl") + " holds no training metrics");
      return 2;
    }
    out.println("Report: " + index.toAbsolutePath().toUri());
    return 0;
  }

  /** Writes the page and its PNGs into {@code report}; null when there are no metrics at all. */
  static Path write(Path dir, Path report) throws IOException {
    Map<String, List<TrainingMetrics>> metrics = new TreeMap<>();
    for (TrainingMetrics m : read(dir, "metrics.jsonl", JsonOutputReader::metrics)) {
      metrics.computeIfAbsent(m.key(), k -> new ArrayList<>()).add(m);
    }
    if (metrics.isEmpty()) {
      return null;
    }
    metrics.values().forEach(list -> list.sort(Comparator.comparingLong(TrainingMetrics::version)));
    List<ModelSnapshot> models = read(dir, "models.jsonl", JsonOutputReader::snapshot);
    Map<String, Long> versions = new TreeMap<>();
    for (ModelSnapshot s : models) {
      versions.merge(s.key(), s.version(), Math::max);
    }
    String model =
        models.isEmpty()
            ? "model"
            : models.get(models.size() - 1).optimizer()
                + " "
                + models.get(models.size() - 1).modelType();
    Run run = ReportStats.fromMetrics(model, metrics, metrics.keySet());
    Files.createDirectories(report);

    List<String> shown =
        new ArrayList<>(metrics.keySet()).subList(0, Math.min(DemoReport.SHOWN, metrics.size()));
    boolean classifier =
        metrics.values().stream()
            .flatMap(List::stream)
            .anyMatch(m -> Double.isFinite(m.accuracy()));
    if (classifier) {
      ReportCharts.grid(
          report.resolve("accuracy.png"),
          shown.stream()
              .map(
                  k ->
                      ReportCharts.perKey(
                          k,
                          "prequential accuracy %",
                          model,
                          run.accuracy(k),
                          100,
                          List.of(),
                          run.traces().get(k).alarms(),
                          batch(metrics.get(k))))
              .toList(),
          2);
    } else {
      Files.deleteIfExists(report.resolve("accuracy.png"));
    }
    ReportCharts.grid(
        report.resolve("loss.png"),
        shown.stream()
            .map(
                k ->
                    ReportCharts.perKey(
                        k,
                        "prequential loss",
                        model,
                        run.traces().get(k).loss(),
                        1,
                        List.of(),
                        run.traces().get(k).alarms(),
                        batch(metrics.get(k))))
            .toList(),
        2);
    ReportCharts.grid(
        report.resolve("noise.png"),
        ReportCharts.kalmanState(shown.get(0), metrics.get(shown.get(0)), List.of()),
        3);

    PrequentialSummary accuracy = ReportStats.summary(run, Map.of());
    Map<String, double[]> losses = new TreeMap<>();
    run.traces().forEach((key, trace) -> losses.put(key, trace.loss()));
    PrequentialSummary loss = ReportStats.SCORER.summary(losses, Map.of());
    long examples =
        metrics.values().stream().flatMap(List::stream).mapToLong(TrainingMetrics::examples).sum();
    long batches = metrics.values().stream().mapToLong(List::size).sum();
    long alarms = run.traces().values().stream().mapToLong(t -> t.alarms().size()).sum();
    long rejected =
        metrics.values().stream().flatMap(List::stream).filter(TrainingMetrics::rejected).count();
    List<DeadLetter> dead = read(dir, "dead-letters.jsonl", JsonOutputReader::deadLetter);
    Map<String, Long> reasons =
        dead.stream()
            .collect(
                Collectors.groupingBy(
                    d -> String.valueOf(d.reason()), TreeMap::new, Collectors.counting()));
    long predictions = read(dir, "predictions.jsonl", JsonOutputReader::prediction).size();
    String summary =
        ReportPage.row("keys", metrics.size())
            + ReportPage.row("examples trained", String.format("%,d", examples))
            + ReportPage.row("batches", String.format("%,d", batches))
            + ReportPage.row("prequential accuracy", ReportPage.pct(accuracy.overall()))
            + ReportPage.row("prequential loss", number(loss.overall()))
            + ReportPage.row("drift events", alarms)
            + ReportPage.row("refused batches (divergence guard)", rejected)
            + ReportPage.row("predictions answered", predictions)
            + ReportPage.row("dead letters", dead.size() + (reasons.isEmpty() ? "" : " " + reasons))
            + ReportPage.row("model", model);

    StringBuilder keys = new StringBuilder();
    for (var e : metrics.entrySet()) {
      String key = e.getKey();
      keys.append(
          ReportPage.row(
              key,
              run.traces().get(key).examples(),
              ReportPage.pct(mean(run.accuracy(key))),
              number(mean(run.traces().get(key).loss())),
              run.traces().get(key).alarms(),
              e.getValue().stream().filter(TrainingMetrics::rejected).count(),
              versions.getOrDefault(key, -1L)));
    }
    String page =
        ReportPage.training(
            dir.toAbsolutePath().toString(),
            summary,
            "the first "
                + shown.size()
                + " of "
                + metrics.size()
                + " keys: "
                + String.join(", ", shown),
            keys.toString());
    if (!classifier) {
      page =
          page.replace(
              "<img src=\"accuracy.png\" alt=\"accuracy\">",
              "<p>No accuracy: the model is a regression.</p>");
    }
    Path index = report.resolve("index.html");
    Files.writeString(index, page, StandardCharsets.UTF_8);
    return index;
  }

  /** The records of one output file; none when the file is missing (the run wrote none). */
  private static <T> List<T> read(Path dir, String file, Function<String, T> reader)
      throws IOException {
    Path path = dir.resolve(file);
    return Files.isRegularFile(path) ? JsonOutputReader.readAll(path, reader) : List.of();
  }

  /** The key's usual batch size: the rolling curves move one batch at a time. */
  private static int batch(List<TrainingMetrics> metrics) {
    return metrics.isEmpty() ? 1 : (int) Math.max(1, metrics.get(0).examples());
  }

  private static double mean(double[] values) {
    return DriftScore.mean(values, 0, values.length);
  }

  private static String number(double v) {
    return Double.isFinite(v) ? String.format("%.4g", v) : "-";
  }
}
