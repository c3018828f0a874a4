package io.koala.job;

import java.time.Duration;

/** The tests' one wait: a condition polled every 100 ms until it holds or a deadline passes. */
final class Poll {

  private static final long INTERVAL_MILLIS = 100;

  private Poll() {}

  /** One try: a result when done, null to try again; an exception ends the wait at once. */
  @FunctionalInterface
  interface Attempt<T> {
    T get() throws Exception;
  }

  /** The first non-null result of {@code attempt}; AssertionError after {@code timeout}. */
  static <T> T until(String what, Duration timeout, Attempt<T> attempt) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      T result = attempt.get();
      if (result != null) {
        return result;
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out after " + timeout + " waiting for " + what);
      }
      Thread.sleep(INTERVAL_MILLIS);
    }
  }
}
