package io.koala.job.demo;

import io.koala.data.DriftMetrics;
import io.koala.data.LabelledExample;
import io.koala.job.JobConfig;
import io.koala.job.KoalaOptions;
import io.koala.state.ModelState;
import io.koala.state.OptimizerState;
import io.koala.training.Trainer;
import io.koala.training.TrainingOutcome;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import javax.imageio.ImageIO;
import org.apache.flink.configuration.Configuration;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * The demo's report folder: {@code index.html} with PNG plots (XChart) and a summary table.
 *
 * <p>KOALA's curves are the job's own metrics, read from Kafka. SGD and Adam run in this process
 * through the same {@link Trainer} on the same per-key streams, each at the best of 5 learning
 * rates chosen with hindsight on this very stream (the most favourable setting for them; KOALA is
 * untuned). KOALA is replayed the same way, and the report says whether that replay reproduced
 * the job's numbers exactly (it should: the operator only calls the trainer).
 */
final class DemoReport {

  private DemoReport() {}

  static final double[] SGD_RATES = {0.001, 0.003, 0.01, 0.03, 0.1};
  static final double[] ADAM_RATES = {0.001, 0.003, 0.01, 0.03, 0.1};
  /** Examples after a true drift within which an alarm counts as detecting it. */
  static final int DETECTION_WINDOW = 800;
  /** Examples in the "after drift" window and the pre-drift reference window. */
  static final int DRIFT_WINDOW = 400;
  /** Examples in the rolling window of the recovery test. */
  static final int RECOVERY_WINDOW = 200;
  /** How many keys the per-key plots show. */
  static final int SHOWN = 4;

  /** Where the report is, and its summary as text. */
  record Result(Path index, String summary, Stats koala, Stats sgd, Stats adam, Detection detection,
      long replayMismatches, long examples, long predictions, double meanVariance,
      List<String> deadLetters, Map<String, Long> finalVersions) {}

  /** Prequential accuracy over every example, after drifts, and recovery (mean, examples). */
  record Stats(String name, double accuracy, double afterDrift, double recovery, int notRecovered) {}

  /** The drift alarms against the true drift points. */
  record Detection(int trueDrifts, int detected, int falseAlarms, double medianDelay) {}

  /** A run over every key: per-example accuracy (each example gets its batch's value). */
  record Run(String name, Map<String, double[]> accuracy, Map<String, double[]> loss) {}

  static Result write(Path dir, DemoStream stream, JobConfig config, OutputMonitor monitor,
      double seconds, DemoCommand.Options options) throws IOException {
    Files.createDirectories(dir);
    Map<String, List<OutputMonitor.Metric>> metrics = monitor.metrics();
    int batch = config.batchSize();

    Run koala = fromMetrics(metrics, stream);
    Run replay = replay("koala replay", config, stream, batch);
    long mismatches = 0;
    for (String key : stream.byKey().keySet()) {
      double[] a = koala.accuracy().get(key);
      double[] b = replay.accuracy().get(key);
      for (int i = 0; i < b.length; i++) {
        if (a == null || i >= a.length || Double.doubleToLongBits(a[i]) != Double.doubleToLongBits(b[i])) {
          mismatches++;
        }
      }
    }
    Run sgd = best("sgd", SGD_RATES, config, stream, batch);
    Run adam = best("adam", ADAM_RATES, config, stream, batch);
    Stats koalaStats = stats(optimizerName(config) + (options.overrides().isEmpty()
        ? " (untuned, in Flink)" : " (as configured, in Flink)"), koala, stream);
    Stats sgdStats = stats(sgd.name(), sgd, stream);
    Stats adamStats = stats(adam.name(), adam, stream);
    Detection detection = detection(metrics, stream);

    List<String> keys = new ArrayList<>(stream.byKey().keySet()).subList(0,
        Math.min(SHOWN, stream.byKey().size()));
    grid(dir.resolve("accuracy.png"), keys.stream()
        .map(k -> perKeyChart(k, "prequential accuracy %", koala.accuracy().get(k), 100,
            stream, metrics.get(k), batch)).toList(), 2);
    grid(dir.resolve("loss.png"), keys.stream()
        .map(k -> perKeyChart(k, "prequential log loss", koala.loss().get(k), 1, stream,
            metrics.get(k), batch)).toList(), 2);
    String shown = keys.get(0);
    grid(dir.resolve("noise.png"), List.of(
        noiseChart(shown, "process noise Q_k", metrics.get(shown), OutputMonitor.Metric::processNoise, stream, batch),
        noiseChart(shown, "covariance p_k", metrics.get(shown), OutputMonitor.Metric::covariance, stream, batch),
        noiseChart(shown, "measurement noise R_k", metrics.get(shown), OutputMonitor.Metric::measurementNoise, stream, batch)), 3);
    grid(dir.resolve("baselines.png"), List.of(
        compareChart(shown, List.of(koala, sgd, adam), stream),
        aroundDriftChart(List.of(koala, sgd, adam), stream)), 2);

    String summary = summary(stream, monitor, seconds, koalaStats, sgdStats, adamStats, detection,
        mismatches, options);
    Path index = dir.resolve("index.html");
    Files.writeString(index, html(summary, stream, koalaStats, sgdStats, adamStats, detection,
        mismatches, monitor, koala), StandardCharsets.UTF_8);
    Files.writeString(dir.resolve("summary.txt"), summary + System.lineSeparator(),
        StandardCharsets.UTF_8);
    return new Result(index, summary, koalaStats, sgdStats, adamStats, detection, mismatches,
        monitor.examples(), monitor.predictions(), monitor.meanVariance(),
        monitor.deadLetterReasons(), monitor.finalVersions());
  }

