package io.koala.job;

import io.prometheus.client.Collector;
import io.prometheus.client.CollectorRegistry;
import java.lang.reflect.Field;
import java.util.Collections;
import java.util.Enumeration;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.flink.metrics.Metric;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.metrics.prometheus.AbstractPrometheusReporter;
import org.apache.flink.metrics.reporter.MetricReporter;
import org.apache.flink.metrics.reporter.MetricReporterFactory;

/**
 * Flink's own Prometheus reporter without its HTTP server (which would bind every interface): it
 * names every metric of a run as the endpoint would show it, and this keeps the names and label
 * names. Enabled in a test's MiniCluster with {@code metrics.reporter.names.factory.class}.
 */
public final class PrometheusNames extends AbstractPrometheusReporter {

  /** Sample names (e.g. flink_taskmanager_job_task_operator_koala_batches) seen in the run. */
  static final Set<String> NAMES = ConcurrentHashMap.newKeySet();

  /** Label names (e.g. subtask_index) seen on any sample. */
  static final Set<String> LABELS = ConcurrentHashMap.newKeySet();

  static final String FACTORY = Factory.class.getName();

  @Override
  public void notifyOfAddedMetric(Metric metric, String name, MetricGroup group) {
    super.notifyOfAddedMetric(metric, name, group);
    record();
  }

  @Override
  public void notifyOfRemovedMetric(Metric metric, String name, MetricGroup group) {
    record();
    super.notifyOfRemovedMetric(metric, name, group);
  }

  /** Reads every family of the reporter's registry, as a scrape would. */
  private void record() {
    Enumeration<Collector.MetricFamilySamples> families = registry().metricFamilySamples();
    for (Collector.MetricFamilySamples family : Collections.list(families)) {
      for (Collector.MetricFamilySamples.Sample sample : family.samples) {
        NAMES.add(sample.name);
        LABELS.addAll(sample.labelNames);
      }
    }
  }

  private CollectorRegistry registry() {
    try {
      Field field = AbstractPrometheusReporter.class.getDeclaredField("registry");
      field.setAccessible(true);
      return (CollectorRegistry) field.get(this);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Found by Flink through META-INF/services (test resources). */
  public static final class Factory implements MetricReporterFactory {
    @Override
    public MetricReporter createMetricReporter(Properties properties) {
      return new PrometheusNames();
    }
  }
}
