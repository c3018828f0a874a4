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
    return part.stream()
            .filter(e -> (e.features()[0] + e.features()[1] <= threshold ? 1 : 0) == e.label())
            .count()
        / (double) part.size();
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
    long distinctFirstDrifts =
        all.stream()
            .filter(e -> e.concept() == 1)
            .collect(
                java.util.stream.Collectors.groupingBy(
                    LabelledExample::key,
                    java.util.stream.Collectors.minBy(
                        java.util.Comparator.comparingLong(LabelledExample::index))))
            .values()
            .stream()
            .map(o -> o.orElseThrow().index() / 50)
            .distinct()
            .count();
    assertThat(distinctFirstDrifts).isGreaterThan(10);
    assertThat(all.get(123).index()).isEqualTo(123);
  }

  @Test
  void multiKeyConceptStreams_generateEachKeysExamples_asMultiKeyConceptsInterleavesThem() {
    List<LabelledExample> all = DriftingStream.multiKeyConcepts(5, 7, 40);
    List<DriftingStream.ConceptStream> keys = DriftingStream.multiKeyConceptStreams(5, 7, 40);
    assertThat(keys).hasSize(7);
    for (int i = 0; i < 40; i++) {
      for (int k = 0; k < 7; k++) {
        LabelledExample e = keys.get(k).next();
        LabelledExample expected = all.get(i * 7 + k);
        assertThat(e.key()).isEqualTo(expected.key());
        assertThat(e.features()).isEqualTo(expected.features());
        assertThat(e.label()).isEqualTo(expected.label());
        assertThat(e.concept()).isEqualTo(expected.concept());
        assertThat(e.index()).isEqualTo(i);
      }
    }
    assertThat(keys).noneMatch(DriftingStream.ConceptStream::hasNext);
  }

  @Test
  void multiKeyConcepts_driftTwicePerKey_toADirectionAtLeast60DegreesAway() {
    List<LabelledExample> all = DriftingStream.multiKeyConcepts(5, 8, 3_000);
    assertThat(all).hasSize(8 * 3_000);
    List<LabelledExample> again = DriftingStream.multiKeyConcepts(5, 8, 3_000);
    for (int i = 0; i < all.size(); i++) {
      assertThat(again.get(i).features()).as("example %d", i).isEqualTo(all.get(i).features());
      assertThat(again.get(i).label()).isEqualTo(all.get(i).label());
    }
    var byKey = all.stream().collect(java.util.stream.Collectors.groupingBy(LabelledExample::key));
    assertThat(byKey).hasSize(8);
    byKey.forEach(
        (key, examples) -> {
          // For Gaussian x, E[x·(2y − 1)] points along the concept's w: estimate it per concept.
          double[][] direction = new double[3][3];
          int[] count = new int[3];
          int changes = 0;
          for (int i = 0; i < examples.size(); i++) {
            LabelledExample e = examples.get(i);
            if (i > 0 && e.concept() != examples.get(i - 1).concept()) {
              changes++;
              assertThat(i).as(key).isBetween(300, 2_700);
            }
            count[e.concept()]++;
            for (int j = 0; j < 3; j++) {
              direction[e.concept()][j] += e.features()[j] * (2 * e.label() - 1);
            }
          }
          assertThat(changes).as(key).isEqualTo(2);
          for (int c = 1; c < 3; c++) {
            assertThat(count[c]).as(key).isGreaterThan(250);
            assertThat(cosine(direction[c], direction[c - 1]))
                .as("%s, drift %d", key, c)
                .isLessThan(0.7);
          }
        });
  }

  private static double cosine(double[] a, double[] b) {
    double ab = 0;
    double aa = 0;
    double bb = 0;
    for (int j = 0; j < a.length; j++) {
      ab += a[j] * b[j];
      aa += a[j] * a[j];
      bb += b[j] * b[j];
    }
    return ab / Math.sqrt(aa * bb);
  }
}
