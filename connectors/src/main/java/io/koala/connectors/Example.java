package io.koala.connectors;

/**
 * One labelled example: a dense feature row and its label.
 *
 * @param features the feature row, of the model's dimension
 * @param label a value, 0/1 or a class index
 */
public record Example(double[] features, double label) {}
