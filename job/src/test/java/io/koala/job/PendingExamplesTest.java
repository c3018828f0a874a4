package io.koala.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.koala.state.PendingBatch;
import io.koala.state.PendingRow;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ValueState;
import org.junit.jupiter.api.Test;

/**
 * The per-event path of the keyed operator's open batches: one state write per added example and no
 * read once a key has been met; a new instance (after a restore) reads a key's rows once, and
 * upgrades rows of the v0.1-v0.3 layouts.
 */
class PendingExamplesTest {

  /** Accesses to a key's states, counted: what a state backend would be asked to do. */
  static final class Counts {
    int reads;
    int writes;
  }

  /** One key's list state in memory, counting its accesses. */
  static final class Rows<T> implements ListState<T> {
    final List<T> values = new ArrayList<>();
    final Counts counts;

    Rows(Counts counts) {
      this.counts = counts;
    }

    @Override
    public Iterable<T> get() {
      counts.reads++;
      return values.isEmpty() ? null : new ArrayList<>(values);
    }

    @Override
    public void add(T value) {
      counts.writes++;
      values.add(value);
    }

    @Override
    public void update(List<T> list) {
      counts.writes++;
      values.clear();
      values.addAll(list);
    }

    @Override
    public void addAll(List<T> list) {
      counts.writes++;
      values.addAll(list);
    }

    @Override
    public void clear() {
      counts.writes++;
      values.clear();
    }
  }

  /** One key's value state in memory, counting its accesses. */
  static final class Value<T> implements ValueState<T> {
    T value;
    final Counts counts;

    Value(Counts counts) {
      this.counts = counts;
    }

    @Override
    public T value() {
      counts.reads++;
      return value;
    }

    @Override
    public void update(T v) {
      counts.writes++;
      value = v;
    }

    @Override
    public void clear() {
      counts.writes++;
      value = null;
    }
  }

  private static PendingRow row(int i) {
    return new PendingRow(new double[] {i, -i}, i % 2, 1_000L + i, "t/0/" + i);
  }

  @Test
  void addingExamples_costsOneWriteEach_andNoRead_onceTheKeyIsMet() throws Exception {
    Counts counts = new Counts();
    Rows<PendingRow> rows = new Rows<>(counts);
    PendingExamples examples =
        new PendingExamples(rows, new Value<>(counts), new Rows<double[]>(counts));
    assertThat(examples.firstMeeting("k")).isTrue();
    int readsToMeet = counts.reads;
    assertThat(examples.firstMeeting("k")).isFalse();
    for (int i = 0; i < 31; i++) {
      int reads = counts.reads;
      int writes = counts.writes;
      assertThat(examples.add("k", row(i))).isEqualTo(i + 1);
      assertThat(examples.count("k")).isEqualTo(i + 1);
      assertThat(counts.writes - writes).as("writes for example %d", i).isEqualTo(1);
      assertThat(counts.reads - reads).as("reads for example %d", i).isZero();
    }
    assertThat(readsToMeet).as("reads to meet a key").isEqualTo(2);
    List<PendingRow> taken = examples.take("k");
    assertThat(taken).hasSize(31);
    assertThat(taken.get(0).origin()).isEqualTo("t/0/0");
    assertThat(taken.get(30).timestamp()).isEqualTo(1_030L);
    assertThat(rows.values).isEmpty();
    assertThat(examples.count("k")).isZero();
  }

  @Test
  void aNewInstance_readsTheRowsOnce_andCountsOnFromThem() throws Exception {
    Counts counts = new Counts();
    Rows<PendingRow> rows = new Rows<>(counts);
    Value<PendingBatch> legacy = new Value<>(counts);
    Rows<double[]> legacyRows = new Rows<>(counts);
    PendingExamples before = new PendingExamples(rows, legacy, legacyRows);
    for (int i = 0; i < 5; i++) {
      before.add("k", row(i));
    }
    // The state survives, the instance (and its memory of counts) does not.
    PendingExamples after = new PendingExamples(rows, legacy, legacyRows);
    assertThat(after.count("k")).isEqualTo(5);
    int reads = counts.reads;
    assertThat(after.add("k", row(5))).isEqualTo(6);
    assertThat(counts.reads).isEqualTo(reads);
    assertThat(after.take("k"))
        .extracting(PendingRow::origin)
        .containsExactly("t/0/0", "t/0/1", "t/0/2", "t/0/3", "t/0/4", "t/0/5");
  }

  @Test
  void rowsOfOlderLayouts_areUpgraded_withTheBatchsBookkeeping_v01RowsFirst() throws Exception {
    Counts counts = new Counts();
    Rows<PendingRow> rows = new Rows<>(counts);
    Value<PendingBatch> legacy = new Value<>(counts);
    Rows<double[]> legacyRows = new Rows<>(counts);
    legacyRows.values.add(new double[] {1, 2, 1});
    rows.values.add(new PendingRow(new double[] {3, 4}, 0));
    rows.values.add(new PendingRow(new double[] {5, 6}, 1));
    legacy.value = new PendingBatch(3, 777L, "t/1/10", "t/1/12");
    PendingExamples examples = new PendingExamples(rows, legacy, legacyRows);
    assertThat(examples.count("k")).isEqualTo(3);
    assertThat(legacy.value).isNull();
    assertThat(legacyRows.values).isEmpty();
    List<PendingRow> waiting = examples.peek("k");
    assertThat(waiting).extracting(PendingRow::label).containsExactly(1.0, 0.0, 1.0);
    assertThat(waiting.get(0).features()).containsExactly(1, 2);
    assertThat(waiting.get(0).timestamp()).isEqualTo(777L);
    assertThat(waiting.get(0).origin()).isEqualTo("t/1/10");
    assertThat(waiting.get(2).origin()).isEqualTo("t/1/12");
    assertThat(examples.add("k", row(9))).isEqualTo(4);
  }

  @Test
  void forget_clearsTheKeysRows_andTheNextMeetingReadsAgain() throws Exception {
    Counts counts = new Counts();
    Rows<PendingRow> rows = new Rows<>(counts);
    PendingExamples examples =
        new PendingExamples(rows, new Value<>(counts), new Rows<double[]>(counts));
    examples.add("k", row(0));
    examples.forget("k");
    assertThat(rows.values).isEmpty();
    assertThat(examples.firstMeeting("k")).isTrue();
    assertThat(examples.count("k")).isZero();
  }
}
