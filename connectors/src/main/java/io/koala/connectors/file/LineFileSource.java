package io.koala.connectors.file;

import io.koala.connectors.Decoded;
import io.koala.connectors.RecordDecoder;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.source.Boundedness;
import org.apache.flink.api.connector.source.ReaderOutput;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.api.connector.source.SourceEvent;
import org.apache.flink.api.connector.source.SourceOutput;
import org.apache.flink.api.connector.source.SourceReader;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.api.connector.source.SplitEnumerator;
import org.apache.flink.api.connector.source.SplitEnumeratorContext;
import org.apache.flink.api.connector.source.lib.NumberSequenceSource;
import org.apache.flink.api.connector.source.lib.NumberSequenceSource.NumberSequenceSplit;
import org.apache.flink.api.java.typeutils.ResultTypeQueryable;
import org.apache.flink.core.io.InputStatus;
import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.apache.flink.util.Collector;

/**
 * The decoded lines of input files as one bounded {@link Source}, so that it can open a Flink
 * {@code HybridSource} (history from files, then Kafka). It is the file job's mechanism in one
 * piece: the line numbers of a {@link NumberSequenceSource} (its splits, enumerator and
 * checkpoints, so a restored job resumes at the exact line) read and decoded by {@link LineReader}.
 * Run it with parallelism 1: one reader keeps every key's lines in file order.
 *
 * <pre>{@code
 * Source<Decoded, ?, ?> history = new LineFileSource(files, decoder, false);
 * HybridSource<Decoded> source = HybridSource.builder(history).addSource(kafkaSource).build();
 * }</pre>
 */
public final class LineFileSource
    implements Source<Decoded, NumberSequenceSplit, Collection<NumberSequenceSplit>>,
        ResultTypeQueryable<Decoded> {

  private static final long serialVersionUID = 1L;

  private final NumberSequenceSource lines;
  private final List<String> files;
  private final RecordDecoder decoder;
  private final boolean headers;

  /**
   * @param files the input files, read in this order (at least one line in all)
   * @param headers whether the first line of every file is a header (CSV) and no record
   */
  public LineFileSource(List<Path> files, RecordDecoder decoder, boolean headers) {
    long count = JsonLinesFiles.countLines(files);
    if (count == 0) {
      throw new IllegalArgumentException("the input files " + files + " hold no line");
    }
    this.lines = new NumberSequenceSource(0, count - 1);
    this.files = files.stream().map(Path::toString).toList();
    this.decoder = decoder;
    this.headers = headers;
  }

  @Override
  public Boundedness getBoundedness() {
    return Boundedness.BOUNDED;
  }

  @Override
  public SourceReader<Decoded, NumberSequenceSplit> createReader(SourceReaderContext context)
      throws Exception {
    LineReader reader = new LineReader(files.stream().map(Path::of).toList(), decoder, headers);
    reader.open(null);
    return new Reader(lines.createReader(context), reader);
  }

  @Override
  public SplitEnumerator<NumberSequenceSplit, Collection<NumberSequenceSplit>> createEnumerator(
      SplitEnumeratorContext<NumberSequenceSplit> context) {
    return lines.createEnumerator(context);
  }

  @Override
  public SplitEnumerator<NumberSequenceSplit, Collection<NumberSequenceSplit>> restoreEnumerator(
      SplitEnumeratorContext<NumberSequenceSplit> context, Collection<NumberSequenceSplit> state) {
    return lines.restoreEnumerator(context, state);
  }

  @Override
  public SimpleVersionedSerializer<NumberSequenceSplit> getSplitSerializer() {
    return lines.getSplitSerializer();
  }

  @Override
  public SimpleVersionedSerializer<Collection<NumberSequenceSplit>>
      getEnumeratorCheckpointSerializer() {
    return lines.getEnumeratorCheckpointSerializer();
  }

  @Override
  public TypeInformation<Decoded> getProducedType() {
    return TypeInformation.of(Decoded.class);
  }

  /** The sequence source's reader, each line number turned into its decoded line on the way out. */
  private static final class Reader implements SourceReader<Decoded, NumberSequenceSplit> {
    private final SourceReader<Long, NumberSequenceSplit> numbers;
    private final LineReader lines;
    private Decoding decoding;

    Reader(SourceReader<Long, NumberSequenceSplit> numbers, LineReader lines) {
      this.numbers = numbers;
      this.lines = lines;
    }

    @Override
    public void start() {
      numbers.start();
    }

    @Override
    public InputStatus pollNext(ReaderOutput<Decoded> output) throws Exception {
      if (decoding == null || decoding.out != output) {
        decoding = new Decoding(output, lines);
      }
      return numbers.pollNext(decoding);
    }

    @Override
    public List<NumberSequenceSplit> snapshotState(long checkpointId) {
      return numbers.snapshotState(checkpointId);
    }

    @Override
    public CompletableFuture<Void> isAvailable() {
      return numbers.isAvailable();
    }

    @Override
    public void addSplits(List<NumberSequenceSplit> splits) {
      numbers.addSplits(splits);
    }

    @Override
    public void notifyNoMoreSplits() {
      numbers.notifyNoMoreSplits();
    }

    @Override
    public void handleSourceEvents(SourceEvent event) {
      numbers.handleSourceEvents(event);
    }

    @Override
    public void notifyCheckpointComplete(long checkpointId) throws Exception {
      numbers.notifyCheckpointComplete(checkpointId);
    }

    @Override
    public void close() throws Exception {
      try {
        numbers.close();
      } finally {
        lines.close();
      }
    }
  }

  /** A line-number output that emits the decoded line (a CSV header line emits nothing). */
  private static final class Decoding implements ReaderOutput<Long> {
    private final ReaderOutput<Decoded> out;
    private final LineReader lines;

    Decoding(ReaderOutput<Decoded> out, LineReader lines) {
      this.out = out;
      this.lines = lines;
    }

    @Override
    public void collect(Long line) {
      decode(line, out::collect);
    }

    @Override
    public void collect(Long line, long timestamp) {
      decode(line, record -> out.collect(record, timestamp));
    }

    private void decode(Long line, java.util.function.Consumer<Decoded> emit) {
      try {
        lines.flatMap(
            line,
            new Collector<>() {
              @Override
              public void collect(Decoded record) {
                emit.accept(record);
              }

              @Override
              public void close() {}
            });
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    }

    @Override
    public void emitWatermark(Watermark watermark) {
      out.emitWatermark(watermark);
    }

    @Override
    public void markIdle() {
      out.markIdle();
    }

    @Override
    public void markActive() {
      out.markActive();
    }

    @Override
    public SourceOutput<Long> createOutputForSplit(String splitId) {
      throw new UnsupportedOperationException("the line numbers are read through one output");
    }

    @Override
    public void releaseOutputForSplit(String splitId) {
      out.releaseOutputForSplit(splitId);
    }
  }
}
