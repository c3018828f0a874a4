package io.koala.noise;

/**
 * A scalar that may change with the iteration k (1-based): constant c, or c / k.
 *
 * @param kind constant or inverse
 * @param scale the constant c
 */
public record Schedule(Kind kind, double scale) {

  /** How the value depends on k. */
  public enum Kind {
    CONSTANT,
    INVERSE
  }

  public Schedule {
    if (kind == null) {
      throw new IllegalArgumentException("schedule kind must be set");
    }
    if (!Double.isFinite(scale) || scale < 0) {
      throw new IllegalArgumentException("schedule scale must be finite and >= 0, was " + scale);
    }
  }

  public static Schedule constant(double value) {
    return new Schedule(Kind.CONSTANT, value);
  }

  public static Schedule inverse(double scale) {
    return new Schedule(Kind.INVERSE, scale);
  }

  /** The value at iteration k (1-based). */
  public double at(long k) {
    return kind == Kind.CONSTANT ? scale : scale / k;
  }
}
