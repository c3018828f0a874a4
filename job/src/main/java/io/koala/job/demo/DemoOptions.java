package io.koala.job.demo;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The demo's settings, from its command line ({@code koala demo --keys N ...}).
 *
 * @param eventsPerKey {@code --events-per-key}, or by default {@link #EVENTS_PER_KEY} cut down so
 *     that the whole stream stays within {@link #EVENTS_BUDGET} events (at least {@link
 *     #MIN_EVENTS_PER_KEY}): many keys get fewer events each, not a run that never ends
 * @param eventsPerKeyGiven whether {@code --events-per-key} was given
 */
record DemoOptions(
    int keys,
    int eventsPerKey,
    boolean eventsPerKeyGiven,
    int rate,
    Path report,
    String webUiPort,
    long seed,
    List<String> overrides) {

  /** Events per key by default: the 24-tenant demo's. */
  static final int EVENTS_PER_KEY = 2_400;

  /** The default stream's most events in all: 5 minutes at the default pace. */
  static final long EVENTS_BUDGET = 1_200_000;

  /**
   * The fewest events per key the budget leaves: a batch of the demo's 8, and a partial one that
   * the drained stop flushes.
   */
  static final int MIN_EVENTS_PER_KEY = 12;

  static DemoOptions parse(List<String> args) {
    int keys = 24;
    Integer perKey = null;
    int rate = 4_000;
    Path report = Path.of("koala-demo-report");
    String port = "8081-8099";
    long seed = 7;
    List<String> overrides = new ArrayList<>();
    for (int i = 0; i < args.size(); i++) {
      String a = args.get(i);
      if (i + 1 >= args.size() || !a.startsWith("--")) {
        throw new IllegalArgumentException("expected --option value, got: " + a);
      }
      String v = args.get(++i);
      switch (a) {
        case "--keys" -> keys = positive(a, v);
        case "--events-per-key" -> perKey = positive(a, v);
        case "--rate" -> rate = Integer.parseInt(v);
        case "--report" -> report = Path.of(v);
        case "--web-ui-port" -> port = v;
        case "--seed" -> seed = Long.parseLong(v);
        default -> {
          overrides.add(a);
          overrides.add(v);
        }
      }
    }
    if (rate < 0) {
      throw new IllegalArgumentException("--rate must be >= 0, got " + rate);
    }
    return new DemoOptions(
        keys,
        perKey != null ? perKey : defaultEventsPerKey(keys),
        perKey != null,
        rate,
        report,
        port,
        seed,
        overrides);
  }

  /** {@link #EVENTS_PER_KEY}, or fewer so that {@code keys} of them stay within the budget. */
  static int defaultEventsPerKey(int keys) {
    return (int) Math.max(MIN_EVENTS_PER_KEY, Math.min(EVENTS_PER_KEY, EVENTS_BUDGET / keys));
  }

  private static int positive(String name, String value) {
    int n = Integer.parseInt(value);
    if (n <= 0) {
      throw new IllegalArgumentException(name + " must be > 0, got " + value);
    }
    return n;
  }
}
