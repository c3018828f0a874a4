package io.koala.job.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LoopbackPrometheusReporterTest {

  @Test
  void createMetricReporter_servesOnLoopbackOnly_andAnnouncesItsPort(@TempDir Path dir)
      throws Exception {
    Properties p = new Properties();
    p.setProperty(LoopbackPrometheusReporterFactory.PORT, "0");
    p.setProperty(LoopbackPrometheusReporterFactory.ANNOUNCE_DIR, dir.toString());
    var reporter =
        (LoopbackPrometheusReporter)
            new LoopbackPrometheusReporterFactory().createMetricReporter(p);
    try {
      int port = reporter.port();
      assertThat(Files.readString(dir.resolve(ProcessHandle.current().pid() + ".port")))
          .isEqualTo(Integer.toString(port));
      HttpResponse<String> response =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics"))
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
      assertThat(response.statusCode()).isEqualTo(200);
      InetAddress other = nonLoopbackAddress();
      if (other != null) {
        assertThatThrownBy(
                () -> {
                  try (Socket s = new Socket()) {
                    s.connect(new InetSocketAddress(other, port), 2_000);
                  }
                })
            .isInstanceOf(IOException.class);
      }
    } finally {
      reporter.close();
    }
  }

  private static InetAddress nonLoopbackAddress() throws IOException {
    for (NetworkInterface nic : NetworkInterface.networkInterfaces().toList()) {
      for (InetAddress a : nic.inetAddresses().toList()) {
        if (!a.isLoopbackAddress() && a instanceof java.net.Inet4Address) {
          return a;
        }
      }
    }
    return null;
  }
}