  private static String optimizerName(JobConfig config) {
    return config.get(KoalaOptions.OPTIMIZER).toString().toLowerCase().replace('_', '-');
  }

  // ---- runs ----

  /** KOALA as the job trained it: per-batch metrics spread over the batch's examples. */
  private static Run fromMetrics(Map<String, List<OutputMonitor.Metric>> metrics, DemoStream stream) {
    Map<String, double[]> acc = new LinkedHashMap<>();
    Map<String, double[]> loss = new LinkedHashMap<>();
    for (String key : stream.byKey().keySet()) {
      List<OutputMonitor.Metric> list = metrics.getOrDefault(key, List.of());
      int n = (int) list.stream().mapToLong(OutputMonitor.Metric::examples).sum();
      double[] a = new double[n];
      double[] l = new double[n];
      int at = 0;
      for (OutputMonitor.Metric m : list) {
        for (int i = 0; i < m.examples(); i++, at++) {
          a[at] = m.accuracy();
          l[at] = m.loss();
        }
      }
      acc.put(key, a);
      loss.put(key, l);
    }
    return new Run("koala", acc, loss);
  }

  /** Every key's stream through a fresh trainer of {@code config}, in batches of {@code batch}. */
  static Run replay(String name, JobConfig config, DemoStream stream, int batch) {
    Map<String, double[]> acc = new LinkedHashMap<>();
    Map<String, double[]> loss = new LinkedHashMap<>();
    Trainer<OptimizerState> trainer = config.trainer();
    stream.byKey().forEach((key, examples) -> {
      double[] a = new double[examples.size()];
      double[] l = new double[examples.size()];
      ModelState<OptimizerState> state = trainer.initial();
      for (int start = 0; start < examples.size(); start += batch) {
        int size = Math.min(batch, examples.size() - start);
        TrainingOutcome<OptimizerState> outcome = trainer.train(state,
            LabelledExample.batch(examples, start, start + size));
        state = outcome.state();
        for (int i = 0; i < size; i++) {
          a[start + i] = outcome.accuracy();
          l[start + i] = outcome.loss();
        }
      }
      acc.put(key, a);
      loss.put(key, l);
    });
    return new Run(name, acc, loss);
  }

  /** The baseline at its best learning rate on this stream (mean accuracy over all keys). */
  private static Run best(String optimizer, double[] rates, JobConfig config, DemoStream stream,
      int batch) {
    Run best = null;
    double bestScore = -1;
    for (double rate : rates) {
      Configuration conf = config.configuration();
      conf.setString(KoalaOptions.OPTIMIZER.key(), optimizer);
      conf.setString(KoalaOptions.LEARNING_RATE.key(), String.valueOf(rate));
      Run run = replay(optimizer + " (best of 5 rates: " + rate + ")", JobConfig.of(conf), stream,
          batch);
      double score = overall(run);
      if (score > bestScore) {
        bestScore = score;
        best = run;
      }
    }
    return best;
  }

  // ---- statistics ----

