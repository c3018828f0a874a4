package io.koala.connectors;

/**
 * Emitted when a key's drift statistic crosses its threshold.
 *
 * @param key the model key
 * @param version the model version at the alarm
 * @param statistic the statistic's value
 * @param threshold its threshold
 * @param ts event time of the batch
 */
public record DriftEvent(String key, long version, double statistic, double threshold, long ts) {}
