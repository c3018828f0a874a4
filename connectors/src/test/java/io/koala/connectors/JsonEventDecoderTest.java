package io.koala.connectors;

import static org.assertj.core.api.Assertions.assertThat;

import io.koala.connectors.Reject.Reason;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class JsonEventDecoderTest {

  private static final JsonEventDecoder BINARY =
      new JsonEventDecoder(new DecoderLimits(3, 2, List.of(), "default", 4096, 8, 4));
  private static final JsonEventDecoder MULTICLASS =
      new JsonEventDecoder(
          new DecoderLimits(3, 3, List.of("red", "green", "blue"), null, 4096, 8, 4));

  private static Decoded decode(JsonEventDecoder decoder, String json) {
    return decoder.decode(json.getBytes(StandardCharsets.UTF_8), "test:1", null);
  }

  @Test
  void keyOverTheLimit_fromTheRecordOrFromKafka_isKeyTooLong_andAtTheLimitIsAccepted() {
    var decoder =
        new JsonEventDecoder(new DecoderLimits(3, 2, List.of(), "default", 4096, 8, 4, 8));
    String row = ",\"features\":[1,2,3],\"label\":1}";
    assertThat(decode(decoder, "{\"key\":\"12345678\"" + row).ok()).isTrue();
    Decoded tooLong = decode(decoder, "{\"key\":\"123456789\"" + row);
    assertThat(tooLong.ok()).isFalse();
    assertThat(tooLong.reject().reason()).isEqualTo(Reason.KEY_TOO_LONG);
    assertThat(tooLong.reject().message()).contains("9 bytes").contains("limit of 8");
    // Four two-byte characters are 8 bytes; five are 10, though only 5 chars.
    assertThat(decode(decoder, "{\"key\":\"éééé\"" + row).ok()).isTrue();
    assertThat(decode(decoder, "{\"key\":\"ééééé\"" + row).reject().reason())
        .isEqualTo(Reason.KEY_TOO_LONG);
    Decoded fromKafka =
        decoder.decode(
            "{\"features\":[1,2,3],\"label\":1}".getBytes(StandardCharsets.UTF_8),
            "t/0/1",
            "a-kafka-key-too-long");
    assertThat(fromKafka.reject().reason()).isEqualTo(Reason.KEY_TOO_LONG);
  }

  @Test
  void labelledExample_decodesEveryField() {
    Decoded d =
        decode(
            BINARY,
            "{\"key\":\"sensor-17\",\"features\":[0.1,2.3,-1.0],\"label\":1,\"ts\":1700000000000,\"id\":\"e-42\"}");
    assertThat(d.ok()).isTrue();
    assertThat(d.event()).isInstanceOf(TrainingEvent.Labelled.class);
    var e = (TrainingEvent.Labelled) d.event();
    assertThat(e.key()).isEqualTo("sensor-17");
    assertThat(e.example().features()).containsExactly(0.1, 2.3, -1.0);
    assertThat(e.example().label()).isEqualTo(1.0);
    assertThat(e.timestamp()).isEqualTo(1700000000000L);
    assertThat(e.origin()).isEqualTo("test:1");
  }

  @Test
  void unlabelledExample_isAPredictionRequest_withItsId_andKeyFallsBack() {
    Decoded d = decode(BINARY, "{\"features\":[1,2,3],\"id\":\"q-7\",\"ts\":5}");
    assertThat(d.event()).isInstanceOf(TrainingEvent.PredictionRequest.class);
    var request = (TrainingEvent.PredictionRequest) d.event();
    assertThat(request.key()).isEqualTo("default");
    assertThat(request.id()).isEqualTo("q-7");
    assertThat(request.features()).containsExactly(1.0, 2.0, 3.0);
    assertThat(request.timestamp()).isEqualTo(5);
    Decoded fromRecordKey =
        BINARY.decode(
            "{\"features\":[1,2,3]}".getBytes(StandardCharsets.UTF_8), "t/0/5", "tenant-9");
    assertThat(fromRecordKey.event().key()).isEqualTo("tenant-9");
  }

  @Test
  void namedFeatures_areHashedStably_withSigns() {
    Decoded d = decode(BINARY, "{\"features\":{\"temp\":21.5,\"wind\":3}}");
    TrainingEvent.PredictionRequest request = (TrainingEvent.PredictionRequest) d.event();
    assertThat(request.isSparse()).isTrue();
    double[] x = request.dense(3);
    double[] expected = new double[3];
    expected[FeatureHashing.index("temp", 3)] += FeatureHashing.sign("temp") * 21.5;
    expected[FeatureHashing.index("wind", 3)] += FeatureHashing.sign("wind") * 3;
    assertThat(x).containsExactly(expected);
    // MurmurHash3 x86_32 reference values ("" → 0, "hello" seed 0 → 0x248bfa47).
    assertThat(FeatureHashing.murmur3(new byte[0], 0)).isZero();
    assertThat(FeatureHashing.murmur3("hello".getBytes(StandardCharsets.UTF_8), 0))
        .isEqualTo(0x248bfa47);
  }

  @Test
  void emptyNamedFeatures_areTheAllZeroExample_butAnEmptyArrayIsRejected() {
    Decoded d = decode(BINARY, "{\"key\":\"k\",\"features\":{},\"label\":1}");
    assertThat(d.event()).isInstanceOf(TrainingEvent.Labelled.class);
    Example e = ((TrainingEvent.Labelled) d.event()).example();
    assertThat(e.isSparse()).isTrue();
    assertThat(e.indices()).isEmpty();
    assertThat(e.dense(3)).containsExactly(0.0, 0.0, 0.0);
    assertThat(e.label()).isEqualTo(1.0);
    assertThat(decode(BINARY, "{\"features\":[],\"label\":1}").reject().reason())
        .isEqualTo(Reject.Reason.EMPTY_FEATURES);
  }

  @Test
  void namedFeatures_ofALabelledExample_areSparse_andNamesSharingAnIndexAddUpInOrder() {
    Decoded d =
        decode(BINARY, "{\"key\":\"k\",\"features\":{\"temp\":21.5,\"wind\":3},\"label\":1}");
    Example e = ((TrainingEvent.Labelled) d.event()).example();
    assertThat(e.isSparse()).isTrue();
    assertThat(e.indices()).isSorted().doesNotHaveDuplicates();
    double[] expected = new double[3];
    expected[FeatureHashing.index("temp", 3)] += FeatureHashing.sign("temp") * 21.5;
    expected[FeatureHashing.index("wind", 3)] += FeatureHashing.sign("wind") * 3;
    assertThat(e.dense(3)).containsExactly(expected);
    // One feature: every name hashes to index 0, and the values add up in the record's order.
    var one = new JsonEventDecoder(new DecoderLimits(1, 2, List.of(), "default", 4096, 8, 4));
    Example all =
        ((TrainingEvent.Labelled)
                decode(one, "{\"features\":{\"a\":1e16,\"b\":1,\"c\":-1e16},\"label\":0}").event())
            .example();
    double sum = 0.0;
    sum += FeatureHashing.sign("a") * 1e16;
    sum += FeatureHashing.sign("b") * 1;
    sum += FeatureHashing.sign("c") * -1e16;
    assertThat(all.indices()).containsExactly(0);
    assertThat(all.features()).containsExactly(sum);
  }

  @Test
  void explicitSparseFeatures_inAnyOrder_areSortedWithTheirValues() {
    Decoded d =
        decode(
            BINARY,
            "{\"key\":\"k\",\"features\":{\"indices\":[2,0],\"values\":[-1.5,4]},\"label\":1}");
    Example e = ((TrainingEvent.Labelled) d.event()).example();
    assertThat(e.indices()).containsExactly(0, 2);
    assertThat(e.features()).containsExactly(4.0, -1.5);
    assertThat(e.dense(3)).containsExactly(4.0, 0.0, -1.5);
    // A prediction request in the sparse form stays sparse.
    Decoded q = decode(BINARY, "{\"key\":\"k\",\"features\":{\"indices\":[1],\"values\":[7]}}");
    TrainingEvent.PredictionRequest request = (TrainingEvent.PredictionRequest) q.event();
    assertThat(request.indices()).containsExactly(1);
    assertThat(request.features()).containsExactly(7.0);
    assertThat(request.dense(3)).containsExactly(0.0, 7.0, 0.0);
    assertThat(decode(BINARY, "{\"features\":{\"indices\":[],\"values\":[]},\"label\":1}").ok())
        .isTrue();
    assertThat(
            decode(
                    BINARY,
                    "{\"features\":{\"indices\":[0,1,2,0,1,2,0,1,2],\"values\":[1,1,1,1,1,1,1,1,1]},\"label\":1}")
                .reject()
                .reason())
        .isEqualTo(Reason.TOO_MANY_FEATURES);
  }

  @Test
  void aRefusedSparseBatch_isWrittenInTheExplicitSparseForm_andReplays() {
    var batch =
        new io.koala.model.Batch(
            new double[][] {{4, -1.5}, {1, 2, 3}}, new double[] {1, 0}, new int[][] {{0, 2}, null});
    String replay = JsonOutput.encodeBatch("k", batch);
    assertThat(replay).contains("{\"indices\":[0,2],\"values\":[4.0,-1.5]}");
    var again = (TrainingEvent.PreBatched) decode(BINARY, replay).event();
    assertThat(again.examples()[0].indices()).containsExactly(0, 2);
    assertThat(again.examples()[0].features()).containsExactly(4.0, -1.5);
    assertThat(again.examples()[1].isSparse()).isFalse();
    assertThat(again.examples()[1].features()).containsExactly(1.0, 2.0, 3.0);
  }

  @Test
  void preBatchedMessage_isOneBatchEvent() {
    Decoded d =
        decode(
            BINARY,
            "{\"key\":\"k\",\"batch\":[{\"features\":[1,2,3],\"label\":0},"
                + "{\"features\":[4,5,6],\"label\":1}]}");
    assertThat(d.event()).isInstanceOf(TrainingEvent.PreBatched.class);
    var batch = (TrainingEvent.PreBatched) d.event();
    assertThat(batch.examples()).extracting(Example::label).containsExactly(0.0, 1.0);
    assertThat(batch.examples()[1].features()).containsExactly(4.0, 5.0, 6.0);
  }

  @Test
  void classNames_mapToIndices() {
    var e =
        (TrainingEvent.Labelled)
            decode(MULTICLASS, "{\"key\":\"k\",\"features\":[1,2,3],\"label\":\"blue\"}").event();
    assertThat(e.example().label()).isEqualTo(2.0);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "MALFORMED_JSON | {\"features\":[1,2,3]",
        "MALFORMED_JSON | {\"features\":[NaN,1,2],\"label\":1}",
        "NOT_AN_OBJECT | [1,2,3]",
        "DUPLICATE_FIELD | {\"features\":[1,2,3],\"features\":[1,2,3]}",
        "TOO_DEEP | {\"a\":[[[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]]]}",
        "INVALID_KEY | {\"key\":7,\"features\":[1,2,3]}",
        "MISSING_FEATURES | {\"key\":\"k\",\"label\":1}",
        "WRONG_TYPE | {\"features\":[1,\"two\",3],\"label\":1}",
        "WRONG_TYPE | {\"features\":\"1,2,3\",\"label\":1}",
        "NON_FINITE_NUMBER | {\"features\":[1e400,1,2],\"label\":1}",
        "WRONG_DIMENSION | {\"features\":[1,2],\"label\":1}",
        "EMPTY_FEATURES | {\"features\":[],\"label\":1}",
        "TOO_MANY_FEATURES | {\"features\":{\"a\":1,\"b\":1,\"c\":1,\"d\":1,\"e\":1,\"f\":1,\"g\":1,\"h\":1,\"i\":1},\"label\":1}",
        "LABEL_OUT_OF_RANGE | {\"features\":[1,2,3],\"label\":2}",
        "INVALID_LABEL | {\"features\":[1,2,3],\"label\":0.5}",
        "INVALID_LABEL | {\"features\":[1,2,3],\"label\":[1]}",
        "EMPTY_BATCH | {\"batch\":[]}",
        "BATCH_TOO_LARGE | {\"batch\":[{},{},{},{},{}]}",
        "MISSING_LABEL | {\"batch\":[{\"features\":[1,2,3]}]}",
        "INVALID_TIMESTAMP | {\"features\":[1,2,3],\"ts\":\"yesterday\"}",
        "INVALID_SPARSE_INDEX | {\"features\":{\"indices\":[-1],\"values\":[1]},\"label\":1}",
        "NON_FINITE_NUMBER | {\"features\":{\"indices\":[1],\"values\":[1e400]},\"label\":1}",
      })
  void badInput_isRejectedWithItsReason(Reason reason, String json) {
    Decoded d = decode(BINARY, json);
    assertThat(d.ok()).as(json).isFalse();
    assertThat(d.reject().reason()).as(json).isEqualTo(reason);
    assertThat(d.payload()).isEqualTo(json.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void multiclassRejects_unknownClass_andMissingKeyWithoutDefault() {
    assertThat(
            decode(MULTICLASS, "{\"key\":\"k\",\"features\":[1,2,3],\"label\":\"pink\"}")
                .reject()
                .reason())
        .isEqualTo(Reason.UNKNOWN_CLASS);
    assertThat(decode(MULTICLASS, "{\"features\":[1,2,3],\"label\":1}").reject().reason())
        .isEqualTo(Reason.MISSING_KEY);
  }

  @Test
  void oversizeAndNonUtf8Records_areRejectedBeforeParsing() {
    byte[] big = new byte[5000];
    java.util.Arrays.fill(big, (byte) ' ');
    assertThat(BINARY.decode(big, "t", null).reject().reason()).isEqualTo(Reason.RECORD_TOO_LARGE);
    byte[] latin1 = "{\"key\":\"caf\u00e9\"}".getBytes(StandardCharsets.ISO_8859_1);
    assertThat(BINARY.decode(latin1, "t", null).reject().reason()).isEqualTo(Reason.INVALID_UTF8);
    assertThat(BINARY.decode(new byte[0], "t", null).reject().reason())
        .isEqualTo(Reason.MALFORMED_JSON);
  }
}
