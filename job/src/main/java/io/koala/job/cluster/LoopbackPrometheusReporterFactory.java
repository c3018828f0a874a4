package io.koala.job.cluster;

import java.nio.file.Path;
import java.util.Properties;
import org.apache.flink.metrics.reporter.MetricReporter;
import org.apache.flink.metrics.reporter.MetricReporterFactory;
import org.apache.flink.util.NetUtils;

/**
 * Creates {@link LoopbackPrometheusReporter}s. On the cluster's class path (not in the job jar):
 *
 * <pre>{@code
 * metrics.reporter.prom.factory.class: io.koala.job.cluster.LoopbackPrometheusReporterFactory
 * metrics.reporter.prom.host: 127.0.0.1        # the default
 * metrics.reporter.prom.port: 9250-9260        # a port or a range, as Flink's reporter
 * metrics.reporter.prom.announce-dir: /dir     # optional: writes <pid>.port there
 * }</pre>
 */
public final class LoopbackPrometheusReporterFactory implements MetricReporterFactory {

  static final String HOST = "host";
  static final String PORT = "port";
  static final String ANNOUNCE_DIR = "announce-dir";

  @Override
  public MetricReporter createMetricReporter(Properties properties) {
    String host = properties.getProperty(HOST, "127.0.0.1");
    String ports = properties.getProperty(PORT, "9249");
    String announce = properties.getProperty(ANNOUNCE_DIR);
    return new LoopbackPrometheusReporter(
        host,
        NetUtils.getPortRangeFromString(ports),
        announce == null || announce.isBlank() ? null : Path.of(announce));
  }
}
