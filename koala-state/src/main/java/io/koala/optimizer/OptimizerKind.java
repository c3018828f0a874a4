package io.koala.optimizer;

/** The optimizer variants, by their stable names as in {@code koala.optimizer}. */
public enum OptimizerKind {
  KOALA_V("koala-v"),
  KOALA_M("koala-m"),
  KOALA_PP("koala-pp"),
  SGD("sgd"),
  ADAM("adam");

  private final String optimizerName;

  OptimizerKind(String optimizerName) {
    this.optimizerName = optimizerName;
  }

  /** The kind named {@code name} (koala-v, koala-m, koala-pp, sgd, adam). */
  public static OptimizerKind byName(String name) {
    for (OptimizerKind kind : values()) {
      if (kind.optimizerName.equals(name)) {
        return kind;
      }
    }
    throw new IllegalArgumentException(
        "unknown optimizer " + name + ": must be koala-v, koala-m, koala-pp, sgd or adam");
  }

  /** Whether this is one of the KOALA variants (a Kalman filter with Q and R). */
  public boolean isKoala() {
    return this == KOALA_V || this == KOALA_M || this == KOALA_PP;
  }

  /** The name {@link Optimizer#name} reports. */
  public String optimizerName() {
    return optimizerName;
  }

  /** The stable name, as users write it (configuration matches it ignoring case). */
  @Override
  public String toString() {
    return optimizerName;
  }
}
