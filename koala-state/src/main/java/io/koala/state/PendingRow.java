package io.koala.state;

/**
 * One labelled example waiting in a key's open micro-batch, dense or sparse. The rows of a batch
 * carry its bookkeeping themselves (the first row's time and origin, the last row's origin), so
 * adding an example is one write to state and needs no read.
 *
 * @param features the raw feature row (dense), or the values at {@code indices} (sparse)
 * @param label its label
 * @param timestamp its event time (Long.MIN_VALUE when unknown)
 * @param origin where it came from ("" when unknown)
 * @param indices null for a dense row; the strictly increasing feature indices of a sparse one
 */
public record PendingRow(
    double[] features, double label, long timestamp, String origin, int[] indices) {

  /** Event time of a row restored from a format that did not record it. */
  public static final long NO_TIMESTAMP = Long.MIN_VALUE;

  public PendingRow {
    origin = origin == null ? "" : origin;
  }

  /** A dense row. */
  public PendingRow(double[] features, double label, long timestamp, String origin) {
    this(features, label, timestamp, origin, null);
  }

  /** A dense row of a format without time and origin. */
  public PendingRow(double[] features, double label) {
    this(features, label, NO_TIMESTAMP, "", null);
  }

  /** This row with the given time and origin (when rewriting rows of an older format). */
  public PendingRow withBookkeeping(long newTimestamp, String newOrigin) {
    return new PendingRow(features, label, newTimestamp, newOrigin, indices);
  }
}
