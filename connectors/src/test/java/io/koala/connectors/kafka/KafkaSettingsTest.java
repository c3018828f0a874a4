package io.koala.connectors.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class KafkaSettingsTest {

  private static KafkaSettings.Builder valid() {
    return KafkaSettings.builder().bootstrapServers("b:1").topics(List.of("t"));
  }

  @Test
  void clientProperties_passThrough_butNeverPrint() {
    Properties secret = new Properties();
    secret.setProperty(
        "sasl.jaas.config",
        "org.apache.kafka.common.security.plain.PlainLoginModule required password=\"hunter2\";");
    secret.setProperty("ssl.truststore.password", "changeit");
    KafkaSettings settings =
        KafkaSettings.builder()
            .bootstrapServers("localhost:9092")
            .topics(List.of("events"))
            .groupId("g")
            .clientProperties(secret)
            .build();
    assertThat(settings.clientProperties()).containsEntry("ssl.truststore.password", "changeit");
    assertThat(settings.toString())
        .doesNotContain("hunter2")
        .doesNotContain("changeit")
        .contains("2 hidden");
  }

  @Test
  void build_defaults_earliestUnbounded() {
    KafkaSettings settings = valid().build();
    assertThat(settings.startingOffsets()).isEqualTo(StartingOffsets.EARLIEST);
    assertThat(settings.bounded()).isFalse();
    assertThat(settings.inputPattern()).isNull();
    assertThat(settings.inputTopics()).containsExactly("t");
  }

  @Test
  void build_topicsOrPattern_exactlyOne() {
    assertThatThrownBy(() -> valid().topics(List.of()).build())
        .hasMessageContaining("exactly one of input topics and an input topic pattern");
    assertThatThrownBy(() -> valid().topicPattern("t.*").build())
        .hasMessageContaining("exactly one of input topics and an input topic pattern");
    assertThat(valid().topics(List.of()).topicPattern("t.*").build().inputPattern())
        .isEqualTo("t.*");
  }

  @Test
  void build_badPatternOrServers_saysWhat() {
    assertThatThrownBy(() -> valid().topics(List.of()).topicPattern("t[").build())
        .hasMessageContaining("not a regular expression");
    assertThatThrownBy(() -> valid().bootstrapServers(" ").build())
        .hasMessageContaining("bootstrap servers are required");
    assertThatThrownBy(() -> valid().startingOffsets(null).build())
        .hasMessageContaining("starting offsets");
  }

  @Test
  void build_messagesNameNoJobKeys() {
    for (var bad :
        List.<Runnable>of(
            () -> valid().bootstrapServers(null).build(),
            () -> valid().topics(List.of()).build(),
            () -> valid().topics(List.of(" ")).build())) {
      assertThatThrownBy(bad::run)
          .isInstanceOf(IllegalArgumentException.class)
          .message()
          .doesNotContain("koala.");
    }
  }
}
