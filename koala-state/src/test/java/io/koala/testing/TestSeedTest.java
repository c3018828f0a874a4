package io.koala.testing;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TestSeedTest {

  @Test
  void next_withTheProperty_replaysThatSeed() {
    String before = System.getProperty(TestSeed.PROPERTY);
    try {
      System.setProperty(TestSeed.PROPERTY, "1234");
      assertThat(TestSeed.next()).isEqualTo(1234L);
      assertThat(TestSeed.replay()).isEqualTo("-Dkoala.test.seed=1234");
    } finally {
      if (before == null) {
        System.clearProperty(TestSeed.PROPERTY);
      } else {
        System.setProperty(TestSeed.PROPERTY, before);
      }
    }
  }

  @Test
  void printer_addsTheReplayToTheFailure() {
    String before = System.getProperty(TestSeed.PROPERTY);
    System.clearProperty(TestSeed.PROPERTY);
    try {
      long seed = TestSeed.next();
      AssertionError failure = new AssertionError("boom");
      assertThat(TestSeed.Printer.annotate("a test", failure)).isSameAs(failure);
      assertThat(failure.getSuppressed())
          .singleElement()
          .satisfies(s -> assertThat(s).hasMessage("replay with -Dkoala.test.seed=" + seed));
    } finally {
      if (before != null) {
        System.setProperty(TestSeed.PROPERTY, before);
      }
    }
  }
}
