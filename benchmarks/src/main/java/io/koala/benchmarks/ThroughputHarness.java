package io.koala.benchmarks;

import java.io.File;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Throughput of the whole training job on one core, each measurement in a fresh JVM (a fork, as JMH
 * does) with its own warm-up. For every workload and backend the forks alternate floor, variant,
 * floor, variant, ...: each variant fork is divided by the no-op floor fork just before it, and the
 * tables give the median rate and the median of those per-pair ratios, each with its spread
 * (min–max) over the forks. A target whose spread crosses it is "not shown".
 *
 * <pre>
 * benchmarks/throughput [--set classic|scale] [--forks N] [--d 10,100] [--keys 10000,100000]
 *                       [--backends heap,rocksdb] [--variants koala-v,koala-v-stream]
 *                       [--batches N] [--restore] [--heap 8g]
 * </pre>
 *
 * <p>{@code classic}: heap state without checkpoints, KOALA-V, KOALA++ and SGD at (d, keys) = (100,
 * 1,000), (10,000, 1,000), (100, 100,000). {@code scale}: heap and RocksDB, exactly-once
 * checkpoints every 10 s (incremental on RocksDB), KOALA-V under the auto preset and under the
 * stream preset, d = 10 and 100, 10k, 100k and 1M keys, 2 batches of 32 per key; {@code --restore}
 * adds one fork on RocksDB with an injected failure, at the largest key count and the last d listed
 * (the scale set: 1M keys, d = 100); with {@code --forks 0} only that fork runs.
 */
public final class ThroughputHarness {

  private ThroughputHarness() {}

  /** The floor every variant is divided by. */
  static final String FLOOR = "no-op";

  /** What one invocation measures. */
  record Plan(
      int forks,
      List<Integer> dimensions,
      List<Integer> keys,
      List<String> backends,
      List<String> variants,
      int batches,
      boolean restore,
      String heap,
      List<int[]> fixedWorkloads) {}

