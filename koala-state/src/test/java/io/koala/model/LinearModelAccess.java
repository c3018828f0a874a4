package io.koala.model;

/** Package-private parts of {@link LinearModel} for tests in other packages. */
public final class LinearModelAccess {

  private LinearModelAccess() {}

  public static int[] stableOrder(int[] keys) {
    return LinearModel.stableOrder(keys);
  }
}
