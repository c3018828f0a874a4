package io.koala.job;

import io.koala.state.PendingBatch;
import io.koala.state.PendingRow;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ValueState;

/**
 * The labelled examples waiting in each key's open micro-batch, as the keyed operator sees them.
 *
 * <p>The rows live in one list state and carry the batch's bookkeeping themselves (the first row's
 * time and origin, the last row's origin), so adding an example is one write (a merge on RocksDB)
 * and no read. How many rows a key has waiting is kept in memory, per key this operator instance
 * has met: the count mirrors the state exactly, because every change to the rows goes through this
 * class. A key met for the first time since the instance started (a new key, or any key after a
 * restore or a rescale) costs one read of its rows, which also upgrades rows of older layouts.
 *
 * <p>Memory: one map entry per key the instance has met (about 100 bytes on the heap beside the
 * key's string), whatever the state backend; an evicted idle key leaves the map.
 *
 * <p>Older layouts, met on that first read: up to v0.3 the batch's bookkeeping was a value state
 * ({@link PendingBatch}) beside rows without time and origin; v0.1 kept rows as {@code double[]}
 * with the label last, in a list state of their own. Both are rewritten as rows of the current
 * layout, oldest first, and the old states are cleared.
 */
final class PendingExamples {

  private final ListState<PendingRow> rows;
  private final ValueState<PendingBatch> legacyBatch;
  private final ListState<double[]> legacyRows;
  private final Map<Object, int[]> waiting = new HashMap<>();

  /**
   * @param rows the rows of the open batches
   * @param legacyBatch the open batch's bookkeeping of v0.1-v0.3, read once per key to upgrade it
   * @param legacyRows the rows of v0.1, read once per key to upgrade them
   */
  PendingExamples(
      ListState<PendingRow> rows,
      ValueState<PendingBatch> legacyBatch,
      ListState<double[]> legacyRows) {
    this.rows = rows;
    this.legacyBatch = legacyBatch;
    this.legacyRows = legacyRows;
  }

  /**
   * Whether the current key is met for the first time by this instance (then its rows are read
   * once, and upgraded from an older layout if need be).
   */
  boolean firstMeeting(Object key) throws Exception {
    if (waiting.containsKey(key)) {
      return false;
    }
    slot(key);
    return true;
  }

  /** The current key's count, read from its rows on the first meeting. */
  private int[] slot(Object key) throws Exception {
    int[] count = waiting.get(key);
    if (count == null) {
      count = new int[] {load().size()};
      waiting.put(key, count);
    }
    return count;
  }

  /** Examples waiting for the current key. */
  int count(Object key) throws Exception {
    return slot(key)[0];
  }

  /** Adds a row to the current key's open batch; returns how many are waiting now. */
  int add(Object key, PendingRow row) throws Exception {
    int[] count = slot(key);
    rows.add(row);
    return ++count[0];
  }

  /** The current key's waiting rows, oldest first, without taking them (empty when none). */
  List<PendingRow> peek(Object key) throws Exception {
    return count(key) == 0 ? List.of() : read();
  }

  /** Takes the current key's waiting rows, oldest first: the batch closes. */
  List<PendingRow> take(Object key) throws Exception {
    List<PendingRow> taken = peek(key);
    if (!taken.isEmpty()) {
      rows.clear();
      slot(key)[0] = 0;
    }
    return taken;
  }

  /** Clears the current key's rows and forgets the key (an evicted idle key). */
  void forget(Object key) {
    rows.clear();
    legacyBatch.clear();
    legacyRows.clear();
    waiting.remove(key);
  }

  private List<PendingRow> read() throws Exception {
    List<PendingRow> all = new ArrayList<>();
    Iterable<PendingRow> stored = rows.get();
    if (stored != null) {
      stored.forEach(all::add);
    }
    return all;
  }

  /** The key's rows in the current layout, after upgrading an older one. */
  private List<PendingRow> load() throws Exception {
    PendingBatch old = legacyBatch.value();
    if (old == null) {
      return read();
    }
    // v0.1-v0.3: the rows of v0.1 came first, then the typed rows; the bookkeeping beside them.
    List<PendingRow> all = new ArrayList<>();
    Iterable<double[]> legacy = legacyRows.get();
    if (legacy != null) {
      for (double[] row : legacy) {
        all.add(new PendingRow(Arrays.copyOf(row, row.length - 1), row[row.length - 1]));
      }
    }
    all.addAll(read());
    if (!all.isEmpty()) {
      all.set(0, all.get(0).withBookkeeping(old.firstTimestamp(), old.firstOrigin()));
      int last = all.size() - 1;
      // One row: its first and last origin are the same event's.
      all.set(last, all.get(last).withBookkeeping(all.get(last).timestamp(), old.lastOrigin()));
    }
    legacyBatch.clear();
    legacyRows.clear();
    rows.update(all);
    return all;
  }
}
