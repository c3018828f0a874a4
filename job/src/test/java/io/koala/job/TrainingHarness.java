package io.koala.job;

import io.koala.connectors.ModelSnapshot;
import io.koala.connectors.TrainingEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.runtime.checkpoint.SavepointType;
import org.apache.flink.state.rocksdb.EmbeddedRocksDBStateBackend;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.util.OutputTag;

/**
 * The training operator in Flink's keyed operator test harness, with the few steps the job's tests
 * take: the one place that builds it.
 *
 * <pre>{@code
 * var h = TrainingHarness.of(Fixtures.config("koala-v")).open();
 * h.feed(Fixtures.stream(3, 2, 40));
 * Map<String, double[]> models = h.finish();
 * }</pre>
 */
final class TrainingHarness implements AutoCloseable {

  /** Where a harness keeps its keyed state. */
  enum Backend {
    HEAP,
    ROCKSDB
  }

  private final KeyedOneInputStreamOperatorTestHarness<String, TrainingEvent, ModelSnapshot> h;

  private TrainingHarness(TrainingSettings settings, Backend backend) throws Exception {
    h =
        new KeyedOneInputStreamOperatorTestHarness<>(
            new KeyedProcessOperator<>(new KoalaTrainingFunction(settings)),
            TrainingEvent::key,
            Types.STRING);
    if (backend == Backend.ROCKSDB) {
      h.setStateBackend(new EmbeddedRocksDBStateBackend());
    }
  }

  /** A harness for the configured trainer, on the heap backend, not opened yet. */
  static TrainingHarness of(JobConfig config) throws Exception {
    return of(config, Backend.HEAP);
  }

  static TrainingHarness of(JobConfig config, Backend backend) throws Exception {
    return new TrainingHarness(TrainingSettings.of(config), backend);
  }

  /** Opens a fresh operator. */
  TrainingHarness open() throws Exception {
    h.open();
    return this;
  }

  /** Restores the operator from a snapshot, then opens it. */
  TrainingHarness restore(OperatorSubtaskState state) throws Exception {
    h.initializeState(state);
    h.open();
    return this;
  }

  /** Sends each event with its own timestamp as the record's. */
  TrainingHarness feed(List<TrainingEvent> events) throws Exception {
    for (TrainingEvent e : events) {
      h.processElement(new StreamRecord<>(e, e.timestamp()));
    }
    return this;
  }

  /** Sends one event as a record without a timestamp. */
  TrainingHarness send(TrainingEvent event) throws Exception {
    h.processElement(new StreamRecord<>(event));
    return this;
  }

  TrainingHarness watermark(long time) throws Exception {
    h.processWatermark(new Watermark(time));
    return this;
  }

  /** Sets the operator's processing time (the harness's clock starts at 0). */
  TrainingHarness processingTime(long time) throws Exception {
    h.setProcessingTime(time);
    return this;
  }

  /** Ends the input (watermark +∞) and returns each key's last emitted parameters. */
  Map<String, double[]> finish() throws Exception {
    watermark(Long.MAX_VALUE);
    Map<String, double[]> models = new TreeMap<>();
    for (ModelSnapshot s : snapshots()) {
      models.put(s.key(), s.params());
    }
    return models;
  }

  /** The model snapshots emitted so far. */
  List<ModelSnapshot> snapshots() {
    return h.extractOutputValues();
  }

  /** The values emitted so far on one side output. */
  <T> List<T> sideOutput(OutputTag<T> tag) {
    List<T> values = new ArrayList<>();
    var records = h.getSideOutput(tag);
    if (records != null) {
      for (StreamRecord<T> r : records) {
        values.add(r.getValue());
      }
    }
    return values;
  }

  /** A checkpoint of the operator, in the format of its state backend. */
  OperatorSubtaskState snapshot() throws Exception {
    return h.snapshot(1, 1);
  }

  /** A savepoint in the canonical format, which restores on any state backend. */
  OperatorSubtaskState savepoint() throws Exception {
    return h.snapshotWithLocalState(1, 1, SavepointType.savepoint(SavepointFormatType.CANONICAL))
        .getJobManagerOwnedState();
  }

  int keyedStateEntries() {
    return h.numKeyedStateEntries();
  }

  int eventTimeTimers() {
    return h.numEventTimeTimers();
  }

  int processingTimeTimers() {
    return h.numProcessingTimeTimers();
  }

  @Override
  public void close() throws Exception {
    h.close();
  }
}
