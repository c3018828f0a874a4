package io.koala.job.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.util.List;
import org.junit.jupiter.api.Test;

class ClusterClasspathTest {

  private static final String M2 = "/home/u/.m2/repository/";

  @Test
  void filter_keepsFlinkAndLogging_dropsOurModulesKafkaAndTheBroker() {
    List<String> kept =
        List.of(
            M2 + "org/apache/flink/flink-runtime/2.2.1/flink-runtime-2.2.1.jar",
            M2 + "org/apache/flink/flink-connector-base/2.2.1/flink-connector-base-2.2.1.jar",
            M2
                + "org/apache/flink/flink-metrics-prometheus/2.2.1/flink-metrics-prometheus-2.2.1.jar",
            M2 + "org/apache/logging/log4j/log4j-core/2.24.3/log4j-core-2.24.3.jar",
            M2 + "org/slf4j/slf4j-api/1.7.36/slf4j-api-1.7.36.jar",
            // ND4J is the cluster's, as in an image's lib/: large MLPs use it on the TaskManagers.
            M2 + "org/nd4j/nd4j-api/1.0.0/nd4j-api-1.0.0.jar");
    List<String> dropped =
        List.of(
            "/src/koala/connectors/target/connectors-0.1.0-SNAPSHOT.jar",
            M2 + "io/koala/koala-state/0.1.0-SNAPSHOT/koala-state-0.1.0-SNAPSHOT.jar",
            M2
                + "org/apache/flink/flink-connector-kafka/5.0.0-2.2/flink-connector-kafka-5.0.0-2.2.jar",
            M2 + "org/apache/kafka/kafka-clients/4.2.0/kafka-clients-4.2.0.jar",
            M2 + "org/scala-lang/scala-library/2.13.17/scala-library-2.13.17.jar");
    String all =
        String.join(
            File.pathSeparator,
            java.util.stream.Stream.concat(kept.stream(), dropped.stream()).toList());
    assertThat(ClusterClasspath.filter(all)).containsExactlyElementsOf(kept);
  }
}