  private static double overall(Run run) {
    double sum = 0;
    long n = 0;
    for (double[] a : run.accuracy().values()) {
      for (double v : a) {
        sum += v;
        n++;
      }
    }
    return sum / Math.max(1, n);
  }

  static double mean(double[] v, int from, int to) {
    return DriftMetrics.mean(v, from, to);
  }

  static Stats stats(String name, Run run, DemoStream stream) {
    double after = 0;
    double recovery = 0;
    int drifts = 0;
    int recovered = 0;
    int never = 0;
    for (var e : stream.drifts().entrySet()) {
      double[] a = run.accuracy().get(e.getKey());
      List<Integer> points = e.getValue();
      for (int d = 0; d < points.size(); d++) {
        int t = points.get(d);
        int end = d + 1 < points.size() ? points.get(d + 1) : a.length;
        after += mean(a, t, t + DRIFT_WINDOW);
        drifts++;
        int back = DriftMetrics.recovery(a, t, end, RECOVERY_WINDOW, 1,
            mean(a, t - DRIFT_WINDOW, t));
        if (back >= 0) {
          recovery += back;
          recovered++;
        } else {
          never++;
        }
      }
    }
    return new Stats(name, overall(run), after / Math.max(1, drifts),
        recovered == 0 ? Double.NaN : recovery / recovered, never);
  }

  static Detection detection(Map<String, List<OutputMonitor.Metric>> metrics, DemoStream stream) {
    int trueDrifts = 0;
    int detected = 0;
    int falseAlarms = 0;
    List<Integer> delays = new ArrayList<>();
    for (var e : stream.drifts().entrySet()) {
      List<Integer> alarms = new ArrayList<>();
      long seen = 0;
      for (OutputMonitor.Metric m : metrics.getOrDefault(e.getKey(), List.of())) {
        seen += m.examples();
        if (m.drift()) {
          alarms.add((int) seen);
        }
      }
      boolean[] explained = new boolean[alarms.size()];
      for (int t : e.getValue()) {
        trueDrifts++;
        Integer first = null;
        for (int i = 0; i < alarms.size(); i++) {
          if (alarms.get(i) > t && alarms.get(i) <= t + DETECTION_WINDOW) {
            explained[i] = true;
            if (first == null) {
              first = alarms.get(i);
            }
          }
        }
        if (first != null) {
          detected++;
          delays.add(first - t);
        }
      }
      for (boolean x : explained) {
        falseAlarms += x ? 0 : 1;
      }
    }
    delays.sort(Integer::compare);
    return new Detection(trueDrifts, detected, falseAlarms,
        delays.isEmpty() ? Double.NaN : delays.get(delays.size() / 2));
  }

  // ---- plots ----

  /** Mean of the trailing {@code window} values at every {@code step}-th position. */
  private static double[][] rolling(double[] v, int window, int step, double scale) {
    List<double[]> points = new ArrayList<>();
    for (int i = window; i <= v.length; i += step) {
      points.add(new double[] {i, scale * mean(v, i - window, i)});
    }
    double[][] xy = new double[2][points.size()];
    for (int i = 0; i < points.size(); i++) {
      xy[0][i] = points.get(i)[0];
      xy[1][i] = points.get(i)[1];
    }
    return xy;
  }

