package io.koala.job;

import io.koala.connectors.Example;
import io.koala.connectors.ModelSnapshot;
import io.koala.connectors.TrainingEvent;
import io.koala.connectors.TrainingMetrics;
import io.koala.model.Batch;
import io.koala.state.ModelState;
import io.koala.state.OptimizerState;
import io.koala.state.PendingBatchSerializer;
import io.koala.state.PendingRow;
import io.koala.state.PendingRowSerializer;
import io.koala.training.Isolation;
import io.koala.training.Trainer;
import io.koala.training.TrainingOutcome;
import java.time.Duration;
import java.util.List;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MeterView;
import org.apache.flink.streaming.api.TimeDomain;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * One model per key: collects labelled examples into micro-batches, trains on each batch
 * (test-then-train), answers prediction requests, and emits snapshots, metrics, drift events and
 * dead letters. It reads state, calls the {@link Trainer}, writes state and emits; the records are
 * built by {@link OutputRecords}, no math here.
 *
 * <p>Batches close when {@code batchSize} examples are waiting, when the watermark passes the first
 * waiting example by {@code maxDelay} (if set), and at the end of a bounded input (the watermark
 * reaches +∞), where every key also emits a final snapshot. Pre-batched messages are trained as
 * exactly one step.
 *
 * <p>The per-event path is cheap on every backend: a labelled example that does not close its batch
 * costs one write to state (its row, {@link PendingExamples}) and no read; the model's state is
 * read only when a batch closes or a prediction is asked for.
 *
 * <p>With an idle timeout ({@code koala.model.idle-timeout}) a key is checked every quarter of the
 * timeout by one timer, in processing or event time: a check that finds the key's progress (steps,
 * examples, refused batches, waiting examples) and its prediction flag unchanged since the last one
 * counts as quiet, and after four quiet checks in a row the key trains its waiting examples as a
 * last smaller batch, writes its final snapshot and is cleared, state and timers. Labelled events
 * pay nothing for this: no state access and no timer per event, one small read when a batch opens;
 * the check reads the model instead, once per quarter timeout.
 */
