package io.koala.state;

/**
 * Running per-feature mean and sum of squared deviations (Welford).
 *
 * @param count examples seen
 * @param mean running mean per feature
 * @param squaredDeviations M2 per feature: Σ (x − mean_old)(x − mean_new)
 */
public record StandardiserState(long count, double[] mean, double[] squaredDeviations) {}
