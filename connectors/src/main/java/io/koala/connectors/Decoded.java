package io.koala.connectors;

/**
 * The result of decoding one input record: an event, or a reject carrying the raw payload.
 *
 * @param event the decoded event, or null
 * @param reject why the record was rejected, or null
 * @param payload the raw bytes (kept for the dead-letter output)
 * @param origin where the record came from
 */
public record Decoded(TrainingEvent event, Reject reject, byte[] payload, String origin) {

  public static Decoded of(TrainingEvent event) {
    return new Decoded(event, null, null, event.origin());
  }

  static Decoded rejected(Reject.Reason reason, String message, byte[] payload, String origin) {
    return new Decoded(null, new Reject(reason, message), payload, origin);
  }

  public boolean ok() {
    return event != null;
  }
}
