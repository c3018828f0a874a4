package io.koala.data;

/**
 * One generated example.
 *
 * @param key the model key
 * @param features the feature row
 * @param label the label (a value, 0/1, or a class index)
 * @param index the example's position in its stream (0-based), also its event time in ms
 * @param concept which concept produced it (0 before the first drift, then 1, 2, ...)
 */
public record LabelledExample(
    String key, double[] features, double label, long index, int concept) {

  /** Examples {@code [from, to)} as one micro-batch. */
  public static io.koala.model.Batch batch(
      java.util.List<LabelledExample> examples, int from, int to) {
    double[][] x = new double[to - from][];
    double[] y = new double[to - from];
    for (int i = from; i < to; i++) {
      x[i - from] = examples.get(i).features();
      y[i - from] = examples.get(i).label();
    }
    return new io.koala.model.Batch(x, y);
  }
}
