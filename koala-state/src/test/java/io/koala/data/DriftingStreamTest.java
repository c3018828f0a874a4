package io.koala.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

class DriftingStreamTest {

  @Test
  void sameSeed_sameStream_otherSeed_otherStream() {
    List<LabelledExample> a = DriftingStream.sea("k", 7, 500, 250);
    List<LabelledExample> b = DriftingStream.sea("k", 7, 500, 250);
    List<LabelledExample> c = DriftingStream.sea("k", 8, 500, 250);
    for (int i = 0; i < 500; i++) {
      assertThat(a.get(i).features()).containsExactly(b.get(i).features());
      assertThat(a.get(i).label()).isEqualTo(b.get(i).label());
    }
    assertThat(a.get(0).features()).isNotEqualTo(c.get(0).features());
  }

  @Test
  void sea_followsItsThresholds_withTenPercentNoise_andSwitchesAtTheDrift() {
    List<LabelledExample> s = DriftingStream.sea("k", 3, 40_000, 20_000);
    double agreeBefore = agreement(s.subList(0, 20_000), 8);
    double agreeAfter = agreement(s.subList(20_000, 40_000), 9);
    assertThat(agreeBefore).isCloseTo(0.90, within(0.01));
    assertThat(agreeAfter).isCloseTo(0.90, within(0.01));
    assertThat(agreement(s.subList(20_000, 40_000), 8)).isLessThan(0.87);
    assertThat(s.get(19_999).concept()).isZero();
    assertThat(s.get(20_000).concept()).isEqualTo(1);
  }

  private static double agreement(List<LabelledExample> part, double threshold) {
    return part.stream().filter(e -> (e.features()[0] + e.features()[1] <= threshold ? 1 : 0)
        == e.label()).count() / (double) part.size();
  }

  @Test
  void regressionJump_changesItsWeights_andMulticlassLabelsStayInRange() {
    List<LabelledExample> r = DriftingStream.regressionJump("k", 5, 2_000, 4, 1_000);
    assertThat(r.get(999).concept()).isZero();
    assertThat(r.get(1_000).concept()).isEqualTo(1);
    List<LabelledExample> m = DriftingStream.multiclass("k", 5, 2_000, 4, 5, 1_000);
    assertThat(m).allSatisfy(e -> assertThat(e.label()).isBetween(0.0, 4.0));
    assertThat(m.stream().mapToDouble(LabelledExample::label).distinct().count()).isEqualTo(5);
  }

  @Test
  void rotatingHyperplane_isBalanced_andDrifts() {
    List<LabelledExample> h = DriftingStream.rotatingHyperplane("k", 9, 20_000, 10, 0.001);
    double positives = h.stream().filter(e -> e.label() == 1).count() / 20_000.0;
    assertThat(positives).isBetween(0.4, 0.6);
  }

  @Test
  void multiKey_interleavesKeys_eachWithItsOwnDriftTimes() {
    List<LabelledExample> all = DriftingStream.multiKeySea(11, 50, 400);
    assertThat(all).hasSize(50 * 400);
    assertThat(all.subList(0, 50)).extracting(LabelledExample::key).doesNotHaveDuplicates();
    long distinctFirstDrifts = all.stream().filter(e -> e.concept() == 1)
        .collect(java.util.stream.Collectors.groupingBy(LabelledExample::key,
            java.util.stream.Collectors.minBy(java.util.Comparator.comparingLong(LabelledExample::index))))
        .values().stream().map(o -> o.orElseThrow().index() / 50).distinct().count();
    assertThat(distinctFirstDrifts).isGreaterThan(10);
    assertThat(all.get(123).index()).isEqualTo(123);
  }
}
