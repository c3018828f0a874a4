package io.koala.job.demo;

import static io.koala.job.demo.ReportStats.DETECTION_WINDOW;
import static io.koala.job.demo.ReportStats.DRIFT_WINDOW;

import io.koala.evaluation.DriftScore;
import io.koala.job.demo.ReportStats.Stats;
import java.util.List;

/** The report's text: the summary and the {@code index.html} page around the plots. */
final class ReportPage {

  private ReportPage() {}

  private static final String HEAD =
      """
      <!DOCTYPE html>
      <html><head><meta charset="utf-8"><title>%s</title>
      <style>body{font-family:sans-serif;max-width:1320px;margin:2em auto;color:#222}
      table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #ccc;padding:4px 10px;
      text-align:right}td:first-child,th:first-child{text-align:left}img{max-width:100%%}
      pre{background:#f6f6f6;padding:1em;white-space:pre-wrap}</style></head><body>
      """;

  private static final String KALMAN =
      """
      <h2>Kalman state: Q_k, covariance and R_k</h2>
      <p>Q_k rises on the surprise after a drift, which raises the covariance and with it the
      gain: the model learns the new concept fast, then Q_k decays and the gain anneals.</p>
      <img src="noise.png" alt="noise">
      """;

  static String pct(double v) {
    return Double.isNaN(v) ? "-" : String.format("%.1f %%", 100 * v);
  }

  static String esc(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
  }

  /** One table row of cells, the first a name. */
  static String row(Object... cells) {
    StringBuilder s = new StringBuilder("<tr>");
    for (Object c : cells) {
      s.append("<td>").append(esc(String.valueOf(c))).append("</td>");
    }
    return s.append("</tr>\n").toString();
  }

  private static String recovery(Stats st) {
    return (Double.isNaN(st.recovery()) ? "-" : String.format("%,.0f", st.recovery()))
        + (st.notRecovered() > 0 ? " (" + st.notRecovered() + " never)" : "");
  }

  private static String median(DriftScore.Detection d) {
    return Double.isNaN(d.medianDelay()) ? "-" : String.format("%.0f", d.medianDelay());
  }

  /** What the demo measured, as the text it prints and the page shows. */
  record DemoSummary(
      int keys,
      long examples,
      double seconds,
      int rate,
      List<Stats> stats,
      DriftScore.Detection detection,
      long predictions,
      int requests,
      double meanVariance,
      List<String> deadLetters,
      int badRecords,
      long mismatches,
      int compared,
      String state) {}

  static String summary(DemoSummary d) {
    StringBuilder s = new StringBuilder();
    s.append(
        String.format(
            "Summary: %,d keys, %,d examples trained in %.1f s (%,.0f examples/s "
                + "through Kafka and Flink, paced at %s)%n",
            d.keys(),
            d.examples(),
            d.seconds(),
            d.examples() / d.seconds(),
            d.rate() == 0 ? "full speed" : String.format("%,d events/s", d.rate())));
    s.append(
        String.format(
            "  %-44s %9s %12s %22s%n",
            "optimizer", "accuracy", "after drift", "recovery (examples)"));
    for (Stats st : d.stats()) {
      s.append(
          String.format(
              "  %-44s %9s %12s %22s%n",
              st.name(), pct(st.accuracy()), pct(st.afterDrift()), recovery(st)));
    }
    DriftScore.Detection det = d.detection();
    s.append(
        String.format(
            "  drift events: %d of %d true drifts detected within %d examples "
                + "(median delay %s examples), %d false alarms%n",
            det.detected(), det.trueDrifts(), DETECTION_WINDOW, median(det), det.falseAlarms()));
    s.append(
        String.format(
            "  predictions answered: %d of %d (%s); dead letters: %d of %d bad " + "records %s%n",
            d.predictions(),
            d.requests(),
            Double.isNaN(d.meanVariance())
                ? "no predictive variance: this optimizer keeps no covariance"
                : String.format("mean predictive variance %.3g", d.meanVariance()),
            d.deadLetters().size(),
            d.badRecords(),
            d.deadLetters()));
    s.append(
        d.mismatches() == 0
            ? "  an in-process replay of every "
                + (d.compared() < d.keys() ? "compared " : "")
                + "key through the same trainer reproduces the job's metrics bit for bit"
            : "  WARNING: an in-process replay differs from the job's metrics in "
                + d.mismatches()
                + " examples");
    if (d.compared() < d.keys()) {
      s.append(String.format("%n  %s", sampled(d)));
    }
    s.append(String.format("%n%s", d.state()));
    return s.toString();
  }

