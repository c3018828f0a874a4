package io.koala.connectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.koala.connectors.Reject.Reason;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The CSV decoder's sparse column: LibSVM-style pairs that decode as the JSON sparse forms do. */
class CsvSparseColumnTest {

  /** d = 8, binary, no default key, at most 4 named features. */
  private static final DecoderLimits LIMITS = new DecoderLimits(8, 2, List.of(), null, 4096, 4, 4);

  private static final List<String> HEADER = List.of("key", "words", "label", "ts", "id");
  private static final CsvEventDecoder CSV =
      new CsvEventDecoder(LIMITS, HEADER, "label", "key", "words", ',');
  private static final JsonEventDecoder JSON = new JsonEventDecoder(LIMITS);

  private static Decoded csv(CsvEventDecoder decoder, String line) {
    return decoder.decode(line.getBytes(StandardCharsets.UTF_8), "m.csv:2", null);
  }

  private static Example example(Decoded d) {
    assertThat(d.ok()).as(String.valueOf(d.reject())).isTrue();
    return ((TrainingEvent.Labelled) d.event()).example();
  }

  private static long[] bits(double[] values) {
    return Arrays.stream(values).mapToLong(Double::doubleToRawLongBits).toArray();
  }

  @Test
  void indexPairs_areTheSparseRow_inIndexOrder_withLabelKeyAndTime() {
    Decoded d = csv(CSV, "mail-1,5:0.5 1:-2 0:3e-1,1,1700000000000,");
    var e = (TrainingEvent.Labelled) d.event();
    assertThat(e.key()).isEqualTo("mail-1");
    assertThat(e.timestamp()).isEqualTo(1700000000000L);
    assertThat(e.example().isSparse()).isTrue();
    assertThat(e.example().indices()).containsExactly(0, 1, 5);
    assertThat(e.example().features()).containsExactly(0.3, -2.0, 0.5);
    assertThat(e.example().label()).isEqualTo(1.0);
  }

  @Test
  void namedAndMixedPairs_hashAsJsonNamedFeatures_andNamesThatShareAnIndexAddUpInOrder() {
    Example named = example(csv(CSV, "k,offer:1 free:2.5,0,,"));
    double[] expected = new double[8];
    expected[FeatureHashing.index("offer", 8)] += FeatureHashing.sign("offer") * 1;
    expected[FeatureHashing.index("free", 8)] += FeatureHashing.sign("free") * 2.5;
    assertThat(named.dense(8)).containsExactly(expected);
    // d = 1: every pair lands on index 0 and the values add up in the line's order.
    var one = new DecoderLimits(1, 2, List.of(), null, 4096, 4, 4);
    var csvOne = new CsvEventDecoder(one, HEADER, "label", "key", "words", ',');
    Example mixed = example(csv(csvOne, "k,a:1e16 0:1 c:-1e16,1,,"));
    double sum = 0.0;
    sum += FeatureHashing.sign("a") * 1e16;
    sum += 1;
    sum += FeatureHashing.sign("c") * -1e16;
    assertThat(mixed.indices()).containsExactly(0);
    assertThat(bits(mixed.features())).containsExactly(Double.doubleToRawLongBits(sum));
    // A name is what precedes the first colon; "1.5" is no integer, so it is a name.
    Example decimalName = example(csv(CSV, "k,1.5:2,1,,"));
    assertThat(decimalName.indices()).containsExactly(FeatureHashing.index("1.5", 8));
  }

