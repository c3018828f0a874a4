package io.koala.training;

import static org.assertj.core.api.Assertions.assertThat;

import io.koala.model.Batch;
import io.koala.state.OptimizerState;
import io.koala.state.RaceState;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/** The sparse-path tests' stream of hashed words and their bit-for-bit comparison. */
final class SparseFixtures {

  private SparseFixtures() {}

  static final int D = 1024;
  private static final int WORDS = 300;

  /** Where each "word" is hashed, and its hidden weight. */
  static final int[] SLOT = new SplittableRandom(1).ints(WORDS, 0, D).toArray();

  private static final double[] WEIGHT = new SplittableRandom(2).doubles(WORDS, -2, 2).toArray();

  /**
   * Batches of sparse rows (3 to 12 words, indices increasing, colliding words merged as the
   * decoder merges them); the concept flips sign half way, so that the race moves and alarms.
   */
  static List<Batch> stream(long seed, int batches, int size) {
    SplittableRandom random = new SplittableRandom(seed);
    Batch[] out = new Batch[batches];
    for (int b = 0; b < batches; b++) {
      double[][] values = new double[size][];
      int[][] indices = new int[size][];
      double[] labels = new double[size];
      for (int i = 0; i < size; i++) {
        double[] dense = new double[D];
        double z = 0;
        int words = 3 + random.nextInt(10);
        for (int w = 0; w < words; w++) {
          int word = random.nextInt(WORDS);
          double v = random.nextDouble(0.5, 2);
          dense[SLOT[word]] += v;
          z += WEIGHT[word] * v;
        }
        if (b >= batches / 2) {
          z = -z;
        }
        labels[i] = random.nextDouble() < 1 / (1 + Math.exp(-z)) ? 1 : 0;
        indices[i] = java.util.stream.IntStream.range(0, D).filter(j -> dense[j] != 0).toArray();
        values[i] = Arrays.stream(indices[i]).mapToDouble(j -> dense[j]).toArray();
      }
      out[b] = new Batch(values, labels, indices);
    }
    return List.of(out);
  }

  static int[] append(int[] a, int v) {
    int[] out = Arrays.copyOf(a, a.length + 1);
    out[a.length] = v;
    return out;
  }

  static double[] append(double[] a, double v) {
    double[] out = Arrays.copyOf(a, a.length + 1);
    out[a.length] = v;
    return out;
  }

  /** Doubles compared by their bits (NaN equal to NaN), not within AssertJ's default 1e-15. */
  static final java.util.Comparator<Double> BITS =
      (x, y) -> Long.compare(Double.doubleToLongBits(x), Double.doubleToLongBits(y));

  /**
   * The same outcome, bit for bit: reports and losses (records compare doubles by their bits) and
   * every parameter of every member at each batch; the whole state, field by field, every {@code
   * every} batches.
   */
  static void assertSameBits(
      TrainingOutcome<OptimizerState> actual,
      TrainingOutcome<OptimizerState> expected,
      boolean whole,
      String label) {
    assertThat(actual.report()).as(label).isEqualTo(expected.report());
    assertThat(Double.compare(actual.loss(), expected.loss())).as(label).isZero();
    assertThat(Double.compare(actual.accuracy(), expected.accuracy())).as(label).isZero();
    OptimizerState a = actual.state().optimizer();
    OptimizerState e = expected.state().optimizer();
    if (a instanceof RaceState ra) {
      RaceState re = (RaceState) e;
      for (int m = 0; m < 3; m++) {
        assertThat(Arrays.equals(ra.members()[m].parameters(), re.members()[m].parameters()))
            .as("%s member %d", label, m)
            .isTrue();
      }
    } else {
      assertThat(Arrays.equals(a.parameters(), e.parameters())).as(label).isTrue();
    }
    if (whole) {
      assertThat(actual)
          .as(label)
          .usingRecursiveComparison()
          .withComparatorForType(BITS, Double.class)
          .isEqualTo(expected);
    }
  }
}
