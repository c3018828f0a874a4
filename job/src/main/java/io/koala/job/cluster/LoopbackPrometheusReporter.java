package io.koala.job.cluster;

import io.prometheus.client.CollectorRegistry;
import io.prometheus.client.exporter.HTTPServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Field;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import org.apache.flink.metrics.prometheus.AbstractPrometheusReporter;

/**
 * Flink's Prometheus exporter on one interface: {@code PrometheusReporter} takes only a port and
 * binds every interface, this one binds {@code host} (127.0.0.1 by default) and otherwise exports
 * exactly what Flink's does (same metric names and labels, from the same base class).
 *
 * <p>The base class keeps its registry package-private; it is read once by reflection, so this
 * reporter must be re-checked when Flink's Prometheus module changes ({@code
 * LoopbackPrometheusReporterTest} does).
 */
public final class LoopbackPrometheusReporter extends AbstractPrometheusReporter {

  private final HTTPServer server;
  private final int port;

  /**
   * Serves on the first free port of {@code ports} at {@code host}; writes the port to {@code
   * announceDir/<pid>.port} when {@code announceDir} is not null, so a launcher can find it.
   */
  LoopbackPrometheusReporter(String host, Iterator<Integer> ports, Path announceDir) {
    CollectorRegistry registry = registry();
    IOException last = null;
    HTTPServer started = null;
    while (started == null && ports.hasNext()) {
      int candidate = ports.next();
      try {
        started = new HTTPServer(new InetSocketAddress(host, candidate), registry, true);
      } catch (IOException e) {
        last = e;
      }
    }
    if (started == null) {
      throw new IllegalStateException("no free port for the Prometheus endpoint on " + host, last);
    }
    server = started;
    port = started.getPort();
    System.out.println("Prometheus endpoint on http://" + host + ":" + port + "/metrics");
    if (announceDir != null) {
      announce(announceDir, port);
    }
  }

  int port() {
    return port;
  }

  private CollectorRegistry registry() {
    try {
      Field field = AbstractPrometheusReporter.class.getDeclaredField("registry");
      field.setAccessible(true);
      return (CollectorRegistry) field.get(this);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException(
          "Flink's AbstractPrometheusReporter has no 'registry' field any more", e);
    }
  }

  private static void announce(Path dir, int port) {
    try {
      Files.createDirectories(dir);
      Path file = dir.resolve(ProcessHandle.current().pid() + ".port");
      Path tmp = dir.resolve(ProcessHandle.current().pid() + ".port.tmp");
      Files.writeString(tmp, Integer.toString(port), StandardCharsets.US_ASCII);
      Files.move(tmp, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    server.stop();
    super.close();
  }
}
