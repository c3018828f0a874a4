package io.koala.connectors.kafka;

import java.util.Locale;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;

/**
 * Where a source with no checkpoint starts reading (a restored job resumes from its checkpoint).
 */
public enum StartingOffsets {
  /** The first offset still in each partition. */
  EARLIEST,
  /** The offsets that are latest when the job starts: only new records. */
  LATEST,
  /** The consumer group's committed offsets, or the earliest where the group has none. */
  COMMITTED;

  OffsetsInitializer initializer() {
    return switch (this) {
      case EARLIEST -> OffsetsInitializer.earliest();
      case LATEST -> OffsetsInitializer.latest();
      case COMMITTED -> OffsetsInitializer.committedOffsets(OffsetResetStrategy.EARLIEST);
    };
  }

  /** The spelling users write (lower case). */
  @Override
  public String toString() {
    return name().toLowerCase(Locale.ROOT);
  }
}
