package io.koala.connectors;

import io.koala.connectors.Reject.Reason;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** The checks every decoder makes before parsing, and strict UTF-8 decoding. */
public final class Payloads {

  private Payloads() {}

  /** Dead letters of oversize records keep only this many bytes of the payload. */
  static final int KEPT_OF_OVERSIZE = 4096;

  /**
   * Rejects an empty or oversize record; null when the record may be parsed.
   *
   * @param emptyReason the format's reason for an empty record
   */
  static Decoded rejectBeforeParsing(
      byte[] payload, String origin, DecoderLimits limits, Reason emptyReason) {
    if (payload == null || payload.length == 0) {
      return Decoded.rejected(emptyReason, "empty record", payload, origin);
    }
    if (payload.length > limits.maxRecordBytes()) {
      return Decoded.rejected(
          Reason.RECORD_TOO_LARGE,
          "record of "
              + payload.length
              + " bytes exceeds the record size limit of "
              + limits.maxRecordBytes(),
          Arrays.copyOf(payload, Math.min(payload.length, KEPT_OF_OVERSIZE)),
          origin);
    }
    return null;
  }

  /** The key when its UTF-8 form fits the limit; a {@link Reason#KEY_TOO_LONG} reject otherwise. */
  static String checkKey(String key, DecoderLimits limits) throws Rejection {
    // A UTF-8 char takes at most 3 bytes per UTF-16 unit: count only when it could matter.
    if (key.length() * 3L > limits.maxKeyBytes()) {
      int bytes = key.getBytes(StandardCharsets.UTF_8).length;
      if (bytes > limits.maxKeyBytes()) {
        throw new Rejection(
            Reason.KEY_TOO_LONG,
            "key of " + bytes + " bytes exceeds the key length limit of " + limits.maxKeyBytes());
      }
    }
    return key;
  }

  /** The bytes as text when they are valid UTF-8, else null (malformed input is reported). */
  public static String utf8(byte[] bytes) {
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes))
          .toString();
    } catch (CharacterCodingException e) {
      return null;
    }
  }
}
