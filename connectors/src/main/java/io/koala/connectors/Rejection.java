package io.koala.connectors;

/** Leaves a decoder's walk over a record with a reject; never escapes a decoder. */
final class Rejection extends Exception {

  private static final long serialVersionUID = 1L;

  final Reject.Reason reason;

  Rejection(Reject.Reason reason, String message) {
    super(message, null, false, false);
    this.reason = reason;
  }
}
