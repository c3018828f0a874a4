package io.koala.job;

import io.koala.connectors.Decoded;
import io.koala.connectors.JsonEventDecoder;
import io.koala.connectors.file.JsonLinesFileSink;
import io.koala.connectors.file.JsonLinesFiles;
import io.koala.connectors.file.LineReader;
import java.nio.file.Path;
import java.util.List;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.source.lib.NumberSequenceSource;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The training job: the pipeline of {@link KoalaPipeline} between the configured source and
 * sinks. {@code main} is the command line ({@link KoalaCommand}).
 */
public final class KoalaJob {

  private KoalaJob() {}

  public static void main(String[] args) throws Exception {
    System.exit(KoalaCommand.run(args, System.out, System.err));
  }

  /** Adds the file-to-files job to {@code env}: backfill from history. */
  public static void buildFileJob(StreamExecutionEnvironment env, JobConfig config) {
    KoalaPipeline.build(fileSource(env, config), config).sinkTo(fileSinks(config));
  }

  /**
   * The lines of {@code koala.file.input}, decoded, in file order (one reader, so every key sees
   * its events in file order, and a restored job resumes at the exact line).
   */
  public static DataStream<Decoded> fileSource(StreamExecutionEnvironment env, JobConfig config) {
    List<Path> files = JsonLinesFiles.resolve(config.get(KoalaOptions.FILE_INPUT));
    long lines = JsonLinesFiles.countLines(files);
    JsonEventDecoder decoder = new JsonEventDecoder(config.decoderLimits());
    return env.fromSource(new NumberSequenceSource(0, lines - 1), WatermarkStrategy.noWatermarks(),
            "koala-file-lines").uid("koala-file-source").setParallelism(1)
        .map(new LineReader(files, decoder)).returns(TypeInformation.of(Decoded.class))
        .uid("koala-file-decode").name("read and decode lines").setParallelism(1);
  }

  /** models.jsonl, metrics.jsonl, predictions.jsonl, drift.jsonl, dead-letters.jsonl. */
  public static KoalaPipeline.Sinks fileSinks(JobConfig config) {
    Path dir = Path.of(config.get(KoalaOptions.OUTPUT_DIR)).toAbsolutePath();
    return new KoalaPipeline.Sinks(
        new JsonLinesFileSink(dir.resolve("models.jsonl")),
        new JsonLinesFileSink(dir.resolve("metrics.jsonl")),
        new JsonLinesFileSink(dir.resolve("predictions.jsonl")),
        new JsonLinesFileSink(dir.resolve("drift.jsonl")),
        new JsonLinesFileSink(dir.resolve("dead-letters.jsonl")), true);
  }
}
