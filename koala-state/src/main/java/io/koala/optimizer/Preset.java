package io.koala.optimizer;

/** A named set of defaults for every optimizer, e.g. {@link KoalaVConfig#stream}. */
public enum Preset {
  /** Tuned for drifting streams: adaptive process noise per example, KOALA++'s reset guard on. */
  STREAM,
  /** The papers' and reference code's settings: constant process noise, no reset guard. */
  REFERENCE;

  /** The name users write (lower case; configuration matches it ignoring case). */
  @Override
  public String toString() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
