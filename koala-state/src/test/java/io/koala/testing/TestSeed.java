package io.koala.testing;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestExecutionExceptionHandler;

/**
 * The seed of a randomised test: {@code -Dkoala.test.seed=S} replays a run, otherwise a new seed
 * each run. Register {@link Printer} on the test class and a failure names the seed that replays
 * it.
 *
 * <pre>{@code
 * @ExtendWith(TestSeed.Printer.class)
 * class RecoveryITCase {
 *   long seed = TestSeed.next();
 * }
 * }</pre>
 */
public final class TestSeed {

  /** The system property that fixes the seed. */
  public static final String PROPERTY = "koala.test.seed";

  private static final ThreadLocal<Long> LAST = new ThreadLocal<>();

  private TestSeed() {}

  /** The seed for this test: the property's value if set, else a fresh one. */
  public static long next() {
    String fixed = System.getProperty(PROPERTY);
    long seed = fixed == null || fixed.isBlank() ? System.nanoTime() : Long.parseLong(fixed.trim());
    LAST.set(seed);
    return seed;
  }

  /** How to replay the seed last drawn on this thread, or null if none was drawn. */
  static String replay() {
    Long seed = LAST.get();
    return seed == null ? null : "-D" + PROPERTY + "=" + seed;
  }

  /** Prints the seed of a failed test, then lets the failure through. */
  public static final class Printer implements TestExecutionExceptionHandler {
    @Override
    public void handleTestExecutionException(ExtensionContext context, Throwable failure)
        throws Throwable {
      throw annotate(context.getDisplayName(), failure);
    }

    static Throwable annotate(String test, Throwable failure) {
      String replay = replay();
      if (replay != null) {
        System.err.println(test + " failed; replay it with " + replay);
        failure.addSuppressed(new AssertionError("replay with " + replay));
      }
      return failure;
    }
  }
}
