package io.koala.connectors;

/**
 * Why an input record could not be used, with a stable code for dashboards and alerts.
 *
 * @param reason the stable reason code
 * @param message a human-readable explanation
 */
public record Reject(Reason reason, String message) {

  /** Stable reason codes: never rename one, only add. */
  public enum Reason {
    RECORD_TOO_LARGE,
    INVALID_UTF8,
    MALFORMED_JSON,
    DUPLICATE_FIELD,
    TOO_DEEP,
    NOT_AN_OBJECT,
    MISSING_KEY,
    INVALID_KEY,
    MISSING_FEATURES,
    WRONG_TYPE,
    NON_FINITE_NUMBER,
    WRONG_DIMENSION,
    EMPTY_FEATURES,
    TOO_MANY_FEATURES,
    INVALID_LABEL,
    LABEL_OUT_OF_RANGE,
    UNKNOWN_CLASS,
    MISSING_LABEL,
    EMPTY_BATCH,
    BATCH_TOO_LARGE,
    INVALID_TIMESTAMP,
    /** A CSV record whose field count differs from the header's. */
    WRONG_COLUMN_COUNT,
    /** The batch decoded, but the divergence guard refused its step. */
    STEP_REFUSED,
    /** A model key longer than the decoder's limit (every key would become a model in state). */
    KEY_TOO_LONG,
    /**
     * An explicit sparse row whose indices are not integers in [0, features), repeat one another,
     * or do not pair with its values.
     */
    INVALID_SPARSE_INDEX
  }
}
