package io.koala.connectors;

/**
 * A key's model at one version (docs/streaming.md#model-snapshots).
 *
 * @param key the model key
 * @param version steps taken
 * @param examples labelled examples trained on
 * @param optimizer the optimizer's name
 * @param modelType the model family
 * @param params the parameters
 * @param covariance isotropic covariance summary (NaN for the baselines)
 * @param measurementNoise R_k
 * @param processNoise Q_k
 * @param ts event time of the batch that produced this version (or processing time at the end)
 */
public record ModelSnapshot(
    String key,
    long version,
    long examples,
    String optimizer,
    String modelType,
    double[] params,
    double covariance,
    double measurementNoise,
    double processNoise,
    long ts) {}
