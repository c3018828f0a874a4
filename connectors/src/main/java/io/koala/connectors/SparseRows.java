package io.koala.connectors;

import io.koala.connectors.Reject.Reason;
import java.util.Arrays;

/** The one merge of sparse contributions into an {@link Example} that both decoders share. */
final class SparseRows {

  private SparseRows() {}

  /**
   * The sparse example of contributions given in arrival order. Contributions that share an index
   * add up in the order they come: the first starts the sum, a hashed name as {@code 0.0 + value}
   * (as a dense row of zeros would), an explicit index as given (-0.0 stays -0.0, as in the JSON
   * explicit form). Two explicit contributions to one index are a reject.
   *
   * @param index each contribution's index in [0, d)
   * @param value each contribution's value (a hashed name's already signed)
   * @param explicit whether each contribution is an explicit index; null: all are hashed names
   * @param where the record's path, prefixed to a reject's message
   */
  static Example merge(int[] index, double[] value, boolean[] explicit, double label, String where)
      throws Rejection {
    int n = index.length;
    long[] order = new long[n];
    for (int i = 0; i < n; i++) {
      // Index in the high half, arrival in the low half: sorting keeps the arrival order of
      // contributions that share an index.
      order[i] = ((long) index[i] << 32) | i;
    }
    Arrays.sort(order);
    int[] at = new int[n];
    double[] values = new double[n];
    int distinct = 0;
    int explicitAt = -1;
    for (int k = 0; k < n; k++) {
      int i = (int) (order[k] >>> 32);
      int from = (int) order[k];
      boolean given = explicit != null && explicit[from];
      if (distinct == 0 || at[distinct - 1] != i) {
        at[distinct] = i;
        values[distinct] = given ? value[from] : 0.0 + value[from];
        explicitAt = given ? from : -1;
        distinct++;
        continue;
      }
      if (given && explicitAt >= 0) {
        throw new Rejection(
            Reason.INVALID_SPARSE_INDEX,
            where + "pairs " + (explicitAt + 1) + " and " + (from + 1) + " both name index " + i);
      }
      if (given) {
        explicitAt = from;
      }
      values[distinct - 1] += value[from];
    }
    return Example.sparse(Arrays.copyOf(at, distinct), Arrays.copyOf(values, distinct), label);
  }
}