  private static XYChart chart(String title, String x, String y) {
    XYChart c = new XYChartBuilder().width(640).height(380).title(title).xAxisTitle(x)
        .yAxisTitle(y).build();
    c.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS);
    c.getStyler().setLegendLayout(Styler.LegendLayout.Horizontal);
    c.getStyler().setMarkerSize(0);
    c.getStyler().setChartBackgroundColor(Color.WHITE);
    c.getStyler().setPlotGridLinesColor(new Color(230, 230, 230));
    c.getStyler().setToolTipsEnabled(false);
    return c;
  }

  private static void driftLines(XYChart c, List<Integer> drifts, double low, double high) {
    boolean first = true;
    for (int t : drifts) {
      XYSeries s = c.addSeries("true drift" + (first ? "" : " " + t), new double[] {t, t},
          new double[] {low, high});
      s.setLineColor(Color.GRAY);
      s.setLineStyle(new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10,
          new float[] {6, 4}, 0));
      s.setMarker(SeriesMarkers.NONE);
      s.setShowInLegend(first);
      first = false;
    }
  }

  private static XYChart perKeyChart(String key, String what, double[] perExample, double scale,
      DemoStream stream, List<OutputMonitor.Metric> metrics, int batch) {
    XYChart c = chart(key + ": " + what, "examples of this key", what);
    double[][] xy = rolling(perExample, RECOVERY_WINDOW, batch, scale);
    XYSeries s = c.addSeries("KOALA (rolling " + RECOVERY_WINDOW + " examples)", xy[0], xy[1]);
    s.setMarker(SeriesMarkers.NONE);
    s.setLineColor(new Color(31, 119, 180));
    double low = min(xy[1]);
    double high = max(xy[1]);
    driftLines(c, stream.drifts().get(key), low, high);
    List<Double> ax = new ArrayList<>();
    long seen = 0;
    for (OutputMonitor.Metric m : metrics) {
      seen += m.examples();
      if (m.drift()) {
        ax.add((double) seen);
      }
    }
    if (!ax.isEmpty()) {
      double[] x = ax.stream().mapToDouble(Double::doubleValue).toArray();
      double[] y = new double[x.length];
      java.util.Arrays.fill(y, high);
      XYSeries alarms = c.addSeries("drift event (Q_k alarm)", x, y);
      alarms.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
      alarms.setMarker(SeriesMarkers.TRIANGLE_DOWN);
      alarms.setMarkerColor(Color.RED);
    }
    c.getStyler().setMarkerSize(9);
    return c;
  }

  private static XYChart noiseChart(String key, String what, List<OutputMonitor.Metric> metrics,
      java.util.function.ToDoubleFunction<OutputMonitor.Metric> field, DemoStream stream,
      int batch) {
    XYChart c = chart(key + ": " + what, "examples of this key", what + " (log scale)");
    List<double[]> points = new ArrayList<>();
    long seen = 0;
    for (OutputMonitor.Metric m : metrics) {
      seen += m.examples();
      double v = field.applyAsDouble(m);
      if (v > 0 && Double.isFinite(v)) {
        points.add(new double[] {seen, v});
      }
    }
    if (points.isEmpty()) {
      points.add(new double[] {0, 1});
    }
    double[] x = points.stream().mapToDouble(p -> p[0]).toArray();
    double[] y = points.stream().mapToDouble(p -> p[1]).toArray();
    XYSeries s = c.addSeries(what, x, y);
    s.setMarker(SeriesMarkers.NONE);
    c.getStyler().setYAxisLogarithmic(true);
    driftLines(c, stream.drifts().get(key), min(y), max(y));
    c.getStyler().setLegendVisible(false);
    return c;
  }

  private static final Color[] COLORS = {new Color(31, 119, 180), new Color(255, 127, 14),
      new Color(44, 160, 44)};

  private static XYChart compareChart(String key, List<Run> runs, DemoStream stream) {
    XYChart c = chart(key + ": KOALA beside tuned SGD and Adam", "examples of this key",
        "prequential accuracy % (rolling " + RECOVERY_WINDOW + ")");
    double low = 100;
    double high = 0;
    for (int i = 0; i < runs.size(); i++) {
      double[][] xy = rolling(runs.get(i).accuracy().get(key), RECOVERY_WINDOW, 8, 100);
      XYSeries s = c.addSeries(label(runs.get(i)), xy[0], xy[1]);
      s.setMarker(SeriesMarkers.NONE);
      s.setLineColor(COLORS[i % COLORS.length]);
      low = Math.min(low, min(xy[1]));
      high = Math.max(high, max(xy[1]));
    }
    driftLines(c, stream.drifts().get(key), low, high);
    return c;
  }

  /** Every true drift of every key aligned at 0: the mean accuracy around a drift. */
  private static XYChart aroundDriftChart(List<Run> runs, DemoStream stream) {
    int before = DRIFT_WINDOW;
    int after = 3 * DRIFT_WINDOW;
    XYChart c = chart("all keys: accuracy around a drift (mean over "
        + stream.drifts().values().stream().mapToInt(List::size).sum() + " drifts)",
        "examples since the drift", "prequential accuracy % (rolling 50)");
    for (int r = 0; r < runs.size(); r++) {
      double[] sum = new double[before + after];
      int[] count = new int[before + after];
      for (var e : stream.drifts().entrySet()) {
        double[] a = runs.get(r).accuracy().get(e.getKey());
        for (int t : e.getValue()) {
          for (int i = -before; i < after; i++) {
            if (t + i >= 50 && t + i < a.length) {
              sum[i + before] += mean(a, t + i - 50, t + i);
              count[i + before]++;
            }
          }
        }
      }
      List<double[]> points = new ArrayList<>();
      for (int i = 0; i < sum.length; i += 8) {
        if (count[i] > 0) {
          points.add(new double[] {i - before, 100 * sum[i] / count[i]});
        }
      }
      XYSeries s = c.addSeries(label(runs.get(r)), points.stream().mapToDouble(p -> p[0]).toArray(),
          points.stream().mapToDouble(p -> p[1]).toArray());
      s.setMarker(SeriesMarkers.NONE);
      s.setLineColor(COLORS[r % COLORS.length]);
    }
    return c;
  }

  private static String label(Run run) {
    return run.name().equals("koala") ? "KOALA (untuned)" : run.name();
  }

  private static double min(double[] v) {
    double m = Double.POSITIVE_INFINITY;
    for (double x : v) {
      m = Math.min(m, x);
    }
    return Double.isFinite(m) ? m : 0;
  }

  private static double max(double[] v) {
    double m = Double.NEGATIVE_INFINITY;
    for (double x : v) {
      m = Math.max(m, x);
    }
    return Double.isFinite(m) ? m : 1;
  }

  /** Lays the charts out in a grid and writes one PNG. */
  private static void grid(Path file, List<XYChart> charts, int columns) throws IOException {
    List<BufferedImage> images = new ArrayList<>();
    for (XYChart c : charts) {
      images.add(BitmapEncoder.getBufferedImage(c));
    }
    int w = images.get(0).getWidth();
    int h = images.get(0).getHeight();
    int rows = (images.size() + columns - 1) / columns;
    BufferedImage all = new BufferedImage(w * Math.min(columns, images.size()), h * rows,
        BufferedImage.TYPE_INT_RGB);
    Graphics2D g = all.createGraphics();
    g.setColor(Color.WHITE);
    g.fillRect(0, 0, all.getWidth(), all.getHeight());
    for (int i = 0; i < images.size(); i++) {
      g.drawImage(images.get(i), (i % columns) * w, (i / columns) * h, null);
    }
    g.dispose();
    ImageIO.write(all, "png", file.toFile());
  }

  // ---- text ----

  private static String pct(double v) {
    return Double.isNaN(v) ? "-" : String.format("%.1f %%", 100 * v);
  }

  private static String summary(DemoStream stream, OutputMonitor monitor, double seconds,
      Stats koala, Stats sgd, Stats adam, Detection d, long mismatches,
      DemoCommand.Options options) {
    StringBuilder s = new StringBuilder();
    s.append(String.format("Summary: %d keys, %,d examples trained in %.1f s (%,.0f examples/s "
            + "through Kafka and Flink, paced at %s)%n", stream.byKey().size(), monitor.examples(),
        seconds, monitor.examples() / seconds,
        options.rate() == 0 ? "full speed" : String.format("%,d events/s", options.rate())));
    s.append(String.format("  %-44s %9s %12s %22s%n", "optimizer", "accuracy",
        "after drift", "recovery (examples)"));
    for (Stats st : List.of(koala, sgd, adam)) {
      s.append(String.format("  %-44s %9s %12s %22s%n", st.name(), pct(st.accuracy()),
          pct(st.afterDrift()), (Double.isNaN(st.recovery()) ? "-" : String.format("%,.0f",
              st.recovery())) + (st.notRecovered() > 0 ? " (" + st.notRecovered() + " never)" : "")));
    }
    s.append(String.format("  drift events: %d of %d true drifts detected within %d examples "
            + "(median delay %s examples), %d false alarms%n", d.detected(), d.trueDrifts(),
        DETECTION_WINDOW, Double.isNaN(d.medianDelay()) ? "-" : String.format("%.0f", d.medianDelay()),
        d.falseAlarms()));
    double variance = monitor.meanVariance();
    s.append(String.format("  predictions answered: %d of %d (%s); dead letters: %d of %d bad "
            + "records %s%n", monitor.predictions(), stream.requests(), Double.isNaN(variance)
            ? "no predictive variance: this optimizer keeps no covariance"
            : String.format("mean predictive variance %.3g", variance),
        monitor.deadLetterReasons().size(), stream.badRecords(), monitor.deadLetterReasons()));
    s.append(mismatches == 0
        ? "  an in-process replay of every key through the same trainer reproduces the job's metrics bit for bit"
        : "  WARNING: an in-process replay differs from the job's metrics in " + mismatches + " examples");
    return s.toString();
  }

  private static String html(String summary, DemoStream stream, Stats koala, Stats sgd, Stats adam,
      Detection d, long mismatches, OutputMonitor monitor, Run run) {
    StringBuilder rows = new StringBuilder();
    for (Stats st : List.of(koala, sgd, adam)) {
      rows.append("<tr><td>").append(esc(st.name())).append("</td><td>").append(pct(st.accuracy()))
          .append("</td><td>").append(pct(st.afterDrift())).append("</td><td>")
          .append(Double.isNaN(st.recovery()) ? "-" : String.format("%,.0f", st.recovery()))
          .append(st.notRecovered() > 0 ? " (" + st.notRecovered() + " never)" : "")
          .append("</td></tr>\n");
    }
    StringBuilder keys = new StringBuilder();
    Map<String, List<OutputMonitor.Metric>> metrics = monitor.metrics();
    Map<String, Long> versions = new TreeMap<>(monitor.finalVersions());
    for (String key : stream.byKey().keySet()) {
      List<Integer> alarms = new ArrayList<>();
      long seen = 0;
      for (OutputMonitor.Metric m : metrics.getOrDefault(key, List.of())) {
        seen += m.examples();
        if (m.drift()) {
          alarms.add((int) seen);
        }
      }
      keys.append("<tr><td>").append(esc(key)).append("</td><td>")
          .append(stream.byKey().get(key).size()).append("</td><td>")
          .append(pct(mean(run.accuracy().get(key), 0, Integer.MAX_VALUE))).append("</td><td>")
          .append(stream.drifts().get(key)).append("</td><td>").append(alarms).append("</td><td>")
          .append(versions.getOrDefault(key, -1L)).append("</td></tr>\n");
    }
    return """
        <!DOCTYPE html>
        <html><head><meta charset="utf-8"><title>KOALA demo report</title>
        <style>body{font-family:sans-serif;max-width:1320px;margin:2em auto;color:#222}
        table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #ccc;padding:4px 10px;
        text-align:right}td:first-child,th:first-child{text-align:left}img{max-width:100%%}
        pre{background:#f6f6f6;padding:1em;white-space:pre-wrap}</style></head><body>
        <h1>KOALA demo report</h1>
        <p>%d tenants, each a linear concept over 3 features (5 %% label noise) that is redrawn
        at two abrupt drifts at the tenant's own times, replayed into Kafka and trained by the
        KOALA job in Flink, one model per tenant, test-then-train: %s. SGD and Adam ran in-process
        through the same trainer on the same streams, each at the best of 5 learning rates chosen
        with hindsight on this stream.</p>
        <h2>Summary</h2>
        <table><tr><th>optimizer</th><th>prequential accuracy</th><th>accuracy in the %d
        examples after a drift</th><th>examples to recover within 1 point</th></tr>
        %s</table>
        <p>Drift events: %d of %d true drifts detected within %d examples (median delay %s
        examples), %d false alarms. %s</p>
        <pre>%s</pre>
        <h2>Prequential accuracy per tenant, with true drifts and drift events</h2>
        <img src="accuracy.png" alt="accuracy">
        <h2>Prequential loss</h2>
        <img src="loss.png" alt="loss">
        <h2>Kalman state: Q_k, covariance and R_k</h2>
        <p>Q_k rises on the surprise after a drift, which raises the covariance and with it the
        gain: the model learns the new concept fast, then Q_k decays and the gain anneals.</p>
        <img src="noise.png" alt="noise">
        <h2>KOALA beside SGD and Adam</h2>
        <img src="baselines.png" alt="baselines">
        <h2>Per tenant</h2>
        <table><tr><th>key</th><th>examples</th><th>accuracy</th><th>true drifts (example)</th>
        <th>drift events (example)</th><th>last model version in Kafka</th></tr>
        %s</table>
        </body></html>
        """.formatted(stream.byKey().size(), esc(koala.name()), DRIFT_WINDOW, rows, d.detected(),
        d.trueDrifts(), DETECTION_WINDOW, Double.isNaN(d.medianDelay()) ? "-" : String.format("%.0f", d.medianDelay()),
        d.falseAlarms(), mismatches == 0 ? "The in-process replay reproduced the job's metrics bit "
            + "for bit." : "The in-process replay differs in " + mismatches + " examples.",
        esc(summary), keys);
  }

  private static String esc(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
  }
}
