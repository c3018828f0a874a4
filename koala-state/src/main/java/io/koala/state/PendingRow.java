package io.koala.state;

/**
 * One labelled example waiting in a key's open micro-batch.
 *
 * @param features the raw feature row
 * @param label its label
 */
public record PendingRow(double[] features, double label) {}
