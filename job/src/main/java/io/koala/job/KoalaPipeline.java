package io.koala.job;

import io.koala.connectors.DeadLetter;
import io.koala.connectors.Decoded;
import io.koala.connectors.DriftEvent;
import io.koala.connectors.JsonOutput;
import io.koala.connectors.ModelSnapshot;
import io.koala.connectors.OutputRecord;
import io.koala.connectors.PredictionResult;
import io.koala.connectors.TrainingEvent;
import io.koala.connectors.TrainingMetrics;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Assembles the training job between a stream of decoded records and five sinks. Sources and sinks
 * are injected, so tests run the same pipeline on in-memory ones.
 *
 * <pre>{@code
 * KoalaPipeline.Streams out = KoalaPipeline.build(decodedRecords, config);
 * out.models().sinkTo(modelSink).uid("sink-models");
 * }</pre>
 */
public final class KoalaPipeline {

  private KoalaPipeline() {}

  /** Operator uids: fixed forever, savepoints depend on them. */
  public static final String UID_DECODE = "koala-decode";

  public static final String UID_WATERMARKS = "koala-watermarks";
  public static final String UID_TRAIN = "koala-train";

  /** The job's five output streams. */
  public record Streams(
      DataStream<ModelSnapshot> models,
      DataStream<TrainingMetrics> metrics,
      DataStream<PredictionResult> predictions,
      DataStream<DriftEvent> drift,
      DataStream<DeadLetter> deadLetters) {

    /** Encodes every stream as JSON lines and sends each to its sink. */
    public void sinkTo(Sinks sinks) {
      send(models.map(JsonOutput::record), "models", sinks.models(), sinks);
      send(metrics.map(JsonOutput::record), "metrics", sinks.metrics(), sinks);
      send(predictions.map(JsonOutput::record), "predictions", sinks.predictions(), sinks);
      send(drift.map(JsonOutput::record), "drift", sinks.drift(), sinks);
      send(deadLetters.map(JsonOutput::record), "dead-letters", sinks.deadLetters(), sinks);
    }

    private static void send(
        SingleOutputStreamOperator<OutputRecord> encoded,
        String name,
        Sink<OutputRecord> sink,
        Sinks sinks) {
      encoded.returns(OutputRecord.class).uid("koala-encode-" + name).name("encode " + name);
      var sunk = encoded.sinkTo(sink).uid("koala-sink-" + name).name(name);
      if (sinks.singleWriter()) {
        encoded.setParallelism(1);
        sunk.setParallelism(1);
      }
    }
  }

  /**
   * Where each output goes, as JSON lines.
   *
   * @param singleWriter run each sink as one writer (file sinks: one file per output)
   */
  public record Sinks(
      Sink<OutputRecord> models,
      Sink<OutputRecord> metrics,
      Sink<OutputRecord> predictions,
      Sink<OutputRecord> drift,
      Sink<OutputRecord> deadLetters,
      boolean singleWriter) {}

  /** Routes rejects to the dead-letter side output; decoded events go on. */
  static final class Route extends ProcessFunction<Decoded, TrainingEvent> {
    private static final long serialVersionUID = 1L;
    private transient org.apache.flink.metrics.Counter rejected;
    private transient java.util.Map<String, org.apache.flink.metrics.Counter> byReason;
    private transient org.apache.flink.metrics.MetricGroup metrics;

    @Override
    public void open(org.apache.flink.api.common.functions.OpenContext context) {
      metrics = getRuntimeContext().getMetricGroup().addGroup("koala");
      rejected = metrics.counter("deadLetters");
      byReason = new java.util.HashMap<>();
    }

    @Override
    public void processElement(Decoded value, Context ctx, Collector<TrainingEvent> out) {
      if (value.ok()) {
        out.collect(value.event());
      } else {
        rejected.inc();
        // One counter per reason, a "reason" label in Prometheus.
        byReason
            .computeIfAbsent(
                value.reject().reason().name(),
                r -> metrics.addGroup("reason", r).counter("deadLetters"))
            .inc();
        ctx.output(Outputs.DEAD_LETTERS, DeadLetter.of(value));
      }
    }
  }

  /**
   * Routing and event time run at the parallelism of {@code decoded} and chain to it, so that every
   * key's events reach the trainer through one channel, in source order: with one source split per
   * key (a Kafka partition, the file reader) the micro-batches, and so the models, are a pure
   * function of the input.
   */
  public static Streams build(DataStream<Decoded> decoded, JobConfig config) {
    return build(decoded, config, TrainerSpec::trainer);
  }

  /** As {@link #build(DataStream, JobConfig)} with another trainer (benchmarks' no-op floor). */
  public static Streams build(
      DataStream<Decoded> decoded, JobConfig config, TrainingSettings.TrainerFactory trainers) {
    int sourceParallelism = decoded.getParallelism();
    SingleOutputStreamOperator<TrainingEvent> events =
        decoded
            .process(new Route())
            .uid(UID_DECODE)
            .name("route bad input")
            .setParallelism(sourceParallelism);
    DataStream<TrainingEvent> timed =
        events
            .assignTimestampsAndWatermarks(watermarks(config))
            .uid(UID_WATERMARKS)
            .name("event time")
            .setParallelism(sourceParallelism);
    SingleOutputStreamOperator<ModelSnapshot> trained =
        timed
            .keyBy(TrainingEvent::key)
            .process(new KoalaTrainingFunction(TrainingSettings.of(config, trainers)))
            .uid(UID_TRAIN)
            .name("koala train");
    DataStream<DeadLetter> deadLetters =
        events
            .getSideOutput(Outputs.DEAD_LETTERS)
            .union(trained.getSideOutput(Outputs.DEAD_LETTERS));
    return new Streams(
        trained,
        trained.getSideOutput(Outputs.METRICS),
        trained.getSideOutput(Outputs.PREDICTIONS),
        trained.getSideOutput(Outputs.DRIFT),
        deadLetters);
  }

  /**
   * Event time from {@code ts} when present. Without {@code koala.batch.max-delay} (or an idle
   * timeout in event time, {@code koala.model.idle-timeout.time: event}) no watermark is generated
   * (only the end of a bounded input sends one, which closes every batch). With it, watermarks are
   * generated from the events themselves (never periodically), so where they fall among a key's
   * records depends only on the input: flushes are deterministic when each key's events come
   * through one source split, as with keyed Kafka partitions.
   */
  private static WatermarkStrategy<TrainingEvent> watermarks(JobConfig config) {
    WatermarkStrategy<TrainingEvent> strategy =
        !config.watermarks()
            ? WatermarkStrategy.noWatermarks()
            : WatermarkStrategy.forGenerator(context -> new EventWatermarks());
    return strategy.withTimestampAssigner(
        (event, previous) ->
            event.timestamp() != TrainingEvent.NO_TIMESTAMP ? event.timestamp() : previous);
  }

  /** Emits a watermark from an event whenever the largest timestamp seen has grown. */
  static final class EventWatermarks
      implements org.apache.flink.api.common.eventtime.WatermarkGenerator<TrainingEvent> {
    private long max = Long.MIN_VALUE;

    @Override
    public void onEvent(
        TrainingEvent event,
        long timestamp,
        org.apache.flink.api.common.eventtime.WatermarkOutput output) {
      if (timestamp != Long.MIN_VALUE && timestamp > max) {
        max = timestamp;
        output.emitWatermark(new org.apache.flink.api.common.eventtime.Watermark(max));
      }
    }

    @Override
    public void onPeriodicEmit(org.apache.flink.api.common.eventtime.WatermarkOutput output) {}
  }
}
