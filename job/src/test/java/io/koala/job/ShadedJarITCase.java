package io.koala.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarFile;
import java.util.zip.ZipEntry;
import org.junit.jupiter.api.Test;

/** The jar for 'flink run' (built in package, checked in verify). */
class ShadedJarITCase {

  @Test
  void jobJar_hasOurCodeAndMainClass_andNoFlinkLoggingOrSignatures() throws Exception {
    Path jar = Path.of("target", "koala-job.jar");
    assertThat(jar).exists();
    try (JarFile file = new JarFile(jar.toFile())) {
      List<String> names =
          file.stream().map(ZipEntry::getName).filter(n -> !n.endsWith("/")).toList();
      assertThat(file.getManifest().getMainAttributes().getValue("Main-Class"))
          .isEqualTo(io.koala.job.cli.KoalaCommand.class.getName());
      assertThat(names)
          .contains(
              "io/koala/job/KoalaJob.class",
              "io/koala/job/cli/KoalaCommand.class",
              "org/apache/flink/connector/kafka/source/KafkaSource.class",
              "org/apache/kafka/clients/producer/KafkaProducer.class",
              "io/koala/optimizer/KoalaV.class",
              "io/koala/connectors/JsonEventDecoder.class");
      // Flink's Kafka connector is inside (clusters do not have it); Flink itself is not.
      assertThat(names)
          .noneMatch(
              n ->
                  n.startsWith("org/apache/flink/api/")
                      || n.startsWith("org/apache/flink/runtime/")
                      || n.startsWith("org/apache/flink/core/")
                      || n.startsWith("org/apache/flink/configuration/")
                      || n.startsWith("org/apache/flink/streaming/api/")
                      || n.startsWith("org/apache/flink/streaming/runtime/"))
          .noneMatch(n -> n.startsWith("org/apache/commons/lang3/"))
          .noneMatch(n -> n.startsWith("kafka/server/") || n.startsWith("scala/"))
          .noneMatch(n -> n.startsWith("org/apache/logging/") || n.startsWith("org/slf4j/"))
          .noneMatch(n -> n.startsWith("org/nd4j/") || n.startsWith("org/bytedeco/"))
          .noneMatch(n -> n.matches("META-INF/[^/]+\\.(SF|RSA|DSA|EC)"))
          // The local cluster's tooling is on the cluster's class path, not in the job.
          .noneMatch(n -> n.startsWith("io/koala/job/cluster/"))
          .noneMatch(n -> n.endsWith("org.apache.flink.metrics.reporter.MetricReporterFactory"));
    }
    // About 24 MB: the Kafka client and its compression codecs' native libraries (zstd, snappy,
    // lz4, for every platform) make most of it. Flink or ND4J inside would add hundreds of MB.
    assertThat(Files.size(jar)).isLessThan(40L << 20);
  }
}
