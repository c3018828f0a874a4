package io.koala.state;

/**
 * Bookkeeping of a key's open micro-batch (its rows live in a list state beside it).
 *
 * @param count labelled examples waiting
 * @param firstTimestamp event time of the first of them (Long.MIN_VALUE when unknown)
 * @param firstOrigin where the first came from
 * @param lastOrigin where the last came from
 */
public record PendingBatch(int count, long firstTimestamp, String firstOrigin, String lastOrigin) {}