  /** Parses the command line; an unknown argument is an error naming what is allowed. */
  static Plan parse(String[] args) {
    Map<String, String> given = new LinkedHashMap<>();
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      if (a.equals("--restore")) {
        given.put(a, "true");
      } else if (List.of(
              "--set",
              "--forks",
              "--d",
              "--keys",
              "--backends",
              "--variants",
              "--batches",
              "--heap")
          .contains(a)) {
        if (i + 1 >= args.length) {
          throw new IllegalArgumentException(a + " needs a value");
        }
        given.put(a, args[++i]);
      } else {
        throw new IllegalArgumentException(
            "unknown argument "
                + a
                + "; allowed: --set classic|scale, --forks N, --d LIST, --keys LIST,"
                + " --backends LIST, --variants LIST, --batches N, --restore, --heap SIZE");
      }
    }
    String set = given.getOrDefault("--set", "classic");
    boolean scale;
    switch (set) {
      case "classic" -> scale = false;
      case "scale" -> scale = true;
      default -> throw new IllegalArgumentException("--set is classic or scale, not " + set);
    }
    int forks = Integer.parseInt(given.getOrDefault("--forks", "5"));
    if (forks < (given.containsKey("--restore") ? 0 : 1)) {
      throw new IllegalArgumentException("--forks must be at least 1 (0 only with --restore)");
    }
    List<int[]> fixed =
        scale || given.containsKey("--d") || given.containsKey("--keys")
            ? List.of()
            : List.of(
                new int[] {100, 1_000, 40},
                new int[] {10_000, 1_000, 4},
                new int[] {100, 100_000, 2});
    return new Plan(
        forks,
        ints(given.getOrDefault("--d", scale ? "10,100" : "100")),
        ints(given.getOrDefault("--keys", scale ? "10000,100000,1000000" : "1000")),
        strings(given.getOrDefault("--backends", scale ? "heap,rocksdb" : "heap-nockpt")),
        strings(
            given.getOrDefault(
                "--variants", scale ? "koala-v,koala-v-stream" : "koala-v,koala-pp,sgd")),
        Integer.parseInt(given.getOrDefault("--batches", scale ? "2" : "4")),
        given.containsKey("--restore"),
        given.getOrDefault("--heap", "8g"),
        fixed);
  }

  private static List<Integer> ints(String list) {
    return Arrays.stream(list.split(",")).map(String::trim).map(Integer::parseInt).toList();
  }

  private static List<String> strings(String list) {
    List<String> values = Arrays.stream(list.split(",")).map(String::trim).toList();
    for (String v : values) {
      if (v.equals(FLOOR)) {
        throw new IllegalArgumentException(
            "the no-op floor runs beside every variant; do not list it");
      }
    }
    return values;
  }

  /** The median (upper median for an even count). */
  static double median(List<Double> values) {
    double[] sorted = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    return sorted[sorted.length / 2];
  }

  static double min(List<Double> values) {
    return values.stream().mapToDouble(Double::doubleValue).min().orElseThrow();
  }

  static double max(List<Double> values) {
    return values.stream().mapToDouble(Double::doubleValue).max().orElseThrow();
  }

  /**
   * "shown" when the whole spread is at or above the target, "missed" when all of it is below, "not
   * shown" when the spread crosses the target.
   */
  static String verdict(List<Double> values, double target) {
    if (min(values) >= target) {
      return "shown";
    }
    return max(values) < target ? "missed" : "not shown";
  }

  /** One fork's result line, parsed. */
  record Result(double rate, List<ThroughputFork.Checkpoint> checkpoints, Map<String, Long> extra) {
    static Result parse(String line) {
      double rate = Double.NaN;
      List<ThroughputFork.Checkpoint> checkpoints = new ArrayList<>();
      Map<String, Long> extra = new LinkedHashMap<>();
      for (String field : line.substring("RESULT ".length()).split(" ")) {
        String[] kv = field.split("=", 2);
        switch (kv[0]) {
          case "rate" -> rate = Double.parseDouble(kv[1]);
          case "ckpt" -> {
            long[] c = Arrays.stream(kv[1].split(":")).mapToLong(Long::parseLong).toArray();
            checkpoints.add(new ThroughputFork.Checkpoint(c[0], c[1], c[2], c[3]));
          }
          default -> extra.put(kv[0], Long.parseLong(kv[1]));
        }
      }
      return new Result(rate, checkpoints, extra);
    }
  }

  private static int forkCount;

  /** This invocation's fork logs go to a folder named after its start. */
  private static final String STARTED =
      java.time.LocalDateTime.now().withNano(0).toString().replace(':', '-');

  /** {@code java} with this JVM's --add-opens and -D flags and the given -Xmx. */
  static List<String> javaCommand(String heap) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    for (String a : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
      if (a.startsWith("--add-opens") || a.startsWith("-D")) {
        command.add(a);
      }
    }
    command.add("-Xmx" + heap);
    return command;
  }

  /** Runs one fork: a fresh JVM with this JVM's --add-opens and -D flags and class path. */
  static Result fork(
      Plan plan, int d, int keys, int batches, String backend, String variant, boolean restore)
      throws IOException, InterruptedException {
    List<String> command = javaCommand(plan.heap());
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(ThroughputFork.class.getName());
    command.addAll(
        List.of(
            Integer.toString(d),
            Integer.toString(keys),
            Integer.toString(batches),
            backend,
            variant));
    if (restore) {
      command.add("restore");
    }
    Path logs = Path.of("benchmarks/target/throughput/forks", STARTED);
    Files.createDirectories(logs);
    File log =
        logs.resolve(
                String.format("%03d-%s-%s-d%d-k%d.log", ++forkCount, backend, variant, d, keys))
            .toFile();
    Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log).start();
    int rc = p.waitFor();
    List<String> lines = Files.readAllLines(log.toPath());
    String result =
        lines.stream().filter(l -> l.startsWith("RESULT ")).reduce((a, b) -> b).orElse(null);
    if (rc != 0 || result == null) {
      throw new IllegalStateException("fork failed (exit " + rc + "), see " + log);
    }
    System.err.printf("  fork %s %s d=%d keys=%d: %s%n", backend, variant, d, keys, result);
    return Result.parse(result);
  }

  /** The forks of one workload on one backend. */
  record Measured(
      List<Double> floor, Map<String, List<Result>> variants, Map<String, List<Double>> ratios) {}

  public static void main(String[] args) throws Exception {
    Plan plan = parse(args);
    System.out.println(
        "benchmarks/throughput "
            + String.join(" ", args)
            + "   ("
            + Instant.now()
            + ", "
            + plan.forks()
            + " forks per variant, each with its own warm-up)");
    List<int[]> workloads = new ArrayList<>(plan.fixedWorkloads());
    if (plan.forks() == 0) {
      workloads.clear();
    } else if (workloads.isEmpty()) {
      for (int keys : plan.keys()) {
        for (int d : plan.dimensions()) {
          workloads.add(new int[] {d, keys, plan.batches()});
        }
      }
    }
    Map<String, Measured> all = new LinkedHashMap<>();
    for (int[] w : workloads) {
      for (String backend : plan.backends()) {
        List<Double> floor = new ArrayList<>();
        Map<String, List<Result>> results = new LinkedHashMap<>();
        Map<String, List<Double>> ratios = new LinkedHashMap<>();
        for (int f = 0; f < plan.forks(); f++) {
          for (String variant : plan.variants()) {
            // A B A B: every variant fork has a floor fork as its neighbour.
            double base = fork(plan, w[0], w[1], w[2], backend, FLOOR, false).rate();
            Result r = fork(plan, w[0], w[1], w[2], backend, variant, false);
            floor.add(base);
            results.computeIfAbsent(variant, x -> new ArrayList<>()).add(r);
            ratios.computeIfAbsent(variant, x -> new ArrayList<>()).add(r.rate() / base);
          }
        }
        all.put(key(w[0], w[1], backend), new Measured(floor, results, ratios));
        printRates(w, backend, all.get(key(w[0], w[1], backend)));
      }
    }
    System.out.println();
    printCheckpoints(workloads, plan, all);
    printTargets(plan, all);
    if (plan.restore()) {
      printRestore(plan);
    }
  }

  private static String key(int d, int keys, String backend) {
    return d + "/" + keys + "/" + backend;
  }

  private static String spread(List<Double> values, String format) {
    return String.format(format, min(values)) + "–" + String.format(format, max(values));
  }

  private static boolean header;

  private static void printRates(int[] w, String backend, Measured m) {
    if (!header) {
      System.out.println();
      System.out.println(
          "| d | keys | events | backend | variant | forks | events/s median (min–max) |"
              + " × floor, median of per-pair ratios (min–max) |");
      System.out.println("|---:|---:|---:|---|---|---:|---:|---:|");
      header = true;
    }
    long events = (long) w[1] * w[2] * ThroughputFork.BATCH;
    System.out.printf(
        "| %,d | %,d | %,d | %s | %s | %d | %,.0f (%s) | 1.00 |%n",
        w[0],
        w[1],
        events,
        backend,
        FLOOR,
        m.floor().size(),
        median(m.floor()),
        spread(m.floor(), "%,.0f"));
    for (var e : m.variants().entrySet()) {
      List<Double> rates = rates(e.getValue());
      List<Double> ratios = m.ratios().get(e.getKey());
      System.out.printf(
          "| %,d | %,d | %,d | %s | %s | %d | %,.0f (%s) | %.2f (%s) |%n",
          w[0],
          w[1],
          events,
          backend,
          e.getKey(),
          rates.size(),
          median(rates),
          spread(rates, "%,.0f"),
          median(ratios),
          spread(ratios, "%.2f"));
    }
    System.out.flush();
  }

  private static List<Double> rates(List<Result> results) {
    return results.stream().map(Result::rate).toList();
  }

  private static void printCheckpoints(
      List<int[]> workloads, Plan plan, Map<String, Measured> all) {
    boolean any = false;
    for (int[] w : workloads) {
      for (String backend : plan.backends()) {
        for (var e : all.get(key(w[0], w[1], backend)).variants().entrySet()) {
          List<Result> forks = e.getValue();
          if (forks.stream().allMatch(r -> r.checkpoints().isEmpty())) {
            continue;
          }
          if (!any) {
            System.out.println(
                "| d | keys | backend | variant | checkpoints per fork | first: full size, duration |"
                    + " later: bytes written, duration (medians; min–max) | full state per key"
                    + " (last checkpoint) |");
            System.out.println("|---:|---:|---|---|---:|---:|---:|---:|");
            any = true;
          }
          List<Double> firstSize = new ArrayList<>();
          List<Double> firstMillis = new ArrayList<>();
          List<Double> laterSize = new ArrayList<>();
          List<Double> laterMillis = new ArrayList<>();
          List<Double> perKey = new ArrayList<>();
          List<Double> count = new ArrayList<>();
          for (Result r : forks) {
            count.add((double) r.checkpoints().size());
            if (r.checkpoints().isEmpty()) {
              continue;
            }
            ThroughputFork.Checkpoint first = r.checkpoints().get(0);
            firstSize.add((double) first.stateSize());
            firstMillis.add((double) first.durationMillis());
            for (ThroughputFork.Checkpoint c : r.checkpoints().subList(1, r.checkpoints().size())) {
              laterSize.add((double) c.checkpointedSize());
              laterMillis.add((double) c.durationMillis());
            }
            perKey.add((double) r.checkpoints().get(r.checkpoints().size() - 1).stateSize() / w[1]);
          }
          System.out.printf(
              "| %,d | %,d | %s | %s | %s | %s, %s | %s | %s |%n",
              w[0],
              w[1],
              backend,
              e.getKey(),
              spread(count, "%.0f"),
              firstSize.isEmpty() ? "–" : mb(median(firstSize)),
              firstMillis.isEmpty() ? "–" : String.format("%,.0f ms", median(firstMillis)),
              laterSize.isEmpty()
                  ? "–"
                  : mb(median(laterSize))
                      + " ("
                      + mb(min(laterSize))
                      + "–"
                      + mb(max(laterSize))
                      + "), "
                      + String.format(
                          "%,.0f ms (%s ms)", median(laterMillis), spread(laterMillis, "%,.0f")),
              perKey.isEmpty() ? "–" : String.format("%,.0f B", median(perKey)));
        }
      }
    }
    if (any) {
      System.out.println();
    }
  }

  private static String mb(double bytes) {
    return String.format("%,.1f MB", bytes / 1e6);
  }

  /** The targets, where this run measured what they need. */
  private static void printTargets(Plan plan, Map<String, Measured> all) {
    Function<String, Measured> at = all::get;
    for (String variant : plan.variants()) {
      Measured rocks = at.apply(key(100, 1_000_000, "rocksdb"));
      if (rocks != null && rocks.variants().containsKey(variant)) {
        List<Double> rates = rates(rocks.variants().get(variant));
        System.out.printf(
            "Target: RocksDB, exactly-once, 1M keys, d = 100, %s ≥ 100,000 events/s: %,.0f (%s): %s%n",
            variant, median(rates), spread(rates, "%,.0f"), verdict(rates, 100_000));
        Measured heap = at.apply(key(100, 100_000, "heap"));
        if (heap != null && heap.variants().containsKey(variant)) {
          List<Double> heapRates = rates(heap.variants().get(variant));
          List<Double> ratio = new ArrayList<>();
          for (int i = 0; i < Math.min(rates.size(), heapRates.size()); i++) {
            ratio.add(rates.get(i) / heapRates.get(i));
          }
          System.out.printf(
              "Target: that rate ≥ 0.5 × the heap backend's at 100k keys (%s, fork by fork):"
                  + " %.2f (%s): %s%n",
              variant, median(ratio), spread(ratio, "%.2f"), verdict(ratio, 0.5));
        }
      }
      Measured classic100 = at.apply(key(100, 1_000, "heap-nockpt"));
      if (classic100 != null && variant.equals("koala-v")) {
        List<Double> r = classic100.ratios().get(variant);
        System.out.printf(
            "Target: KOALA-V ≥ 0.9 × floor at d = 100: %.2f (%s): %s%n",
            median(r), spread(r, "%.2f"), verdict(r, 0.9));
      }
      Measured classic10k = at.apply(key(10_000, 1_000, "heap-nockpt"));
      if (classic10k != null && variant.equals("koala-v")) {
        List<Double> r = classic10k.ratios().get(variant);
        System.out.printf(
            "Target: KOALA-V ≥ 0.5 × floor at d = 10,000: %.2f (%s): %s%n",
            median(r), spread(r, "%.2f"), verdict(r, 0.5));
      }
    }
  }

  private static void printRestore(Plan plan) throws IOException, InterruptedException {
    // At the largest key count and the last dimension listed (the scale set: 1M keys, d = 100).
    int keys = plan.keys().stream().mapToInt(Integer::intValue).max().orElseThrow();
    int d = plan.dimensions().get(plan.dimensions().size() - 1);
    // The failure comes after the first checkpoint taken once every key has closed a batch.
    Result r = fork(plan, d, keys, plan.batches(), "rocksdb", "koala-v", true);
    List<ThroughputFork.Checkpoint> c = r.checkpoints();
    System.out.printf(
        "Restore, RocksDB, %,d keys, d = %,d, koala-v, %d batches per key: %,.0f events/s over the"
            + " whole run (failure and restore included); restored from checkpoint %d of %s; failure → every task RUNNING again: %,d ms; failure → first closed batch"
            + " after the restore: %,d ms; checkpoints %s%n",
        keys,
        d,
        plan.batches(),
        r.rate(),
        r.extra().get("restoredFrom"),
        c.stream()
            .filter(x -> x.id() == r.extra().get("restoredFrom"))
            .map(x -> mb(x.stateSize()))
            .findFirst()
            .orElse("?"),
        r.extra().get("restoredRunning"),
        r.extra().get("firstBatch"),
        c.stream()
            .map(
                x ->
                    x.id()
                        + ": "
                        + mb(x.stateSize())
                        + " full, "
                        + mb(x.checkpointedSize())
                        + " written, "
                        + x.durationMillis()
                        + " ms")
            .collect(Collectors.joining("; ")));
  }
}
