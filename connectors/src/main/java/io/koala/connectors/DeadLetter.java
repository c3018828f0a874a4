package io.koala.connectors;

/**
 * An input the job could not use, with why and where from (docs/streaming.md#dead-letters).
 *
 * @param reason the stable reason code
 * @param message a human-readable explanation
 * @param source topic/partition/offset, or file and line
 * @param payload the raw input
 */
public record DeadLetter(String reason, String message, String source, byte[] payload) {

  public static DeadLetter of(Decoded rejected) {
    return new DeadLetter(
        rejected.reject().reason().name(),
        rejected.reject().message(),
        rejected.origin(),
        rejected.payload());
  }
}
