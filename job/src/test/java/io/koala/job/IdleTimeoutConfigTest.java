package io.koala.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.koala.job.KoalaChoices.IdleTime;
import java.time.Duration;
import org.apache.flink.configuration.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class IdleTimeoutConfigTest {

  private static Configuration conf(String... pairs) {
    Configuration conf = new Configuration();
    conf.setString("koala.model.features", "4");
    for (int i = 0; i + 1 < pairs.length; i += 2) {
      conf.setString(pairs[i], pairs[i + 1]);
    }
    return conf;
  }

  @Test
  void unset_keysLiveForever_andNoWatermarksAreMade() {
    JobConfig config = JobConfig.of(conf());
    assertThat(config.idleTimeout()).isNull();
    assertThat(config.watermarks()).isFalse();
    assertThat(TrainingSettings.of(config).idleTimeout()).isNull();
  }

  @Test
  void eventTime_turnsOnTheWatermarks_andReachesTheOperator() {
    JobConfig config =
        JobConfig.of(
            conf("koala.model.idle-timeout", "30 d", "koala.model.idle-timeout.time", "event"));
    assertThat(config.watermarks()).isTrue();
    TrainingSettings settings = TrainingSettings.of(config);
    assertThat(settings.idleTimeout()).isEqualTo(Duration.ofDays(30));
    assertThat(settings.idleTime()).isEqualTo(IdleTime.EVENT);
    assertThat(JobConfig.of(conf("koala.model.idle-timeout", "1 h")).watermarks()).isFalse();
  }

  @ParameterizedTest(name = "{0} = {1}")
  @CsvSource({
    "koala.model.idle-timeout, 0 ms, koala.model.idle-timeout must be at least 1 ms",
    "koala.model.idle-timeout, soon, koala.model.idle-timeout",
    "koala.model.idle-timeout.time, event, koala.model.idle-timeout.time is set but",
  })
  void badValue_failsAtStart_namingItsKey(String key, String value, String message) {
    assertThatThrownBy(() -> JobConfig.of(conf(key, value)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(message);
  }

  @Test
  void unknownClock_namesTheAllowedOnes() {
    assertThatThrownBy(
            () ->
                JobConfig.of(
                    conf(
                        "koala.model.idle-timeout",
                        "1 h",
                        "koala.model.idle-timeout.time",
                        "wall")))
        .hasMessageContaining("koala.model.idle-timeout.time")
        .hasMessageContaining("processing")
        .hasMessageContaining("event");
  }
}
