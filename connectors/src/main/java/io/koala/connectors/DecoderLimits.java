package io.koala.connectors;

/**
 * What a decoder accepts: the model's shape and safety limits on hostile input.
 *
 * @param features the model's input dimension
 * @param classes number of classes (0 for regression, 2 for binary)
 * @param classNames class names for string labels (may be empty)
 * @param defaultKey the key of events that name none (null: such events are rejected)
 * @param maxRecordBytes largest accepted record
 * @param maxFeatures most named features in one example
 * @param maxBatch most examples in one pre-batched message
 * @param maxKeyBytes longest accepted model key, in UTF-8 bytes: every key becomes a model in
 *     state, so a producer must not be able to fill it with huge junk keys
 */
public record DecoderLimits(
    int features,
    int classes,
    java.util.List<String> classNames,
    String defaultKey,
    int maxRecordBytes,
    int maxFeatures,
    int maxBatch,
    int maxKeyBytes)
    implements java.io.Serializable {

  /** The limits with the default longest key. */
  public DecoderLimits(
      int features,
      int classes,
      java.util.List<String> classNames,
      String defaultKey,
      int maxRecordBytes,
      int maxFeatures,
      int maxBatch) {
    this(
        features,
        classes,
        classNames,
        defaultKey,
        maxRecordBytes,
        maxFeatures,
        maxBatch,
        DEFAULT_MAX_KEY_BYTES);
  }

  /** Longer than any tenant, device or segment id we know of, short enough to bound the state. */
  public static final int DEFAULT_MAX_KEY_BYTES = 1024;

  public DecoderLimits {
    if (features < 1) {
      throw new IllegalArgumentException("the model needs at least one feature, was " + features);
    }
    if (maxRecordBytes < 16 || maxFeatures < 1 || maxBatch < 1 || maxKeyBytes < 1) {
      throw new IllegalArgumentException(
          "the decoder limits must be positive (records of at least 16 bytes)");
    }
    classNames = classNames == null ? java.util.List.of() : java.util.List.copyOf(classNames);
  }

  /** Safe defaults: 1 MiB records, 10,000 named features, 10,000 examples per batch. */
  public static DecoderLimits defaults(int features, int classes) {
    return new DecoderLimits(
        features, classes, java.util.List.of(), "default", 1 << 20, 10_000, 10_000);
  }
}
