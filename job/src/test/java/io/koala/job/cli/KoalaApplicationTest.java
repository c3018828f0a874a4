package io.koala.job.cli;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The application-mode entry fails the application, naming what is wrong, instead of exiting. */
class KoalaApplicationTest {

  @Test
  void main_withABadConfiguration_throwsNamingTheKey() {
    assertThatThrownBy(
            () ->
                KoalaApplication.main(
                    new String[] {
                      "train", "--koala.model.features", "3", "--koala.batch.size", "0"
                    }))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("koala.batch.size");
  }

  @Test
  void main_withoutTrain_throwsTheUsage() {
    assertThatThrownBy(() -> KoalaApplication.main(new String[] {"demo"}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("train --config FILE");
  }
}