public final class KoalaTrainingFunction
    extends KeyedProcessFunction<String, TrainingEvent, ModelSnapshot> {

  private static final long serialVersionUID = 1L;

  /** State names: fixed forever, savepoints depend on them. */
  static final String MODEL_STATE = "koala-model";

  static final String PENDING_STATE = "koala-pending";
  static final String PENDING_EXAMPLES_STATE = "koala-pending-examples";

  /**
   * Waiting rows as written by version 0.1: features with the label appended, as a double[]. Only
   * read (and emptied) when a batch closes, so that savepoints of 0.1 restore; new rows go to
   * {@link #PENDING_EXAMPLES_STATE}. A serializer upgrade cannot turn one type into another on the
   * heap backend (it keeps the objects it restored), hence a second state.
   */
  static final String LEGACY_PENDING_ROWS_STATE = "koala-pending-rows";

  /**
   * With an idle timeout only: what the key's last idle check saw and when the next is due, as
   * {@code [progress, waiting examples, quiet checks, asked (0/1), next check time]}.
   */
  static final String IDLE_STATE = "koala-idle";

  /** Idle checks per timeout: a key goes after between 1 and 1 + 1/IDLE_CHECKS timeouts. */
  static final int IDLE_CHECKS = IdleClock.CHECKS;

  private static final int SEEN_PROGRESS = 0;
  private static final int SEEN_WAITING = 1;
  private static final int QUIET_CHECKS = 2;
  private static final int ASKED = 3;
  private static final int NEXT_CHECK = 4;

  /** The timer that fires at the end of a bounded input. */
  static final long END_OF_INPUT = Long.MAX_VALUE;

  private final TrainingSettings settings;

  private transient Trainer<OptimizerState> trainer;
  private transient OutputRecords records;
  private transient ValueState<ModelState<OptimizerState>> model;
  private transient PendingExamples examples;
  private transient Counter batches;
  private transient Counter refused;
  private transient Counter predictions;
  private transient Counter driftAlarms;
  private transient Counter examplesTrained;
  private transient Counter sparseBatches;

  /**
   * The initial model, made once, that answers requests to keys with no model yet (read only: it is
   * never trained, so never written in place).
   */
  private transient ModelState<OptimizerState> unseen;

  private transient WindowedMean prequentialLoss;
  private transient WindowedMean prequentialAccuracy;

  /** Batches (of every key of a subtask) behind the prequential loss and accuracy gauges. */
  static final int METRICS_WINDOW = 1_000;

  private transient Counter idleEvictions;

  /** The idle bookkeeping, or null without an idle timeout (then no such state exists). */
  private transient ValueState<long[]> idle;

  /** The idle checks' clock, or null without an idle timeout. */
  private transient IdleClock clock;

  public KoalaTrainingFunction(TrainingSettings settings) {
    this.settings = settings;
  }

  @Override
  public void open(OpenContext context) {
    trainer = settings.trainers().create();
    records = OutputRecords.of(trainer, settings);
    model =
        getRuntimeContext()
            .getState(new ValueStateDescriptor<>(MODEL_STATE, settings.stateSerializer()));
    examples =
        new PendingExamples(
            getRuntimeContext()
                .getListState(
                    new ListStateDescriptor<>(
                        PENDING_EXAMPLES_STATE, PendingRowSerializer.INSTANCE)),
            getRuntimeContext()
                .getState(
                    new ValueStateDescriptor<>(PENDING_STATE, PendingBatchSerializer.INSTANCE)),
            getRuntimeContext()
                .getListState(
                    new ListStateDescriptor<>(
                        LEGACY_PENDING_ROWS_STATE,
                        PrimitiveArrayTypeInfo.DOUBLE_PRIMITIVE_ARRAY_TYPE_INFO)));
    var metrics = getRuntimeContext().getMetricGroup().addGroup("koala");
    batches = metrics.counter("batches");
    refused = metrics.counter("refusedSteps");
    predictions = metrics.counter("predictions");
    driftAlarms = metrics.counter("driftAlarms");
    examplesTrained = metrics.counter("examples");
    sparseBatches = metrics.counter("sparseBatches");
    metrics.meter("examplesPerSecond", new MeterView(examplesTrained));
    prequentialLoss = metrics.gauge("prequentialLoss", new WindowedMean(METRICS_WINDOW));
    prequentialAccuracy = metrics.gauge("prequentialAccuracy", new WindowedMean(METRICS_WINDOW));
    idleEvictions = metrics.counter("idleEvictions");
    if (settings.idleTimeout() != null) {
      clock = new IdleClock(settings.idleTimeout(), settings.idleTime());
      idle =
          getRuntimeContext()
              .getState(
                  new ValueStateDescriptor<>(
                      IDLE_STATE, PrimitiveArrayTypeInfo.LONG_PRIMITIVE_ARRAY_TYPE_INFO));
    }
  }

  private ModelState<OptimizerState> current() throws Exception {
    ModelState<OptimizerState> state = model.value();
    return state != null ? state : trainer.initial();
  }

  @Override
  public void processElement(TrainingEvent event, Context ctx, Collector<ModelSnapshot> out)
      throws Exception {
    if (event instanceof TrainingEvent.PredictionRequest request) {
      answer(request, ctx);
      return;
    }
    long ts =
        event.timestamp() != TrainingEvent.NO_TIMESTAMP
            ? event.timestamp()
            : ctx.timestamp() != null ? ctx.timestamp() : TrainingEvent.NO_TIMESTAMP;
    if (event instanceof TrainingEvent.PreBatched batch) {
      if (examples.firstMeeting(ctx.getCurrentKey())) {
        ctx.timerService().registerEventTimeTimer(END_OF_INPUT);
      }
      watch(ts, ctx);
      train(toBatch(batch.examples()), ts, batch.origin(), batch.origin(), ctx, out);
    } else {
      collect((TrainingEvent.Labelled) event, ts, ctx, out);
    }
  }

  /**
   * Adds a labelled example to its key's open batch: one write to state (the row), and no read of
   * state once the key has been met by this instance; the batch closes when it is full.
   */
  private void collect(
      TrainingEvent.Labelled event, long ts, Context ctx, Collector<ModelSnapshot> out)
      throws Exception {
    String key = ctx.getCurrentKey();
    if (examples.firstMeeting(key)) {
      // The end-of-input timer, registered once per key and instance where events arrive (never
      // while it fires: at a watermark of +inf it would fire again). Registering it again after a
      // restore is harmless: timers are deduplicated per key and time.
      ctx.timerService().registerEventTimeTimer(END_OF_INPUT);
    }
    Duration delay = settings.maxDelay();
    if (examples.count(key) == 0) {
      watch(ts, ctx);
      if (delay != null && ts != TrainingEvent.NO_TIMESTAMP) {
        ctx.timerService().registerEventTimeTimer(flushTime(ts, delay));
      }
    }
    // A copy: the heap backend keeps the object itself, and the input's array is not ours.
    Example example = event.example();
    PendingRow row =
        new PendingRow(
            example.features().clone(),
            example.label(),
            ts,
            event.origin(),
            example.indices() == null ? null : example.indices().clone());
    if (examples.add(key, row) >= settings.batchSize()) {
      List<PendingRow> waiting = examples.take(key);
      long first = waiting.get(0).timestamp();
      if (delay != null && first != TrainingEvent.NO_TIMESTAMP) {
        ctx.timerService().deleteEventTimeTimer(flushTime(first, delay));
      }
      closeBatch(waiting, ts, ctx, out);
    }
  }

  private static long flushTime(long first, Duration delay) {
    long millis = delay.toMillis();
    return first > Long.MAX_VALUE - 1 - millis ? Long.MAX_VALUE - 1 : first + millis;
  }

  @Override
  public void onTimer(long timestamp, OnTimerContext ctx, Collector<ModelSnapshot> out)
      throws Exception {
    long[] watched = idle == null ? null : idle.value();
    boolean check =
        watched != null && watched[NEXT_CHECK] == timestamp && ctx.timeDomain() == clock.domain();
    if (ctx.timeDomain() == TimeDomain.EVENT_TIME) {
      // An idle check in event time is no flush, unless a flush falls on the same time.
      List<PendingRow> open =
          !check || settings.maxDelay() != null ? examples.peek(ctx.getCurrentKey()) : List.of();
      if (!check || isFlush(open, timestamp)) {
        closeOrEnd(timestamp, open, ctx, out);
      }
    }
    if (check) {
      checkIdle(watched, timestamp, ctx, out);
    }
  }

  private boolean isFlush(List<PendingRow> open, long timestamp) {
    Duration delay = settings.maxDelay();
    return !open.isEmpty()
        && delay != null
        && open.get(0).timestamp() != TrainingEvent.NO_TIMESTAMP
        && flushTime(open.get(0).timestamp(), delay) == timestamp;
  }

  /** An event-time timer other than an idle check: a flush, or the end of the input. */
  private void closeOrEnd(
      long timestamp, List<PendingRow> open, OnTimerContext ctx, Collector<ModelSnapshot> out)
      throws Exception {
    long first = open.isEmpty() ? TrainingEvent.NO_TIMESTAMP : open.get(0).timestamp();
    if (!open.isEmpty()) {
      closeBatch(
          examples.take(ctx.getCurrentKey()),
          timestamp == END_OF_INPUT ? first : timestamp,
          ctx,
          out);
    }
    if (timestamp == END_OF_INPUT) {
      ModelState<OptimizerState> state = model.value();
      // Versions that are multiples of every-batches were written when they were made: each
      // (key, version) is written once.
      if (state != null
          && (state.version() == 0 || state.version() % settings.snapshotEvery() != 0)) {
        out.collect(records.snapshot(ctx.getCurrentKey(), state, first));
      }
    }
  }

  /**
   * Starts the idle checks of a key that has none: a new key, a returning one, or one restored from
   * a run without the timeout. Called when a batch opens, not per event.
   */
  private void watch(long ts, Context ctx) throws Exception {
    if (idle == null || idle.value() != null) {
      return;
    }
    long now = clock.now(ctx.timerService());
    if (clock.eventTime() && ts != TrainingEvent.NO_TIMESTAMP) {
      now = Math.max(now, ts);
    }
    long next = clock.nextCheck(now);
    // Progress -1: the first check always counts the key as active.
    idle.update(new long[] {-1, 0, 0, 0, next});
    clock.register(ctx.timerService(), next);
  }

  /** One idle check: quiet or not, then the next check, or the key's eviction. */
  private void checkIdle(
      long[] watched, long timestamp, OnTimerContext ctx, Collector<ModelSnapshot> out)
      throws Exception {
    long now = clock.now(ctx.timerService());
    if (now == Long.MAX_VALUE) {
      return; // the end of the input: its own timer trains and snapshots every key
    }
    ModelState<OptimizerState> state = model.value();
    long progress =
        state == null ? 0 : state.version() + state.examples() + state.rejectedBatches();
    long waiting = examples.count(ctx.getCurrentKey());
    boolean quiet =
        watched[ASKED] == 0
            && progress == watched[SEEN_PROGRESS]
            && waiting == watched[SEEN_WAITING];
    long quietChecks = quiet ? watched[QUIET_CHECKS] + 1 : 0;
    if (quietChecks >= IDLE_CHECKS) {
      evict(state, timestamp, ctx, out);
      return;
    }
    long next = clock.nextCheck(now);
    idle.update(new long[] {progress, waiting, quietChecks, 0, next});
    clock.register(ctx.timerService(), next);
  }

  /**
   * A silent key's end: its waiting examples train as a last smaller batch, its final snapshot is
   * written (unless its version was just written), then its state and timers are cleared.
   */
  private void evict(
      ModelState<OptimizerState> state,
      long timestamp,
      OnTimerContext ctx,
      Collector<ModelSnapshot> out)
      throws Exception {
    boolean eventTime = clock.eventTime();
    long ts = TrainingEvent.NO_TIMESTAMP;
    List<PendingRow> open = examples.take(ctx.getCurrentKey());
    if (!open.isEmpty()) {
      long first = open.get(0).timestamp();
      Duration delay = settings.maxDelay();
      if (delay != null && first != TrainingEvent.NO_TIMESTAMP) {
        ctx.timerService().deleteEventTimeTimer(flushTime(first, delay));
      }
      // In event time the batch's time is the check's, as for a flush; in processing time it
      // keeps its first event's, as at the end of the input.
      ts = eventTime ? timestamp : first;
      closeBatch(open, ts, ctx, out);
      state = model.value();
    } else if (eventTime) {
      ts = timestamp;
    }
    if (state != null
        && (state.version() == 0 || state.version() % settings.snapshotEvery() != 0)) {
      out.collect(records.snapshot(ctx.getCurrentKey(), state, ts));
    }
    model.clear();
    examples.forget(ctx.getCurrentKey());
    idle.clear();
    ctx.timerService().deleteEventTimeTimer(END_OF_INPUT);
    idleEvictions.inc();
  }

  private void closeBatch(
      List<PendingRow> waiting, long ts, Context ctx, Collector<ModelSnapshot> out)
      throws Exception {
    double[][] x = new double[waiting.size()][];
    double[] y = new double[waiting.size()];
    int[][] at = null;
    for (int i = 0; i < x.length; i++) {
      PendingRow row = waiting.get(i);
      x[i] = row.features();
      y[i] = row.label();
      if (row.indices() != null) {
        if (at == null) {
          at = new int[x.length][];
        }
        at[i] = row.indices();
      }
    }
    String firstOrigin = waiting.get(0).origin();
    String lastOrigin = waiting.get(waiting.size() - 1).origin();
    String key = ctx.getCurrentKey();
    Batch batch = new Batch(x, y, at);
    // Examples that arrived one by one are isolated when their step is refused: the good ones
    // train, the offenders alone go to the dead letters.
    ModelState<OptimizerState> state = current();
    countSparse(state, batch);
    // The state just read is handed over: a sparse step writes its parameters in place (the heap
    // backend copies an entry on read while a snapshot holds it; RocksDB reads a fresh copy).
    for (Isolation.Attempt<OptimizerState> attempt : Isolation.trainOwned(trainer, state, batch)) {
      state = attempt.outcome().state();
      String offenders =
          attempt.batch().size() == batch.size()
              ? null
              : "example " + (attempt.offset() + 1) + " of " + batch.size() + " of the batch";
      emit(
          key,
          attempt.outcome(),
          attempt.batch(),
          offenders,
          ts,
          firstOrigin,
          lastOrigin,
          ctx,
          out);
    }
    model.update(state);
  }

  /** Counts a batch that takes the O(non-zeros) path. */
  private void countSparse(ModelState<OptimizerState> state, Batch batch) {
    if (trainer.stepsSparse(state, batch)) {
      sparseBatches.inc();
    }
  }

  /** A pre-batched message: exactly one step, refused or not, as the input contract says. */
  private void train(
      Batch batch,
      long ts,
      String firstOrigin,
      String lastOrigin,
      Context ctx,
      Collector<ModelSnapshot> out)
      throws Exception {
    ModelState<OptimizerState> state = current();
    countSparse(state, batch);
    TrainingOutcome<OptimizerState> outcome = trainer.trainOwned(state, batch);
    model.update(outcome.state());
    emit(ctx.getCurrentKey(), outcome, batch, null, ts, firstOrigin, lastOrigin, ctx, out);
  }

  /** The outputs of one step: metrics, and a dead letter, a drift event or a snapshot. */
  private void emit(
      String key,
      TrainingOutcome<OptimizerState> outcome,
      Batch batch,
      String part,
      long ts,
      String firstOrigin,
      String lastOrigin,
      Context ctx,
      Collector<ModelSnapshot> out) {
    ModelState<OptimizerState> next = outcome.state();
    batches.inc();
    TrainingMetrics step = records.metrics(key, outcome, ts);
    prequentialLoss.record(step.loss());
    prequentialAccuracy.record(step.accuracy());
    ctx.output(Outputs.METRICS, step);
    if (!outcome.report().accepted()) {
      refused.inc();
      ctx.output(
          Outputs.DEAD_LETTERS,
          records.refused(key, outcome, batch, part, firstOrigin, lastOrigin));
      return;
    }
    examplesTrained.inc(batch.size());
    if (outcome.report().driftDetected()) {
      driftAlarms.inc();
      ctx.output(Outputs.DRIFT, records.drift(key, outcome, ts));
    }
    if (next.version() % settings.snapshotEvery() == 0) {
      out.collect(records.snapshot(key, next, ts));
    }
  }

  private void answer(TrainingEvent.PredictionRequest request, Context ctx) throws Exception {
    ModelState<OptimizerState> state = model.value();
    if (idle != null) {
      // A request keeps its key alive: the next idle check counts it as active.
      long[] watched = idle.value();
      if (watched == null && state != null) {
        watch(request.timestamp(), ctx);
      } else if (watched != null && watched[ASKED] == 0) {
        long[] asked = watched.clone();
        asked[ASKED] = 1;
        idle.update(asked);
      }
    }
    if (state == null && unseen == null) {
      unseen = trainer.initial();
    }
    ModelState<OptimizerState> asked = state != null ? state : unseen;
    Trainer.Answer answer =
        request.isSparse()
            ? trainer.predict(asked, request.indices(), request.features())
            : trainer.predict(asked, request.features());
    ctx.output(Outputs.PREDICTIONS, records.prediction(ctx.getCurrentKey(), request.id(), answer));
    predictions.inc();
  }

  private static Batch toBatch(Example[] examples) {
    double[][] x = new double[examples.length][];
    double[] y = new double[examples.length];
    int[][] at = null;
    for (int i = 0; i < examples.length; i++) {
      x[i] = examples[i].features();
      y[i] = examples[i].label();
      if (examples[i].isSparse()) {
        if (at == null) {
          at = new int[examples.length][];
        }
        at[i] = examples[i].indices();
      }
    }
    return new Batch(x, y, at);
  }
}
