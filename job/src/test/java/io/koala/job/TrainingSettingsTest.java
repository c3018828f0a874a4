package io.koala.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.apache.flink.util.InstantiationUtil;
import org.junit.jupiter.api.Test;

class TrainingSettingsTest {

  @Test
  void of_takesWhatTheOperatorNeeds_andSurvivesJavaSerialization() throws Exception {
    JobConfig config = Fixtures.config("koala-m", "koala.batch.max-delay", "2 s");
    TrainingSettings settings = TrainingSettings.of(config);
    assertThat(settings.batchSize()).isEqualTo(4);
    assertThat(settings.snapshotEvery()).isEqualTo(2);
    assertThat(settings.maxDelay()).isEqualTo(Duration.ofSeconds(2));
    assertThat(settings.driftThreshold()).isEqualTo(config.driftThreshold());
    assertThat(settings.modelType()).isEqualTo("logistic");
    assertThat(settings.stateSerializer()).isEqualTo(config.stateSerializer());

    // Only what the operator needs travels: no JobConfig, no Flink Configuration inside.
    String shippedClasses =
        new String(
            InstantiationUtil.serializeObject(settings),
            java.nio.charset.StandardCharsets.ISO_8859_1);
    assertThat(shippedClasses)
        .contains("io.koala.job.TrainerSpec")
        .doesNotContain("io.koala.job.JobConfig")
        .doesNotContain("org.apache.flink.configuration.Configuration");

    TrainingSettings shipped = InstantiationUtil.clone(settings);
    assertThat(shipped.stateSerializer()).isEqualTo(config.stateSerializer());
    assertThat(shipped.trainers().create().optimizer().name())
        .isEqualTo(config.trainer().optimizer().name());
  }

  @Test
  void batchSizeAndSnapshotInterval_mustBePositive() {
    TrainingSettings valid = TrainingSettings.of(Fixtures.config("sgd"));
    assertThatThrownBy(
            () ->
                new TrainingSettings(
                    0, null, 1, 1, "linear", valid.stateSerializer(), valid.trainers()))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