  /** What a run over more keys than the report replays compares, in one sentence. */
  private static String sampled(DemoSummary d) {
    return String.format(
        "compared on %,d of %,d keys, evenly spaced (the optimizers, drift events, replay check "
            + "and per-tenant table); the counts and the state cover every key",
        d.compared(), d.keys());
  }

  private static String capitalised(String s) {
    return s.isEmpty() ? s : Character.toUpperCase(s.charAt(0)) + s.substring(1);
  }

  /** The demo's page; {@code keyRows} is the per-tenant table's body. */
  static String demo(String summary, DemoSummary d, String keyRows) {
    StringBuilder rows = new StringBuilder();
    for (Stats st : d.stats()) {
      rows.append("<tr><td>")
          .append(esc(st.name()))
          .append("</td><td>")
          .append(pct(st.accuracy()))
          .append("</td><td>")
          .append(pct(st.afterDrift()))
          .append("</td><td>")
          .append(recovery(st))
          .append("</td></tr>\n");
    }
    DriftScore.Detection det = d.detection();
    return HEAD.formatted("KOALA demo report")
        + """
        <h1>KOALA demo report</h1>
        <p>%,d tenants, each a linear concept over 3 features (5 %% label noise) that is redrawn
        at two abrupt drifts at the tenant's own times, replayed into Kafka and trained by the
        KOALA job in Flink, one model per tenant, test-then-train: %s. SGD and Adam ran in-process
        through the same trainer on the same streams, each at the best of 5 learning rates chosen
        with hindsight on this stream.%s</p>
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
        """
            .formatted(
                d.keys(),
                esc(d.stats().get(0).name()),
                d.compared() < d.keys() ? " " + esc(capitalised(sampled(d))) + "." : "",
                DRIFT_WINDOW,
                rows,
                det.detected(),
                det.trueDrifts(),
                DETECTION_WINDOW,
                median(det),
                det.falseAlarms(),
                d.mismatches() == 0
                    ? "The in-process replay reproduced the job's metrics bit " + "for bit."
                    : "The in-process replay differs in " + d.mismatches() + " examples.",
                esc(summary))
        + KALMAN
        + """
        <h2>KOALA beside SGD and Adam</h2>
        <img src="baselines.png" alt="baselines">
        <h2>State</h2>
        <p>%s.</p>
        <h2>Per tenant</h2>
        <table><tr><th>key</th><th>examples</th><th>accuracy</th><th>true drifts (example)</th>
        <th>drift events (example)</th><th>last model version in Kafka</th></tr>
        %s</table>
        </body></html>
        """
            .formatted(esc(capitalised(d.state().strip())), keyRows);
  }

  /**
   * The page of a {@code koala train} output directory: {@code summaryRows} and {@code keyRows} are
   * the bodies of the summary and the per-key tables.
   */
  static String training(String source, String summaryRows, String shownKeys, String keyRows) {
    return HEAD.formatted("KOALA training report")
        + """
        <h1>KOALA training report</h1>
        <p>The outputs of <code>koala train</code> in <code>%s</code>, prequential
        (test-then-train): each batch is scored before the model learns from it.</p>
        <h2>Summary</h2>
        <table>
        %s</table>
        <h2>Prequential accuracy per key, with drift events (%s)</h2>
        <img src="accuracy.png" alt="accuracy">
        <h2>Prequential loss</h2>
        <img src="loss.png" alt="loss">
        """
            .formatted(esc(source), summaryRows, esc(shownKeys))
        + KALMAN
        + """
        <h2>Per key</h2>
        <table><tr><th>key</th><th>examples</th><th>accuracy</th><th>loss</th>
        <th>drift events (example)</th><th>rejected batches</th><th>last model version</th></tr>
        %s</table>
        </body></html>
        """
            .formatted(keyRows);
  }
}
