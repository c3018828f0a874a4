package io.koala.optimizer;

/** A named set of defaults for every optimizer, e.g. {@link KoalaVConfig#stream}. */
public enum Preset {
  /** Tuned for drifting streams: adaptive process noise per example, KOALA++'s reset guard on. */
  STREAM,
  /** The papers' and reference code's settings: constant process noise, no reset guard. */
  REFERENCE,
  /**
   * Self-tuning: each key's filter tunes its own process noise per example from its own stream,
   * over nine decades (KOALA-V; see docs/algorithms.md#auto).
   */
  AUTO;

  /** The name users write (lower case; configuration matches it ignoring case). */
  @Override
  public String toString() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
