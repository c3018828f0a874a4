package io.koala.connectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.koala.connectors.Reject.Reason;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CsvEventDecoderTest {

  private static final List<String> HEADER =
      List.of("key", "temp", "wind", "rain", "label", "ts", "id");
  private static final CsvEventDecoder CSV =
      new CsvEventDecoder(
          new DecoderLimits(3, 3, List.of("dry", "wet", "storm"), null, 4096, 8, 4),
          HEADER,
          "label",
          "key",
          ',');

  private static Decoded decode(String line) {
    return CSV.decode(line.getBytes(StandardCharsets.UTF_8), "w.csv:2", null);
  }

  @Test
  void dataLine_decodesFeaturesInHeaderOrder_labelKeyTimeAndId() {
    Decoded d = decode("sensor-1,21.5,-3,0.25,wet,1700000000000,e-1");
    var e = (TrainingEvent.Labelled) d.event();
    assertThat(e.key()).isEqualTo("sensor-1");
    assertThat(e.example().features()).containsExactly(21.5, -3.0, 0.25);
    assertThat(e.example().label()).isEqualTo(1.0);
    assertThat(e.timestamp()).isEqualTo(1700000000000L);
    assertThat(((TrainingEvent.Labelled) decode("s,1,2,3,2,,").event()).example().label())
        .isEqualTo(2.0);
  }

  @Test
  void emptyLabel_isAPredictionRequest_andQuotesFollowRfc4180() {
    Decoded d = decode("\"sensor, \"\"north\"\"\",1,2,3,,,");
    assertThat(d.event().key()).isEqualTo("sensor, \"north\"");
    assertThat(d.event()).isInstanceOf(TrainingEvent.PredictionRequest.class);
    var request = (TrainingEvent.PredictionRequest) decode("s,1,2,3,,7,q-1").event();
    assertThat(request.id()).isEqualTo("q-1");
    assertThat(request.timestamp()).isEqualTo(7);
    assertThat(request.features()).containsExactly(1.0, 2.0, 3.0);
  }

  @ParameterizedTest(name = "{0}: {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "WRONG_COLUMN_COUNT | k,1,2,3,0,",
        "WRONG_COLUMN_COUNT | k,1,2,3,0,,,extra",
        "WRONG_COLUMN_COUNT | \"k,1,2,3,0,,",
        "WRONG_TYPE | k,1,two,3,0,,",
        "WRONG_TYPE | k,1,,3,0,,",
        "WRONG_TYPE | k,NaN,2,3,0,,",
        "WRONG_TYPE | k,0x1p3,2,3,0,,",
        "NON_FINITE_NUMBER | k,1e400,2,3,0,,",
        "LABEL_OUT_OF_RANGE | k,1,2,3,3,,",
        "INVALID_LABEL | k,1,2,3,1.5,,",
        "UNKNOWN_CLASS | k,1,2,3,hail,,",
        "MISSING_KEY | ,1,2,3,0,,",
        "INVALID_TIMESTAMP | k,1,2,3,0,soon,",
      })
  void badLine_isRejectedWithItsReason(Reason reason, String line) {
    Decoded d = decode(line);
    assertThat(d.ok()).as(line).isFalse();
    assertThat(d.reject().reason()).as(line).isEqualTo(reason);
  }

  @Test
  void headerThatDoesNotFitTheModel_failsSayingWhy() {
    var limits = new DecoderLimits(3, 0, List.of(), "d", 4096, 8, 4);
    assertThatThrownBy(() -> new CsvEventDecoder(limits, List.of("a", "b", "y"), "y", null, ','))
        .hasMessageContaining("feature columns, the model has");
    assertThatThrownBy(
            () -> new CsvEventDecoder(limits, List.of("a", "b", "c", "y"), "label", null, ','))
        .hasMessageContaining("the label column");
  }
}
