package io.koala.job.demo;

import static io.koala.job.demo.ReportStats.DRIFT_WINDOW;
import static io.koala.job.demo.ReportStats.RECOVERY_WINDOW;

import io.koala.connectors.TrainingMetrics;
import io.koala.evaluation.DriftScore;
import io.koala.job.demo.ReportStats.Run;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;
import javax.imageio.ImageIO;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * The report's PNG plots (XChart): learning curves, the Kalman state, baselines; true drifts
 * dashed.
 */
final class ReportCharts {

  private ReportCharts() {}

  private static final Color[] COLORS = {
    new Color(31, 119, 180), new Color(255, 127, 14), new Color(44, 160, 44)
  };

  /**
   * Mean of the trailing {@code window} values (at most all of them) at every {@code step}-th
   * position.
   */
  private static double[][] rolling(double[] v, int window, int step, double scale) {
    window = Math.max(1, Math.min(window, v.length));
    List<double[]> points = new ArrayList<>();
    for (int i = window; i <= v.length; i += step) {
      points.add(new double[] {i, scale * DriftScore.mean(v, i - window, i)});
    }
    double[][] xy = new double[2][points.size()];
    for (int i = 0; i < points.size(); i++) {
      xy[0][i] = points.get(i)[0];
      xy[1][i] = points.get(i)[1];
    }
    return xy;
  }

  private static XYChart chart(String title, String x, String y) {
    XYChart c =
        new XYChartBuilder()
            .width(640)
            .height(380)
            .title(title)
            .xAxisTitle(x)
            .yAxisTitle(y)
            .build();
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
    for (int t : drifts == null ? List.<Integer>of() : drifts) {
      XYSeries s =
          c.addSeries(
              "true drift" + (first ? "" : " " + t), new double[] {t, t}, new double[] {low, high});
      s.setLineColor(Color.GRAY);
      s.setLineStyle(
          new BasicStroke(
              1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10, new float[] {6, 4}, 0));
      s.setMarker(SeriesMarkers.NONE);
      s.setShowInLegend(first);
      first = false;
    }
  }

  /**
   * One key's rolling learning curve ({@code model} names the series), its true drifts (none when
   * unknown) and its drift events as red triangles.
   */
  static XYChart perKey(
      String key,
      String what,
      String model,
      double[] perExample,
      double scale,
      List<Integer> trueDrifts,
      List<Integer> alarms,
      int batch) {
    XYChart c = chart(key + ": " + what, "examples of this key", what);
    // Short keys (a small backfill) get a shorter window and finer steps, so they still draw a
    // curve.
    int window = Math.min(RECOVERY_WINDOW, Math.max(1, perExample.length / 5));
    int step = Math.max(1, Math.min(batch, perExample.length / 50));
    double[][] xy = rolling(perExample, window, step, scale);
    XYSeries s = c.addSeries(model + " (rolling " + window + " examples)", xy[0], xy[1]);
    s.setMarker(SeriesMarkers.NONE);
    s.setLineColor(COLORS[0]);
    double low = min(xy[1]);
    double high = max(xy[1]);
    driftLines(c, trueDrifts, low, high);
    if (!alarms.isEmpty()) {
      double[] x = alarms.stream().mapToDouble(Integer::doubleValue).toArray();
      double[] y = new double[x.length];
      Arrays.fill(y, high);
      XYSeries events = c.addSeries("drift event (Q_k alarm)", x, y);
      events.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
      events.setMarker(SeriesMarkers.TRIANGLE_DOWN);
      events.setMarkerColor(Color.RED);
    }
    c.getStyler().setMarkerSize(9);
    return c;
  }

