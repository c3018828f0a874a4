package io.koala.connectors;

import java.io.Serializable;

/** Bytes of one input record to an event or a reject; never throws on data. */
public interface RecordDecoder extends Serializable {

  /**
   * @param payload the record's bytes
   * @param origin where it came from (topic/partition/offset or file:line)
   * @param recordKey the Kafka record key, used when the record names no key (may be null)
   */
  Decoded decode(byte[] payload, String origin, String recordKey);

  DecoderLimits limits();
}
