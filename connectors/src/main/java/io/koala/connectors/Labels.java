package io.koala.connectors;

import io.koala.connectors.Reject.Reason;

/** The label rules both decoders share: values for regression, 0/1, class indices or names. */
final class Labels {

  private Labels() {}

  /** A numeric label, checked against the model's classes. */
  static double number(double y, DecoderLimits limits) throws Rejection {
    if (!Double.isFinite(y)) {
      throw new Rejection(Reason.NON_FINITE_NUMBER, "label does not fit a finite double");
    }
    int classes = limits.classes();
    if (classes >= 2) {
      if (y != Math.rint(y)) {
        throw new Rejection(Reason.INVALID_LABEL, "a class label must be an integer, was " + y);
      }
      if (y < 0 || y >= classes) {
        throw new Rejection(
            Reason.LABEL_OUT_OF_RANGE, "class " + (long) y + " is outside [0, " + classes + ")");
      }
    }
    return y;
  }

  /** A class name, looked up in the configured names. */
  static double name(String name, DecoderLimits limits) throws Rejection {
    if (limits.classNames().isEmpty()) {
      throw new Rejection(Reason.INVALID_LABEL, "label must be a number (no class names set)");
    }
    int index = limits.classNames().indexOf(name);
    if (index < 0) {
      throw new Rejection(Reason.UNKNOWN_CLASS, "unknown class \"" + abbreviate(name) + "\"");
    }
    return index;
  }

  static String abbreviate(String s) {
    return s.length() <= 64 ? s : s.substring(0, 64) + "…";
  }
}
