package io.koala.connectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.assertj.core.api.recursive.comparison.RecursiveComparisonConfiguration;
import org.junit.jupiter.api.Test;

class JsonOutputReaderTest {

  private static final long NO_TS = TrainingEvent.NO_TIMESTAMP;

  /** Field by field, arrays element by element, doubles bit for bit (NaN equals NaN). */
  private static final RecursiveComparisonConfiguration EXACT =
      RecursiveComparisonConfiguration.builder()
          .withEqualsForType((a, b) -> Double.compare(a, b) == 0, Double.class)
          .build();

  @Test
  void metrics_roundTrip_withAndWithoutNaNsAndTimestamp() {
    for (TrainingMetrics m :
        new TrainingMetrics[] {
          new TrainingMetrics("k", 3, 8, 0.25, 0.875, 0.5, 0.1, 1e-5, 0.02, true, false, 1234),
          new TrainingMetrics(
              "k",
              4,
              1,
              1.5,
              Double.NaN,
              Double.NaN,
              Double.NaN,
              Double.NaN,
              Double.NaN,
              false,
              true,
              NO_TS)
        }) {
      assertThat(JsonOutputReader.metrics(JsonOutput.encode(m))).isEqualTo(m);
    }
  }

  @Test
  void snapshot_roundTrip_paramsAndStateIncludingNaN() {
    ModelSnapshot s =
        new ModelSnapshot(
            "key-1",
            7,
            56,
            "koala-v",
            "logistic",
            new double[] {0.5, -1.25, Double.NaN, 3e-9},
            0.03,
            Double.NaN,
            1e-4,
            NO_TS);
    ModelSnapshot back = JsonOutputReader.snapshot(JsonOutput.encode(s));
    assertThat(back.params()).containsExactly(s.params());
    assertThat(back).usingRecursiveComparison(EXACT).isEqualTo(s);
    ModelSnapshot timed =
        new ModelSnapshot(
            "k", 1, 1, "sgd", "linear", new double[0], Double.NaN, Double.NaN, Double.NaN, 99);
    assertThat(JsonOutputReader.snapshot(JsonOutput.encode(timed)))
        .usingRecursiveComparison(EXACT)
        .isEqualTo(timed);
  }

  @Test
  void prediction_roundTrip_nullIdAbsentScoresAndProbability() {
    PredictionResult plain = new PredictionResult("k", null, 2.5, null, Double.NaN, Double.NaN, 4);
    PredictionResult classifier = new PredictionResult("k", "request-1", 1, null, 0.75, 0.01, 9);
    PredictionResult softmax =
        new PredictionResult(
            "k",
            "r",
            2,
            new double[] {0.1, 0.2, 0.7},
            Double.NaN,
            0.5,
            new double[] {0.4, 0.45, 0.5},
            10);
    for (PredictionResult p : new PredictionResult[] {plain, classifier, softmax}) {
      assertThat(JsonOutputReader.prediction(JsonOutput.encode(p)))
          .usingRecursiveComparison(EXACT)
          .isEqualTo(p);
    }
  }

  @Test
  void drift_roundTrip_withAndWithoutTimestamp() {
    for (DriftEvent d :
        new DriftEvent[] {
          new DriftEvent("k", 12, 3.5, 2.0, 77), new DriftEvent("k", 13, Double.NaN, 2.0, NO_TS)
        }) {
      assertThat(JsonOutputReader.drift(JsonOutput.encode(d))).isEqualTo(d);
    }
  }

  @Test
  void deadLetter_roundTrip_textAndBinaryPayloads() {
    DeadLetter text =
        new DeadLetter(
            "MALFORMED_JSON",
            "unexpected end",
            "file:3",
            "{\"key\": ".getBytes(StandardCharsets.UTF_8));
    DeadLetter binary =
        new DeadLetter(
            "INVALID_UTF8", "bad byte", null, new byte[] {(byte) 0xff, 0x00, (byte) 0xc3});
    for (DeadLetter d : new DeadLetter[] {text, binary}) {
      assertThat(JsonOutputReader.deadLetter(JsonOutput.encode(d)))
          .usingRecursiveComparison(EXACT)
          .isEqualTo(d);
    }
  }

  @Test
  void notARecord_throwsNamingTheLine() {
    assertThatThrownBy(() -> JsonOutputReader.metrics("[1, 2]"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("[1, 2]");
    assertThatThrownBy(() -> JsonOutputReader.drift("{\"key\""))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
