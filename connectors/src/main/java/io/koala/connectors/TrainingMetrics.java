package io.koala.connectors;

/**
 * One record per micro-batch (docs/streaming.md#training-metrics); loss and accuracy are
 * prequential.
 *
 * @param key the model key
 * @param version the model version after the batch
 * @param examples examples in the batch
 * @param loss mean loss before the step
 * @param accuracy accuracy before the step (NaN for regression)
 * @param target the loss-adaptive target
 * @param measurementNoise R_k
 * @param processNoise Q_k
 * @param covariance isotropic covariance summary
 * @param drift whether the drift statistic fired
 * @param rejected whether the divergence guard refused the step
 * @param ts event time of the batch
 */
public record TrainingMetrics(
    String key,
    long version,
    long examples,
    double loss,
    double accuracy,
    double target,
    double measurementNoise,
    double processNoise,
    double covariance,
    boolean drift,
    boolean rejected,
    long ts) {}