  /** One field of one key's Kalman state after each batch, on a log scale. */
  static XYChart noise(
      String key,
      String what,
      List<TrainingMetrics> metrics,
      ToDoubleFunction<TrainingMetrics> field,
      List<Integer> trueDrifts) {
    XYChart c = chart(key + ": " + what, "examples of this key", what + " (log scale)");
    List<double[]> points = new ArrayList<>();
    long seen = 0;
    for (TrainingMetrics m : metrics) {
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
    driftLines(c, trueDrifts, min(y), max(y));
    c.getStyler().setLegendVisible(false);
    return c;
  }

  /** Q_k, the covariance and R_k of one key, side by side. */
  static List<XYChart> kalmanState(
      String key, List<TrainingMetrics> metrics, List<Integer> trueDrifts) {
    return List.of(
        noise(key, "process noise Q_k", metrics, TrainingMetrics::processNoise, trueDrifts),
        noise(key, "covariance p_k", metrics, TrainingMetrics::covariance, trueDrifts),
        noise(
            key, "measurement noise R_k", metrics, TrainingMetrics::measurementNoise, trueDrifts));
  }

  static XYChart compare(String key, List<Run> runs, List<Integer> trueDrifts) {
    XYChart c =
        chart(
            key + ": KOALA beside tuned SGD and Adam",
            "examples of this key",
            "prequential accuracy % (rolling " + RECOVERY_WINDOW + ")");
    double low = 100;
    double high = 0;
    for (int i = 0; i < runs.size(); i++) {
      double[][] xy = rolling(runs.get(i).accuracy(key), RECOVERY_WINDOW, 8, 100);
      XYSeries s = c.addSeries(label(runs.get(i)), xy[0], xy[1]);
      s.setMarker(SeriesMarkers.NONE);
      s.setLineColor(COLORS[i % COLORS.length]);
      low = Math.min(low, min(xy[1]));
      high = Math.max(high, max(xy[1]));
    }
    driftLines(c, trueDrifts, low, high);
    return c;
  }

  /**
   * Every true drift of every key aligned at 0: the mean accuracy around a drift; no series when
   * the streams are too short for the rolling window.
   */
  static XYChart aroundDrift(List<Run> runs, Map<String, List<Integer>> drifts) {
    int before = DRIFT_WINDOW;
    int after = 3 * DRIFT_WINDOW;
    XYChart c =
        chart(
            "all keys: accuracy around a drift (mean over "
                + drifts.values().stream().mapToInt(List::size).sum()
                + " drifts)",
            "examples since the drift",
            "prequential accuracy % (rolling 50)");
    for (int r = 0; r < runs.size(); r++) {
      double[] sum = new double[before + after];
      int[] count = new int[before + after];
      for (var e : drifts.entrySet()) {
        double[] a = runs.get(r).accuracy(e.getKey());
        for (int t : e.getValue()) {
          for (int i = -before; i < after; i++) {
            if (t + i >= 50 && t + i < a.length) {
              sum[i + before] += DriftScore.mean(a, t + i - 50, t + i);
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
      if (points.isEmpty()) {
        continue; // Every stream is shorter than the rolling window: nothing to draw.
      }
      XYSeries s =
          c.addSeries(
              label(runs.get(r)),
              points.stream().mapToDouble(p -> p[0]).toArray(),
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
  static void grid(Path file, List<XYChart> charts, int columns) throws IOException {
    List<BufferedImage> images = new ArrayList<>();
    for (XYChart c : charts) {
      images.add(BitmapEncoder.getBufferedImage(c));
    }
    int w = images.get(0).getWidth();
    int h = images.get(0).getHeight();
    int rows = (images.size() + columns - 1) / columns;
    BufferedImage all =
        new BufferedImage(
            w * Math.min(columns, images.size()), h * rows, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = all.createGraphics();
    g.setColor(Color.WHITE);
    g.fillRect(0, 0, all.getWidth(), all.getHeight());
    for (int i = 0; i < images.size(); i++) {
      g.drawImage(images.get(i), (i % columns) * w, (i / columns) * h, null);
    }
    g.dispose();
    ImageIO.write(all, "png", file.toFile());
  }
}
