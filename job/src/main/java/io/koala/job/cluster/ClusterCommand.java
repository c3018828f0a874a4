package io.koala.job.cluster;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code koala cluster start|submit|flink|status|stop}: a {@link LocalCluster} from the command
 * line. The {@code koala} script passes {@code --build job/target}: the built job module, with the
 * job jar and the lists of {@link ClusterClasspath}.
 */
public final class ClusterCommand {

  private ClusterCommand() {}

  static final String USAGE =
      """
      usage: koala cluster start [--taskmanagers N] [--slots N] [--dir DIR] [--flink.key value ...]
             koala cluster submit [--dir DIR] [flink run options ...] [-- train --config FILE ...]
             koala cluster flink [--dir DIR] list|cancel|stop|savepoint ...   (Flink's own CLI)
             koala cluster status [--dir DIR]
             koala cluster stop [--dir DIR]
        A Flink session cluster of separate JVMs on 127.0.0.1 (one JobManager, N TaskManagers,
        RocksDB with incremental checkpoints, web UI, Prometheus endpoints); its configuration,
        logs, PIDs, checkpoints and savepoints are in DIR (default target/cluster).""";

  public static void main(String[] args) throws Exception {
    System.exit(run(List.of(args), System.out, System.err));
  }

  /** Returns the process exit code. */
  static int run(List<String> argv, PrintStream out, PrintStream err) throws Exception {
    List<String> args = new ArrayList<>(argv);
    String build = take(args, "--build", null);
    String fallback = System.getenv().getOrDefault("KOALA_CLUSTER_DIR", "target/cluster");
    Path dir = Path.of(take(args, "--dir", fallback)).toAbsolutePath();
    if (args.isEmpty()) {
      err.println(USAGE);
      return 2;
    }
    String command = args.remove(0);
    switch (command) {
      case "start":
        return start(dir, build, args, out, err);
      case "submit":
        return submit(dir, build, args, err);
      case "flink":
        return LocalCluster.open(dir).flink(args, null);
      case "status":
        return status(dir, out);
      case "stop":
        {
          if (!Files.exists(dir.resolve("pids"))) {
            out.println("koala cluster: nothing started in " + dir);
            return 0;
          }
          List<String> stopped = LocalCluster.open(dir).stop();
          out.println(stopped.isEmpty() ? "koala cluster: nothing running" : "stopped " + stopped);
          return 0;
        }
      default:
        err.println(USAGE);
        return 2;
    }
  }

  private static int start(
      Path dir, String build, List<String> args, PrintStream out, PrintStream err)
      throws Exception {
    int taskManagers = Integer.parseInt(take(args, "--taskmanagers", "2"));
    int slots = Integer.parseInt(take(args, "--slots", "2"));
    Map<String, String> overrides = new LinkedHashMap<>();
    for (int i = 0; i < args.size(); i++) {
      String a = args.get(i);
      if (!a.startsWith("--") || i + 1 >= args.size()) {
        err.println("koala cluster: expected --flink.key value pairs, got: " + a);
        err.println(USAGE);
        return 2;
      }
      overrides.put(a.substring(2), args.get(++i));
    }
    if (build == null) {
      err.println("koala cluster: --build missing (run it through ./koala)");
      return 2;
    }
    String classpath = ClusterClasspath.fromBuild(Path.of(build));
    if (Files.exists(dir.resolve("pids")) && !LocalCluster.open(dir).running().isEmpty()) {
      err.println("koala cluster: already running in " + dir + " (koala cluster stop first)");
      return 1;
    }
    long started = System.nanoTime();
    LocalCluster cluster = LocalCluster.create(dir, classpath, slots, overrides);
    cluster.startJobManager();
    for (int i = 0; i < taskManagers; i++) {
      cluster.startTaskManager();
    }
    cluster.awaitTaskManagers(taskManagers, Duration.ofSeconds(120));
    out.printf(
        "koala cluster: JobManager and %d TaskManagers up in %.1f s%n",
        taskManagers, (System.nanoTime() - started) / 1e9);
    return status(dir, out);
  }

  private static int submit(Path dir, String build, List<String> args, PrintStream err)
      throws Exception {
    if (build == null) {
      err.println("koala cluster: --build missing (run it through ./koala)");
      return 2;
    }
    String jar = Path.of(build, "koala-job.jar").toAbsolutePath().toString();
    int split = args.indexOf("--");
    List<String> options = split < 0 ? args : args.subList(0, split);
    List<String> program = split < 0 ? List.of() : args.subList(split + 1, args.size());
    List<String> flink = new ArrayList<>();
    flink.add("run");
    flink.addAll(options);
    flink.add(jar);
    flink.addAll(program);
    return LocalCluster.open(dir).flink(flink, null);
  }

  private static int status(Path dir, PrintStream out) throws Exception {
    if (!Files.exists(dir.resolve("pids"))) {
      out.println("koala cluster: nothing started in " + dir);
      return 1;
    }
    LocalCluster cluster = LocalCluster.open(dir);
    Map<String, Long> running = cluster.running();
    out.println("  directory      " + dir);
    running.forEach((name, pid) -> out.printf("  %-14s pid %d%n", name, pid));
    if (running.isEmpty()) {
      out.println("  (no process running)");
      return 1;
    }
    out.println("  web UI         " + cluster.restUrl());
    cluster
        .metricsEndpoints()
        .forEach((name, url) -> out.printf("  metrics        %s %s%n", url, name));
    out.println("  logs           " + dir.resolve("log"));
    String jobs = cluster.rest("/jobs/overview");
    if (jobs != null) {
      out.println("  jobs           " + jobs);
    }
    return 0;
  }

  private static String take(List<String> args, String flag, String fallback) {
    int at = args.indexOf(flag);
    int end = args.indexOf("--");
    if (at < 0 || (end >= 0 && at > end) || at + 1 >= args.size()) {
      return fallback;
    }
    String value = args.get(at + 1);
    args.subList(at, at + 2).clear();
    return value;
  }
}
