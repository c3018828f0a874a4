package io.koala.data;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Fixed-seed synthetic streams with known drift, the standard testbeds of the stream-learning
 * literature: the same seed gives the same examples on every machine and Java version ({@link
 * SplittableRandom} is specified exactly).
 *
 * <ul>
 *   <li>{@link #sea}: SEA concepts (Street and Kim, KDD 2001): x ∈ [0, 10]³, y = [x₁ + x₂ ≤ θ], θ
 *       cycling through 8, 9, 7, 9.5 at abrupt drifts; x₃ is irrelevant; 10 % label noise.
 *   <li>{@link #rotatingHyperplane}: (Hulten et al., KDD 2001): x ∈ [0, 1]^d, y = [w·x ≥ ½Σw], w
 *       drifting gradually (each weight moves by {@code speed} per example, reversing direction
 *       with probability 10 % every 1,000 examples); 5 % label noise.
 *   <li>{@link #regressionJump}: y = w·x + 0.5 + N(0, 0.1²), x ∈ [−1, 1]^d, w redrawn at every
 *       drift point.
 *   <li>{@link #multiclass}: k Gaussian classes in d dimensions (σ = 1) whose centres are redrawn
 *       at every drift point.
 * </ul>
 */
public final class DriftingStream {

  private DriftingStream() {}

  private static final double[] SEA_THRESHOLDS = {8, 9, 7, 9.5};

  /** Which concept example i belongs to, given sorted drift points. */
  static int concept(long i, long[] drifts) {
    int c = 0;
    while (c < drifts.length && i >= drifts[c]) {
      c++;
    }
    return c;
  }

  public static List<LabelledExample> sea(String key, long seed, int n, long... drifts) {
    SplittableRandom random = new SplittableRandom(seed);
    List<LabelledExample> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      double[] x = {10 * random.nextDouble(), 10 * random.nextDouble(), 10 * random.nextDouble()};
      int c = concept(i, drifts);
      double y = x[0] + x[1] <= SEA_THRESHOLDS[c % SEA_THRESHOLDS.length] ? 1 : 0;
      if (random.nextDouble() < 0.10) {
        y = 1 - y;
      }
      out.add(new LabelledExample(key, x, y, i, c));
    }
    return out;
  }

  public static List<LabelledExample> rotatingHyperplane(
      String key, long seed, int n, int features, double speed) {
    SplittableRandom random = new SplittableRandom(seed);
    double[] w = new double[features];
    double[] direction = new double[features];
    for (int j = 0; j < features; j++) {
      w[j] = random.nextDouble();
      direction[j] = random.nextBoolean() ? 1 : -1;
    }
    List<LabelledExample> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      if (i > 0 && i % 1_000 == 0) {
        for (int j = 0; j < features; j++) {
          if (random.nextDouble() < 0.10) {
            direction[j] = -direction[j];
          }
        }
      }
      double[] x = new double[features];
      double dot = 0;
      double half = 0;
      for (int j = 0; j < features; j++) {
        x[j] = random.nextDouble();
        dot += w[j] * x[j];
        half += w[j] / 2;
        w[j] += direction[j] * speed;
      }
      double y = dot >= half ? 1 : 0;
      if (random.nextDouble() < 0.05) {
        y = 1 - y;
      }
      out.add(new LabelledExample(key, x, y, i, 0));
    }
    return out;
  }

  public static List<LabelledExample> regressionJump(
      String key, long seed, int n, int features, long... drifts) {
    SplittableRandom random = new SplittableRandom(seed);
    double[][] weights = new double[drifts.length + 1][features];
    for (double[] w : weights) {
      for (int j = 0; j < features; j++) {
        w[j] = 4 * random.nextDouble() - 2;
      }
    }
    List<LabelledExample> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      int c = concept(i, drifts);
      double[] x = new double[features];
      double y = 0.5;
      for (int j = 0; j < features; j++) {
        x[j] = 2 * random.nextDouble() - 1;
        y += weights[c][j] * x[j];
      }
      y += 0.1 * random.nextGaussian();
      out.add(new LabelledExample(key, x, y, i, c));
    }
    return out;
  }

  public static List<LabelledExample> multiclass(
      String key, long seed, int n, int features, int classes, long... drifts) {
    SplittableRandom random = new SplittableRandom(seed);
    double[][][] centres = new double[drifts.length + 1][classes][features];
    for (double[][] concept : centres) {
      for (double[] centre : concept) {
        for (int j = 0; j < features; j++) {
          centre[j] = 4 * random.nextDouble() - 2;
        }
      }
    }
    List<LabelledExample> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      int c = concept(i, drifts);
      int y = random.nextInt(classes);
      double[] x = new double[features];
      for (int j = 0; j < features; j++) {
        x[j] = centres[c][y][j] + random.nextGaussian();
      }
      out.add(new LabelledExample(key, x, y, i, c));
    }
    return out;
  }

  /**
   * Many keys, each a SEA stream with its own seed and its own abrupt drift times (two per key,
   * drawn uniformly in the middle 80 % of its examples), interleaved round-robin: example i of key
   * k has event time i × keys + k.
   */
  public static List<LabelledExample> multiKeySea(long seed, int keys, int perKey) {
    SplittableRandom random = new SplittableRandom(seed);
    List<List<LabelledExample>> streams = new ArrayList<>();
    for (int k = 0; k < keys; k++) {
      long[] drifts = twoDrifts(random, perKey);
      streams.add(sea(String.format("tenant-%03d", k), random.nextLong(), perKey, drifts));
    }
    return interleave(streams, perKey);
  }

  /** Two drift times in the middle 80 % of a key's examples, at least a tenth apart. */
  private static long[] twoDrifts(SplittableRandom random, int perKey) {
    long first = perKey / 10 + random.nextInt(Math.max(1, perKey * 4 / 10));
    long second = first + perKey / 10 + random.nextInt(Math.max(1, perKey * 3 / 10));
    return new long[] {first, second};
  }

  /** Round-robin over the keys' streams: example i of key k gets event time i × keys + k. */
  private static List<LabelledExample> interleave(List<List<LabelledExample>> streams, int perKey) {
    int keys = streams.size();
    List<LabelledExample> out = new ArrayList<>(keys * perKey);
    for (int i = 0; i < perKey; i++) {
      for (int k = 0; k < keys; k++) {
        LabelledExample e = streams.get(k).get(i);
        out.add(
            new LabelledExample(
                e.key(), e.features(), e.label(), (long) i * keys + k, e.concept()));
      }
    }
    return out;
  }

  /**
   * Many keys, each a linear concept y = [w·x + b ≥ 0] over x ~ N(0, 1)³ with 5 % label noise,
   * whose (w, b) is redrawn at two abrupt drifts per key, at times drawn as in {@link
   * #multiKeySea}. A redrawn w is at least 60° away from the one before (cos ≤ 0.5), so every drift
   * costs a model that does not adapt a clear share of its accuracy. Interleaved round-robin:
   * example i of key k has event time i × keys + k.
   */
  public static List<LabelledExample> multiKeyConcepts(long seed, int keys, int perKey) {
    List<List<LabelledExample>> streams = new ArrayList<>();
    for (ConceptStream key : multiKeyConceptStreams(seed, keys, perKey)) {
      List<LabelledExample> stream = new ArrayList<>(perKey);
      while (key.hasNext()) {
        stream.add(key.next());
      }
      streams.add(stream);
    }
    return interleave(streams, perKey);
  }

  /**
   * The keys of {@link #multiKeyConcepts}, each a generator of its own examples (index = position
   * in the key's stream), so that a caller can interleave many keys without holding their examples:
   * the same examples as {@link #multiKeyConcepts}, one at a time.
   */
  public static List<ConceptStream> multiKeyConceptStreams(long seed, int keys, int perKey) {
    SplittableRandom random = new SplittableRandom(seed);
    List<ConceptStream> streams = new ArrayList<>(keys);
    for (int k = 0; k < keys; k++) {
      long[] drifts = twoDrifts(random, perKey);
      streams.add(
          new ConceptStream(String.format("tenant-%03d", k), drifts, random.nextLong(), perKey));
    }
    return streams;
  }

  /** One key's stream of {@link #multiKeyConcepts}, generated on demand. */
  public static final class ConceptStream {
    private final String key;
    private final long[] drifts;
    private final int perKey;
    private final SplittableRandom r;
    private final double[][] w = new double[3][];
    private final double[] b = new double[3];
    private int next;

    private ConceptStream(String key, long[] drifts, long seed, int perKey) {
      this.key = key;
      this.drifts = drifts;
      this.perKey = perKey;
      this.r = new SplittableRandom(seed);
      for (int c = 0; c < 3; c++) {
        do {
          w[c] = unitVector(r, 3);
        } while (c > 0 && dot(w[c], w[c - 1]) > 0.5);
        b[c] = 0.5 * r.nextGaussian();
      }
    }

    public String key() {
      return key;
    }

    public boolean hasNext() {
      return next < perKey;
    }

    /** The key's next example; its index is its position in the key's stream. */
    public LabelledExample next() {
      if (!hasNext()) {
        throw new java.util.NoSuchElementException(key + " has " + perKey + " examples");
      }
      int i = next++;
      int c = concept(i, drifts);
      double[] x = {r.nextGaussian(), r.nextGaussian(), r.nextGaussian()};
      double y = dot(w[c], x) + b[c] >= 0 ? 1 : 0;
      if (r.nextDouble() < 0.05) {
        y = 1 - y;
      }
      return new LabelledExample(key, x, y, i, c);
    }
  }

  private static double[] unitVector(SplittableRandom r, int d) {
    double[] v = new double[d];
    double norm = 0;
    for (int j = 0; j < d; j++) {
      v[j] = r.nextGaussian();
      norm += v[j] * v[j];
    }
    for (int j = 0; j < d; j++) {
      v[j] /= Math.sqrt(norm);
    }
    return v;
  }

  private static double dot(double[] a, double[] b) {
    double s = 0;
    for (int j = 0; j < a.length; j++) {
      s += a[j] * b[j];
    }
    return s;
  }
}