  @Test
  void emptyCell_isTheAllZeroExample_andAQuotedCellWithRunsOfBlanksDecodes() {
    Example empty = example(csv(CSV, "k,,1,,"));
    assertThat(empty.isSparse()).isTrue();
    assertThat(empty.indices()).isEmpty();
    assertThat(empty.dense(8)).containsOnly(0.0);
    assertThat(example(csv(CSV, "k,\"   \",1,,")).indices()).isEmpty();
    Example quoted = example(csv(CSV, "k,\"  3:1 \t 6:2  \",1,,"));
    assertThat(quoted.indices()).containsExactly(3, 6);
    assertThat(quoted.features()).containsExactly(1.0, 2.0);
    var semicolon = new CsvEventDecoder(LIMITS, HEADER, "label", "key", "words", ';');
    assertThat(example(csv(semicolon, "k;3:1 6:2;1;;")).indices()).containsExactly(3, 6);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "k,5:0.5 1:-2 7:-0,1,9, | {\"key\":\"k\",\"features\":{\"indices\":[5,1,7],\"values\":[0.5,-2,-0.0]},\"label\":1,\"ts\":9}",
        "k,,0,, | {\"key\":\"k\",\"features\":{\"indices\":[],\"values\":[]},\"label\":0}",
        "k,,0,, | {\"key\":\"k\",\"features\":{},\"label\":0}",
        "k,w1:1 w2:-0 w3:2.5 w4:1e-3,1,3, | {\"key\":\"k\",\"features\":{\"w1\":1,\"w2\":-0.0,\"w3\":2.5,\"w4\":1e-3},\"label\":1,\"ts\":3}",
        "k,b:1e16 a:1 c:-1e16,0,, | {\"key\":\"k\",\"features\":{\"b\":1e16,\"a\":1,\"c\":-1e16},\"label\":0}",
      })
  void theSameExample_fromJsonAndFromTheSparseColumn_isEqualBitForBit(String line, String json) {
    var fromCsv = (TrainingEvent.Labelled) csv(CSV, line).event();
    Decoded d = JSON.decode(json.getBytes(StandardCharsets.UTF_8), "m.jsonl:2", null);
    var fromJson = (TrainingEvent.Labelled) d.event();
    assertThat(fromCsv.key()).isEqualTo(fromJson.key());
    assertThat(fromCsv.timestamp()).isEqualTo(fromJson.timestamp());
    assertThat(fromCsv.example().label()).isEqualTo(fromJson.example().label());
    assertThat(fromCsv.example().isSparse()).isEqualTo(fromJson.example().isSparse()).isTrue();
    assertThat(fromCsv.example().indices()).containsExactly(fromJson.example().indices());
    assertThat(bits(fromCsv.example().features()))
        .containsExactly(bits(fromJson.example().features()));
  }

  @Test
  void emptyLabel_isASparsePredictionRequest_asFromJson() {
    var request = (TrainingEvent.PredictionRequest) csv(CSV, "k,3:1 w:2,,,q-1").event();
    var fromJson =
        (TrainingEvent.PredictionRequest)
            JSON.decode(
                    "{\"key\":\"k\",\"features\":{\"w\":2},\"id\":\"q-1\"}"
                        .getBytes(StandardCharsets.UTF_8),
                    "m.jsonl:2",
                    null)
                .event();
    assertThat(request.isSparse()).isTrue();
    assertThat(fromJson.isSparse()).isTrue();
    double[] expected = fromJson.dense(8).clone();
    expected[3] += 1;
    assertThat(request.id()).isEqualTo("q-1");
    assertThat(request.dense(8)).containsExactly(expected);
  }

  @ParameterizedTest(name = "{0}: {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "INVALID_SPARSE_INDEX | k,1:1 8:1,1,, | words pair 2 \"8:1\": the index must be an integer in [0, 8)",
        "INVALID_SPARSE_INDEX | k,-1:1,1,, | words pair 1 \"-1:1\"",
        "INVALID_SPARSE_INDEX | k,99999999999999999999:1,1,, | words pair 1",
        "INVALID_SPARSE_INDEX | k,2:1 w:1 02:3,1,, | words pairs 1 and 3 both name index 2",
        "DUPLICATE_FIELD | k,w:1 x:2 w:1,1,, | words pair 3 \"w:1\" names w again (pair 1)",
        "WRONG_TYPE | k,3:1 w,1,, | words pair 2 \"w\" must be index:value or name:value",
        "WRONG_TYPE | k,:1,1,, | words pair 1 \":1\" must be index:value",
        "WRONG_TYPE | k,3:,1,, | words pair 1 \"3:\": the value must be a decimal number",
        "WRONG_TYPE | k,3:1:2,1,, | words pair 1 \"3:1:2\": the value must be a decimal",
        "WRONG_TYPE | k,w:yes,1,, | words pair 1 \"w:yes\": the value",
        "WRONG_TYPE | k,3:NaN,1,, | words pair 1",
        "WRONG_TYPE | k,w:Infinity,1,, | words pair 1",
        "WRONG_TYPE | k,3:0x1p3,1,, | words pair 1",
        "NON_FINITE_NUMBER | k,1:1 3:1e400,1,, | words pair 2 \"3:1e400\": the value does not fit",
        "TOO_MANY_FEATURES | k,0:1 1:1 2:1 3:1 4:1,1,, | words has 5 pairs, more than the limit",
        "WRONG_COLUMN_COUNT | k,1:1 2:1,1, | record has 4 fields, the header 5",
      })
  void badPair_isRejectedWithItsReason_namingThePair(Reason reason, String line, String message) {
    Decoded d = csv(CSV, line);
    assertThat(d.ok()).as(line).isFalse();
    assertThat(d.reject().reason()).as(line).isEqualTo(reason);
    assertThat(d.reject().message()).as(line).contains(message);
    assertThat(d.payload()).isEqualTo(line.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void headerWithAFeatureColumnBesidesTheSparseColumn_failsNamingIt() {
    assertThatThrownBy(
            () ->
                new CsvEventDecoder(
                    LIMITS, List.of("key", "temp", "words", "label"), "label", "key", "words", ','))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("has the columns [temp] besides")
        .hasMessageContaining("the sparse column words");
    assertThatThrownBy(
            () ->
                new CsvEventDecoder(LIMITS, List.of("key", "label"), "label", "key", "words", ','))
        .hasMessageContaining("the sparse column words is not a column of [key, label]");
    assertThatThrownBy(() -> new CsvEventDecoder(LIMITS, HEADER, "label", "key", "ts", ','))
        .hasMessageContaining("the sparse column ts is also the label, key, ts or id column");
    // The number of columns is no longer tied to d: d = 8 here, one sparse column.
    assertThat(new CsvEventDecoder(LIMITS, List.of("words", "label"), "label", null, "words", ','))
        .isNotNull();
  }
}
