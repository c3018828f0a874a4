package io.koala.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class WindowedMeanTest {

  @Test
  void getValue_beforeAnyValue_isNaN() {
    assertThat(new WindowedMean(3).getValue()).isNaN();
  }

  @Test
  void getValue_overMoreValuesThanTheWindow_isTheMeanOfTheLatest() {
    WindowedMean mean = new WindowedMean(3);
    for (double v : new double[] {10, 1, 2, 3}) {
      mean.record(v);
    }
    assertThat(mean.getValue()).isEqualTo(2.0);
  }

  @Test
  void record_nonFiniteValue_isSkipped() {
    WindowedMean mean = new WindowedMean(2);
    mean.record(4);
    mean.record(Double.NaN);
    mean.record(Double.POSITIVE_INFINITY);
    assertThat(mean.getValue()).isEqualTo(4.0);
  }

  @Test
  void constructor_emptyWindow_isRefused() {
    assertThatThrownBy(() -> new WindowedMean(0)).hasMessageContaining("window");
  }
}
