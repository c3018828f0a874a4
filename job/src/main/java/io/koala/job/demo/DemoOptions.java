package io.koala.job.demo;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The demo's settings, from its command line ({@code koala demo --keys N ...}). */
record DemoOptions(
    int keys,
    int eventsPerKey,
    int rate,
    Path report,
    String webUiPort,
    long seed,
    List<String> overrides) {

  static DemoOptions parse(List<String> args) {
    int keys = 24;
    int perKey = 2_400;
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
    return new DemoOptions(keys, perKey, rate, report, port, seed, overrides);
  }

  private static int positive(String name, String value) {
    int n = Integer.parseInt(value);
    if (n <= 0) {
      throw new IllegalArgumentException(name + " must be > 0, got " + value);
    }
    return n;
  }
}
