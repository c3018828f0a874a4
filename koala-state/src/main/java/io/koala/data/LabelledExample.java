package io.koala.data;

/**
 * One generated example.
 *
 * @param key the model key
 * @param features the feature row
 * @param label the label (a value, 0/1, or a class index)
 * @param index the example's position in its stream (0-based), also its event time in ms
 * @param concept which concept produced it (0 before the first drift, then 1, 2, ...)
 */
public record LabelledExample(String key, double[] features, double label, long index, int concept) {}
