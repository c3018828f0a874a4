package io.koala.evaluation;

/**
 * A prequential run in numbers (accuracy, or loss for regression), from {@link DriftScore#summary}.
 *
 * @param overall the mean over every example
 * @param stationary the mean outside the unsettled stretch after each drift
 * @param afterDrift the mean in the window after a drift, over every drift (NaN without drifts)
 * @param recovery examples until the rolling mean is back within 1 point of its level before the
 *     drift, over the drifts it recovers from (NaN when none)
 * @param never drifts it never recovers from before the next one (or the end)
 */
public record PrequentialSummary(
    double overall, double stationary, double afterDrift, double recovery, int never) {}
