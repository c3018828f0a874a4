package io.koala.job;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.koala.connectors.DeadLetter;
import io.koala.connectors.DriftEvent;
import io.koala.connectors.Example;
import io.koala.connectors.ModelSnapshot;
import io.koala.connectors.PredictionResult;
import io.koala.connectors.TrainingEvent;
import io.koala.connectors.TrainingMetrics;
import io.koala.model.Batch;
import io.koala.optimizer.Optimizer;
import io.koala.state.ModelState;
import io.koala.state.OptimizerState;
import io.koala.state.PendingBatch;
import io.koala.state.PendingBatchSerializer;
import io.koala.training.Trainer;
import io.koala.training.TrainingOutcome;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * One model per key: collects labelled examples into micro-batches, trains on each batch
 * (test-then-train), answers prediction requests, and emits snapshots, metrics, drift events and
 * dead letters. It reads state, calls the {@link Trainer}, writes state and emits; no math here.
 *
 * <p>Batches close when {@code koala.batch.size} examples are waiting, when the watermark passes
 * the first waiting example by {@code koala.batch.max-delay} (if set), and at the end of a bounded
 * input (the watermark reaches +∞), where every key also emits a final snapshot. Pre-batched
 * messages are trained as exactly one step.
 */
public final class KoalaTrainingFunction
    extends KeyedProcessFunction<String, TrainingEvent, ModelSnapshot> {

  private static final long serialVersionUID = 1L;

  /** State names: fixed forever, savepoints depend on them. */
  static final String MODEL_STATE = "koala-model";
  static final String PENDING_STATE = "koala-pending";
  static final String PENDING_ROWS_STATE = "koala-pending-rows";

  /** The timer that fires at the end of a bounded input. */
  static final long END_OF_INPUT = Long.MAX_VALUE;

  /** Builds the trainer in each task (the configured one by default; benchmarks swap it). */
  public interface TrainerFactory extends java.io.Serializable {
    Trainer<OptimizerState> create(JobConfig config);
  }

  private final JobConfig config;
  private final TrainerFactory factory;

  private transient Trainer<OptimizerState> trainer;
  private transient ValueState<ModelState<OptimizerState>> model;
  private transient ValueState<PendingBatch> pending;
  private transient ListState<double[]> rows;
  private transient Counter batches;
  private transient Counter refused;
  private transient Counter predictions;
  private transient Counter driftAlarms;

  public KoalaTrainingFunction(JobConfig config) {
    this(config, JobConfig::trainer);
  }

  public KoalaTrainingFunction(JobConfig config, TrainerFactory factory) {
    this.config = config;
    this.factory = factory;
  }

  @Override
  public void open(OpenContext context) {
    trainer = factory.create(config);
    model = getRuntimeContext().getState(
        new ValueStateDescriptor<>(MODEL_STATE, config.stateSerializer()));
    pending = getRuntimeContext().getState(
        new ValueStateDescriptor<>(PENDING_STATE, PendingBatchSerializer.INSTANCE));
    rows = getRuntimeContext().getListState(new ListStateDescriptor<>(PENDING_ROWS_STATE,
        PrimitiveArrayTypeInfo.DOUBLE_PRIMITIVE_ARRAY_TYPE_INFO));
    var metrics = getRuntimeContext().getMetricGroup().addGroup("koala");
    batches = metrics.counter("batches");
    refused = metrics.counter("refusedSteps");
    predictions = metrics.counter("predictions");
    driftAlarms = metrics.counter("driftAlarms");
  }

  private ModelState<OptimizerState> current() throws Exception {
    ModelState<OptimizerState> state = model.value();
    return state != null ? state : trainer.initial();
  }

  @Override
  public void processElement(TrainingEvent event, Context ctx, Collector<ModelSnapshot> out)
      throws Exception {
    long ts = event.timestamp() != TrainingEvent.NO_TIMESTAMP ? event.timestamp()
        : ctx.timestamp() != null ? ctx.timestamp() : TrainingEvent.NO_TIMESTAMP;
    if (event.isPredictionRequest()) {
      answer(event, ctx);
      return;
    }
    if (event.batch()) {
      ctx.timerService().registerEventTimeTimer(END_OF_INPUT);
      train(toBatch(event.examples()), ts, event.origin(), event.origin(), ctx, out);
      return;
    }
    PendingBatch open = pending.value();
    if (open == null || open.count() == 0) {
      // The end-of-input timer, registered where events arrive (never while it fires: at a
      // watermark of +inf it would fire again). Timers are deduplicated per key and time, and
      // this needs no read of the model's state.
      ctx.timerService().registerEventTimeTimer(END_OF_INPUT);
      open = new PendingBatch(0, ts, event.origin(), event.origin());
      Duration delay = config.maxDelay();
      if (delay != null && ts != TrainingEvent.NO_TIMESTAMP) {
        ctx.timerService().registerEventTimeTimer(flushTime(ts, delay));
      }
    }
    Example example = event.examples()[0];
    double[] row = java.util.Arrays.copyOf(example.features(), example.features().length + 1);
    row[row.length - 1] = example.label();
    rows.add(row);
    open = new PendingBatch(open.count() + 1, open.firstTimestamp(), open.firstOrigin(),
        event.origin());
    if (open.count() >= config.batchSize()) {
      Duration delay = config.maxDelay();
      if (delay != null && open.firstTimestamp() != TrainingEvent.NO_TIMESTAMP) {
        ctx.timerService().deleteEventTimeTimer(flushTime(open.firstTimestamp(), delay));
      }
      closeBatch(open, ts, ctx, out);
    } else {
      pending.update(open);
    }
  }

  private static long flushTime(long first, Duration delay) {
    long millis = delay.toMillis();
    return first > Long.MAX_VALUE - 1 - millis ? Long.MAX_VALUE - 1 : first + millis;
  }

  @Override
  public void onTimer(long timestamp, OnTimerContext ctx, Collector<ModelSnapshot> out)
      throws Exception {
    PendingBatch open = pending.value();
    if (open != null && open.count() > 0) {
      closeBatch(open, timestamp == END_OF_INPUT ? open.firstTimestamp() : timestamp, ctx, out);
    }
    if (timestamp == END_OF_INPUT) {
      ModelState<OptimizerState> state = model.value();
      // Versions that are multiples of every-batches were written when they were made: each
      // (key, version) is written once.
      if (state != null && (state.version() == 0 || state.version() % config.snapshotEvery() != 0)) {
        out.collect(snapshot(ctx.getCurrentKey(), state,
            open == null ? TrainingEvent.NO_TIMESTAMP : open.firstTimestamp()));
      }
    }
  }

  private void closeBatch(PendingBatch open, long ts, Context ctx, Collector<ModelSnapshot> out)
      throws Exception {
    List<double[]> waiting = new ArrayList<>();
    for (double[] row : rows.get()) {
      waiting.add(row);
    }
    rows.clear();
    pending.clear();
    int d = waiting.get(0).length - 1;
    double[][] x = new double[waiting.size()][];
    double[] y = new double[waiting.size()];
    for (int i = 0; i < x.length; i++) {
      double[] row = waiting.get(i);
      x[i] = java.util.Arrays.copyOf(row, d);
      y[i] = row[d];
    }
    train(new Batch(x, y), ts, open.firstOrigin(), open.lastOrigin(), ctx, out);
  }

  private void train(Batch batch, long ts, String firstOrigin, String lastOrigin, Context ctx,
      Collector<ModelSnapshot> out) throws Exception {
    String key = ctx.getCurrentKey();
    TrainingOutcome<OptimizerState> outcome = trainer.train(current(), batch);
    ModelState<OptimizerState> next = outcome.state();
    model.update(next);
    batches.inc();
    Optimizer<OptimizerState> optimizer = trainer.optimizer();
    OptimizerState s = next.optimizer();
    boolean accepted = outcome.report().accepted();
    ctx.output(Outputs.METRICS, new TrainingMetrics(key, next.version(), outcome.examples(),
        outcome.loss(), outcome.accuracy(), outcome.report().target(), optimizer.measurementNoise(s),
        optimizer.processNoise(s), optimizer.covariance(s), outcome.report().driftDetected(),
        !accepted, ts));
    if (!accepted) {
      refused.inc();
      String source = firstOrigin.equals(lastOrigin) ? firstOrigin : firstOrigin + " .. " + lastOrigin;
      ctx.output(Outputs.DEAD_LETTERS, new DeadLetter("STEP_REFUSED",
          outcome.report().refusal().message(), source, batchJson(key, batch)));
      return;
    }
    if (outcome.report().driftDetected()) {
      driftAlarms.inc();
      ctx.output(Outputs.DRIFT, new DriftEvent(key, next.version(),
          outcome.report().driftStatistic(), config.driftThreshold(), ts));
    }
    if (next.version() % config.snapshotEvery() == 0) {
      out.collect(snapshot(key, next, ts));
    }
  }

  private void answer(TrainingEvent event, Context ctx) throws Exception {
    Trainer.Answer answer = trainer.predict(current(), event.examples()[0].features());
    var p = answer.prediction();
    boolean binary = trainer.model().isClassifier() && p.scores() == null;
    ctx.output(Outputs.PREDICTIONS, new PredictionResult(ctx.getCurrentKey(), event.id(),
        trainer.model().predictedLabel(p), p.scores(), binary ? p.value() : Double.NaN,
        answer.variance(), answer.modelVersion()));
    predictions.inc();
  }

  private ModelSnapshot snapshot(String key, ModelState<OptimizerState> state, long ts) {
    Optimizer<OptimizerState> optimizer = trainer.optimizer();
    OptimizerState s = state.optimizer();
    return new ModelSnapshot(key, state.version(), state.examples(), optimizer.name(),
        config.get(KoalaOptions.MODEL_TYPE).toString(), s.parameters().clone(),
        optimizer.covariance(s), optimizer.measurementNoise(s), optimizer.processNoise(s), ts);
  }

  private static Batch toBatch(Example[] examples) {
    double[][] x = new double[examples.length][];
    double[] y = new double[examples.length];
    for (int i = 0; i < examples.length; i++) {
      x[i] = examples[i].features();
      y[i] = examples[i].label();
    }
    return new Batch(x, y);
  }

  private static final ObjectMapper JSON = new ObjectMapper();

  /** A refused batch in the input format, so that it can be replayed after inspection. */
  private static byte[] batchJson(String key, Batch batch) {
    var root = JSON.createObjectNode();
    root.put("key", key);
    ArrayNode examples = root.putArray("batch");
    for (int i = 0; i < batch.size(); i++) {
      var e = examples.addObject();
      ArrayNode f = e.putArray("features");
      for (double v : batch.features()[i]) {
        f.add(v);
      }
      e.put("label", batch.labels()[i]);
    }
    return root.toString().getBytes(StandardCharsets.UTF_8);
  }
}
