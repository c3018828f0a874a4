package io.koala.connectors.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class KafkaSettingsTest {

  @Test
  void clientProperties_passThrough_butNeverPrint() {
    Properties secret = new Properties();
    secret.setProperty("sasl.jaas.config",
        "org.apache.kafka.common.security.plain.PlainLoginModule required password=\"hunter2\";");
    secret.setProperty("ssl.truststore.password", "changeit");
    KafkaSettings settings = new KafkaSettings("localhost:9092", List.of("events"), null, "g",
        "earliest", false, secret);
    assertThat(settings.clientProperties()).containsEntry("ssl.truststore.password", "changeit");
    assertThat(settings.toString()).doesNotContain("hunter2").doesNotContain("changeit")
        .contains("2 hidden");
  }

  @Test
  void topicsOrPattern_andOffsets_areValidatedNamingTheKey() {
    assertThatThrownBy(() -> new KafkaSettings("b:1", List.of(), null, "g", "earliest", false, null))
        .hasMessageContaining("koala.kafka.input-topics");
    assertThatThrownBy(() -> new KafkaSettings("b:1", List.of("t"), "t.*", "g", "earliest", false, null))
        .hasMessageContaining("koala.kafka.input-pattern");
    assertThatThrownBy(() -> new KafkaSettings("b:1", List.of("t"), null, "g", "oldest", false, null))
        .hasMessageContaining("koala.kafka.starting-offsets");
    assertThatThrownBy(() -> new KafkaSettings(" ", List.of("t"), null, "g", "earliest", false, null))
        .hasMessageContaining("koala.kafka.bootstrap-servers");
  }
}
