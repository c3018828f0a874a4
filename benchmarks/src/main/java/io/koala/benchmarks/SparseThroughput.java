package io.koala.benchmarks;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The whole job on hashed sparse input (issue 13): the e-mail stream of {@code
 * ../shared/data/spam.jsonl} decoded in memory, at d = 2^18, for one key and for 1,000 keys. Every
 * measurement is a fresh JVM ({@link SparseFork}) with its own warm-up; the no-op floor and each
 * variant alternate A B A B; medians and spreads over the forks, and the decode cost per event
 * measured on its own.
 *
 * <pre>
 * benchmarks/sparse-throughput [--data DIR] [--forks N] [--keys LIST] [--d N] [--events N]
 *                              [--variants LIST] [--heap SIZE]
 * </pre>
 */
public final class SparseThroughput {

  private SparseThroughput() {}

  private static final String STARTED =
      java.time.LocalDateTime.now().withNano(0).toString().replace(':', '-');

  private static int forkCount;

  public static void main(String[] args) throws Exception {
    Map<String, String> given = new LinkedHashMap<>();
    for (int i = 0; i + 1 < args.length; i += 2) {
      given.put(args[i], args[i + 1]);
    }
    if (args.length % 2 != 0) {
      throw new IllegalArgumentException("options come in pairs: --name value");
    }
    Path file = Path.of(given.getOrDefault("--data", "../shared/data")).resolve("spam.jsonl");
    if (!Files.isRegularFile(file)) {
      System.out.println("skipped: " + file + " is absent (see ../shared/data/README.md)");
      return;
    }
    int forks = Integer.parseInt(given.getOrDefault("--forks", "3"));
    int d = Integer.parseInt(given.getOrDefault("--d", Integer.toString(1 << 18)));
    long events = Long.parseLong(given.getOrDefault("--events", "100000"));
    String heap = given.getOrDefault("--heap", "8g");
    List<String> keyCounts = List.of(given.getOrDefault("--keys", "1,1000").split(","));
    List<String> variants =
        List.of(given.getOrDefault("--variants", "koala-v,koala-v-stream,sgd").split(","));
    System.out.printf(
        "benchmarks/sparse-throughput %s   (%s, %d forks per variant, %,d events each, d = %,d)%n%n",
        String.join(" ", args), Instant.now(), forks, events, d);
    System.out.println(
        "| keys | variant | forks | events/s median (min–max) | × floor, median of per-pair"
            + " ratios (min–max) | input events/s median (min–max) | input × floor (min–max) |"
            + " decode ns/event, median |");
    System.out.println("|---:|---|---:|---:|---:|---:|---:|---:|");
    for (String k : keyCounts) {
      int keys = Integer.parseInt(k.trim());
      List<Double> floor = new ArrayList<>();
      List<Double> floorInput = new ArrayList<>();
      List<Double> decode = new ArrayList<>();
      Map<String, List<Double>> rates = new LinkedHashMap<>();
      Map<String, List<Double>> ratios = new LinkedHashMap<>();
      Map<String, List<Double>> inputRates = new LinkedHashMap<>();
      Map<String, List<Double>> inputRatios = new LinkedHashMap<>();
      String nonZeros = "";
      for (int f = 0; f < forks; f++) {
        for (String variant : variants) {
          Map<String, String> base = fork(file, d, keys, events, "no-op", heap);
          Map<String, String> r = fork(file, d, keys, events, variant, heap);
          double b = Double.parseDouble(base.get("rate"));
          double v = Double.parseDouble(r.get("rate"));
          floor.add(b);
          decode.add(Double.parseDouble(base.get("decodeNanos")));
          decode.add(Double.parseDouble(r.get("decodeNanos")));
          rates.computeIfAbsent(variant, x -> new ArrayList<>()).add(v);
          ratios.computeIfAbsent(variant, x -> new ArrayList<>()).add(v / b);
          double bi = Double.parseDouble(base.get("inputRate"));
          double vi = Double.parseDouble(r.get("inputRate"));
          floorInput.add(bi);
          inputRates.computeIfAbsent(variant, x -> new ArrayList<>()).add(vi);
          inputRatios.computeIfAbsent(variant, x -> new ArrayList<>()).add(vi / bi);
          nonZeros = r.get("nonZeros");
        }
      }
      double decodeMedian = ThroughputHarness.median(decode);
      System.out.printf(
          "| %,d | no-op floor | %d | %,.0f (%s) | 1.00 | %,.0f (%s) | 1.00 | %,.0f |%n",
          keys,
          floor.size(),
          ThroughputHarness.median(floor),
          spread(floor, "%,.0f"),
          ThroughputHarness.median(floorInput),
          spread(floorInput, "%,.0f"),
          decodeMedian);
      for (String variant : variants) {
        List<Double> v = rates.get(variant);
        List<Double> q = ratios.get(variant);
        List<Double> vi = inputRates.get(variant);
        List<Double> qi = inputRatios.get(variant);
        System.out.printf(
            "| %,d | %s | %d | %,.0f (%s) | %.2f (%s) | %,.0f (%s) | %.2f (%s) | |%n",
            keys,
            variant,
            v.size(),
            ThroughputHarness.median(v),
            spread(v, "%,.0f"),
            ThroughputHarness.median(q),
            spread(q, "%.2f"),
            ThroughputHarness.median(vi),
            spread(vi, "%,.0f"),
            ThroughputHarness.median(qi),
            spread(qi, "%.2f"));
      }
      System.out.printf(
          "%nkeys %,d: target ≥ 100,000 events/s (mean non-zeros per e-mail %s), whole run: %s;"
              + " input rate: %s%n%n",
          keys,
          nonZeros,
          String.join(
              ", ",
              variants.stream()
                  .map(x -> x + " " + ThroughputHarness.verdict(rates.get(x), 100_000))
                  .toList()),
          String.join(
              ", ",
              variants.stream()
                  .map(x -> x + " " + ThroughputHarness.verdict(inputRates.get(x), 100_000))
                  .toList()));
    }
  }

  private static String spread(List<Double> values, String format) {
    return String.format(format, ThroughputHarness.min(values))
        + "–"
        + String.format(format, ThroughputHarness.max(values));
  }

  private static Map<String, String> fork(
      Path file, int d, int keys, long events, String variant, String heap)
      throws IOException, InterruptedException {
    List<String> command = ThroughputHarness.javaCommand(heap);
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(SparseFork.class.getName());
    command.addAll(
        List.of(
            file.toString(),
            Integer.toString(d),
            Integer.toString(keys),
            Long.toString(events),
            variant));
    Path logs = Path.of("benchmarks/target/sparse-throughput/forks", STARTED);
    Files.createDirectories(logs);
    File log = logs.resolve(String.format("%03d-%s-k%d.log", ++forkCount, variant, keys)).toFile();
    Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log).start();
    int rc = p.waitFor();
    String result =
        Files.readAllLines(log.toPath()).stream()
            .filter(l -> l.startsWith("RESULT "))
            .reduce((a, b) -> b)
            .orElse(null);
    if (rc != 0 || result == null) {
      throw new IllegalStateException("fork failed (exit " + rc + "), see " + log);
    }
    System.err.printf("  fork %s keys=%d: %s%n", variant, keys, result);
    Map<String, String> fields = new LinkedHashMap<>();
    for (String field : result.substring("RESULT ".length()).split(" ")) {
      String[] kv = field.split("=", 2);
      fields.put(kv[0], kv[1]);
    }
    return fields;
  }
}
