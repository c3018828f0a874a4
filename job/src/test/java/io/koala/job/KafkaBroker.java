package io.koala.job;

import io.koala.connectors.kafka.EmbeddedKafka;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A real embedded Kafka broker for one test class: started before its tests, closed (data folder
 * deleted) after them, whatever happened in between.
 *
 * <pre>{@code
 * @RegisterExtension static final MiniClusterExtension CLUSTER = KafkaBroker.miniCluster();
 * @RegisterExtension static final KafkaBroker BROKER = new KafkaBroker();
 * }</pre>
 */
final class KafkaBroker implements BeforeAllCallback, AfterAllCallback {

  private EmbeddedKafka kafka;

  /** The MiniCluster of the Kafka ITCases: one TaskManager with two slots (parallelism 2). */
  static MiniClusterExtension miniCluster() {
    return new MiniClusterExtension(
        new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1)
            .setNumberSlotsPerTaskManager(2)
            .build());
  }

  EmbeddedKafka kafka() {
    return kafka;
  }

  @Override
  public void beforeAll(ExtensionContext context) throws Exception {
    kafka = EmbeddedKafka.start();
  }

  @Override
  public void afterAll(ExtensionContext context) throws Exception {
    if (kafka != null) {
      kafka.close();
    }
  }
}
