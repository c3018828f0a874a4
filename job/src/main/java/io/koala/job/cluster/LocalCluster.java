package io.koala.job.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A standalone Flink session cluster of separate JVMs on 127.0.0.1, started from Maven-resolved
 * jars instead of flink-dist: one JobManager ({@value #JOB_MANAGER}) and TaskManagers ({@value
 * #TASK_MANAGER}), each with the JVM memory options and dynamic parameters that Flink's {@code
 * BashJavaUtils} computes from the configuration, as {@code jobmanager.sh} and {@code
 * taskmanager.sh} do. Everything lives in one directory:
 *
 * <pre>
 * DIR/conf/config.yaml, log4j2.properties   DIR/log/*.log, *.out    DIR/pids/*.pid
 * DIR/checkpoints  DIR/savepoints  DIR/metrics/&lt;pid&gt;.port  DIR/classpath.txt  DIR/tmp
 * </pre>
 *
 * <p>{@link #stop()} ends only the processes whose PID files it wrote, after checking that each PID
 * still runs a Flink entry point of this directory.
 */
public final class LocalCluster implements AutoCloseable {

  public static final String JOB_MANAGER =
      "org.apache.flink.runtime.entrypoint.StandaloneSessionClusterEntrypoint";
  public static final String TASK_MANAGER =
      "org.apache.flink.runtime.taskexecutor.TaskManagerRunner";
  static final String BASH_JAVA_UTILS = "org.apache.flink.runtime.util.bash.BashJavaUtils";
  static final String CLI_FRONTEND = "org.apache.flink.client.cli.CliFrontend";
  static final String RESULT_PREFIX = "BASH_JAVA_UTILS_EXEC_RESULT:";

  private final Path dir;
  private final String classpath;
  private final HttpClient http = HttpClient.newHttpClient();

  private LocalCluster(Path dir, String classpath) {
    this.dir = dir;
    this.classpath = classpath;
  }

  /**
   * Writes the configuration of a new cluster into {@code dir}: free loopback ports for RPC, REST
   * and Prometheus, RocksDB with incremental checkpoints under {@code dir}, then {@code overrides}
   * (any Flink key) on top.
   */
  public static LocalCluster create(
      Path dir, String classpath, int slotsPerTaskManager, Map<String, String> overrides)
      throws IOException {
    dir = dir.toAbsolutePath();
    for (String sub : List.of("conf", "log", "pids", "checkpoints", "savepoints", "tmp")) {
      Files.createDirectories(dir.resolve(sub));
    }
    int prometheus = freePort();
    Map<String, String> conf = new LinkedHashMap<>();
    conf.put("jobmanager.rpc.address", "127.0.0.1");
    conf.put("jobmanager.rpc.port", Integer.toString(freePort()));
    conf.put("jobmanager.bind-host", "127.0.0.1");
    conf.put("taskmanager.bind-host", "127.0.0.1");
    conf.put("taskmanager.host", "127.0.0.1");
    conf.put("rest.address", "127.0.0.1");
    conf.put("rest.bind-address", "127.0.0.1");
    conf.put("rest.port", Integer.toString(freePort()));
    conf.put("jobmanager.memory.process.size", "1024m");
    conf.put("taskmanager.memory.process.size", "1280m");
    conf.put("taskmanager.numberOfTaskSlots", Integer.toString(slotsPerTaskManager));
    conf.put("parallelism.default", "2");
    // A killed TaskManager is noticed in seconds, not after the 50 s default timeout.
    conf.put("heartbeat.interval", "1000");
    conf.put("heartbeat.timeout", "5000");
    conf.put("state.backend.type", "rocksdb");
    conf.put("execution.checkpointing.incremental", "true");
    conf.put("execution.checkpointing.dir", dir.resolve("checkpoints").toUri().toString());
    conf.put("execution.checkpointing.savepoint-dir", dir.resolve("savepoints").toUri().toString());
    // Models held and state bytes per trainer subtask, from RocksDB itself (per state).
    conf.put("state.backend.rocksdb.metrics.estimate-num-keys", "true");
    conf.put("state.backend.rocksdb.metrics.estimate-live-data-size", "true");
    conf.put("state.backend.rocksdb.metrics.total-sst-files-size", "true");
    conf.put("restart-strategy.type", "fixed-delay");
    conf.put("restart-strategy.fixed-delay.attempts", "100");
    conf.put("restart-strategy.fixed-delay.delay", "1 s");
    conf.put("io.tmp.dirs", dir.resolve("tmp").toString());
    conf.put("web.tmpdir", dir.resolve("tmp").resolve("web").toString());
    conf.put(
        "metrics.reporter.prom.factory.class",
        "io.koala.job.cluster.LoopbackPrometheusReporterFactory");
    conf.put("metrics.reporter.prom.host", "127.0.0.1");
    conf.put("metrics.reporter.prom.port", prometheus + "-" + (prometheus + 20));
    conf.put("metrics.reporter.prom.announce-dir", dir.resolve("metrics").toString());
    conf.putAll(overrides);
    StringBuilder yaml = new StringBuilder("# Written by io.koala.job.cluster.LocalCluster.\n");
    conf.forEach((k, v) -> yaml.append(k).append(": ").append(quote(v)).append('\n'));
    Files.writeString(dir.resolve("conf/config.yaml"), yaml, StandardCharsets.UTF_8);
    Files.writeString(dir.resolve("conf/log4j2.properties"), LOG4J, StandardCharsets.UTF_8);
    Files.writeString(dir.resolve("classpath.txt"), classpath, StandardCharsets.UTF_8);
    return new LocalCluster(dir, classpath);
  }

  /** The cluster of an existing directory (for status, submit, stop). */
  public static LocalCluster open(Path dir) throws IOException {
    dir = dir.toAbsolutePath();
    Path cp = dir.resolve("classpath.txt");
    if (!Files.exists(cp)) {
      throw new IllegalArgumentException("no cluster in " + dir + " (start one first)");
    }
    return new LocalCluster(dir, Files.readString(cp).trim());
  }

  public Path dir() {
    return dir;
  }

  /** The value of a key in the written config.yaml, or null. */
  public String config(String key) {
    try {
      for (String line : Files.readAllLines(dir.resolve("conf/config.yaml"))) {
        if (line.startsWith(key + ": ")) {
          return unquote(line.substring(key.length() + 2));
        }
      }
      return null;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public String restUrl() {
    return "http://127.0.0.1:" + config("rest.port");
  }

  /** Starts the JobManager; returns its PID. */
  public long startJobManager() throws IOException, InterruptedException {
    List<String> params = resourceParams("GET_JM_RESOURCE_PARAMS");
    return launch("jobmanager", JOB_MANAGER, params.get(0), params.get(1));
  }

  /** Starts one more TaskManager; returns its PID. */
  public long startTaskManager() throws IOException, InterruptedException {
    List<String> params = resourceParams("GET_TM_RESOURCE_PARAMS");
    int n = 1;
    while (Files.exists(dir.resolve("pids/taskmanager-" + n + ".pid"))) {
      n++;
    }
    return launch("taskmanager-" + n, TASK_MANAGER, params.get(0), params.get(1));
  }

  /**
   * Name (jobmanager, taskmanager-N) to PID of every process this cluster started and that runs.
   */
  public Map<String, Long> running() throws IOException {
    Map<String, Long> out = new TreeMap<>();
    try (Stream<Path> files = Files.list(dir.resolve("pids"))) {
      for (Path f : files.filter(p -> p.toString().endsWith(".pid")).toList()) {
        long pid = Long.parseLong(Files.readString(f).trim());
        if (ours(pid)) {
          String name = f.getFileName().toString();
          out.put(name.substring(0, name.length() - 4), pid);
        }
      }
    }
    return out;
  }

  /** Kills one process of this cluster with SIGKILL (as {@code kill -9}); false if not ours. */
  public boolean kill(long pid) throws InterruptedException {
    if (!ours(pid)) {
      return false;
    }
    ProcessHandle handle = ProcessHandle.of(pid).orElseThrow();
    handle.destroyForcibly();
    handle.onExit().join();
    return true;
  }

  /** Stops every process this cluster started (TaskManagers first); returns their names. */
  public List<String> stop() throws IOException {
    Map<String, Long> running = running();
    List<String> stopped = new ArrayList<>();
    List<Map.Entry<String, Long>> order = new ArrayList<>(running.entrySet());
    order.sort(
        (a, b) -> a.getKey().equals("jobmanager") ? 1 : b.getKey().equals("jobmanager") ? -1 : 0);
    for (Map.Entry<String, Long> e : order) {
      Optional<ProcessHandle> handle = ProcessHandle.of(e.getValue());
      if (handle.isPresent()) {
        handle.get().destroy();
        try {
          handle.get().onExit().get(20, java.util.concurrent.TimeUnit.SECONDS);
        } catch (Exception timeout) {
          handle.get().destroyForcibly();
        }
        stopped.add(e.getKey() + " (pid " + e.getValue() + ")");
      }
    }
    return stopped;
  }

  @Override
  public void close() throws IOException {
    stop();
  }

  /** Runs Flink's own CLI ({@code flink ARGS}) against this cluster; returns its exit code. */
  public int flink(List<String> args, Path output) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(java());
    command.addAll(moduleOpenings());
    command.add("-Dlog.file=" + dir.resolve("log/flink-client.log"));
    command.add("-Dlog4j.configurationFile=" + dir.resolve("conf/log4j2.properties").toUri());
    command.add("-cp");
    command.add(classpath);
    command.add(CLI_FRONTEND);
    command.addAll(args);
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().put("FLINK_CONF_DIR", dir.resolve("conf").toString());
    builder.redirectOutput(
        output == null
            ? ProcessBuilder.Redirect.INHERIT
            : ProcessBuilder.Redirect.appendTo(output.toFile()));
    return builder.start().waitFor();
  }

  /** GET on the REST API ({@code /overview}, {@code /jobs/ID}...); the body, or null if down. */
  public String rest(String path) throws InterruptedException {
    return get(restUrl() + path);
  }

  /** The Prometheus endpoint of each running process, name to URL. */
  public Map<String, String> metricsEndpoints() throws IOException {
    Map<String, String> out = new TreeMap<>();
    for (Map.Entry<String, Long> e : running().entrySet()) {
      Path port = dir.resolve("metrics/" + e.getValue() + ".port");
      if (Files.exists(port)) {
        out.put(e.getKey(), "http://127.0.0.1:" + Files.readString(port).trim() + "/metrics");
      }
    }
    return out;
  }

  /** The number of TaskManagers registered at the JobManager (0 while it is down). */
  public int registeredTaskManagers() throws InterruptedException {
    String overview = rest("/overview");
    if (overview == null) {
      return 0;
    }
    Matcher m = Pattern.compile("\"taskmanagers\"\\s*:\\s*(\\d+)").matcher(overview);
    return m.find() ? Integer.parseInt(m.group(1)) : 0;
  }

  /** Polls until {@code n} TaskManagers are registered, or fails after {@code timeout}. */
  public void awaitTaskManagers(int n, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (registeredTaskManagers() < n) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(
            n + " TaskManagers not registered after " + timeout + "; see " + dir.resolve("log"));
      }
      Thread.sleep(200);
    }
  }

  /** GET on any URL; the body, or null when it does not answer 200. */
  public String get(String url) throws InterruptedException {
    try {
      HttpResponse<String> response =
          http.send(
              HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
              HttpResponse.BodyHandlers.ofString());
      return response.statusCode() == 200 ? response.body() : null;
    } catch (IOException e) {
      return null;
    }
  }

  /** The two lines of BashJavaUtils: JVM options, then dynamic {@code -D key=value} parameters. */
  List<String> resourceParams(String command) throws IOException, InterruptedException {
    Process p =
        new ProcessBuilder(
                java(),
                "-cp",
                classpath,
                BASH_JAVA_UTILS,
                command,
                "--configDir",
                dir.resolve("conf").toString())
            .redirectErrorStream(true)
            .start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    int code = p.waitFor();
    List<String> results =
        out.lines()
            .filter(l -> l.startsWith(RESULT_PREFIX))
            .map(l -> l.substring(RESULT_PREFIX.length()).trim())
            .toList();
    if (code != 0 || results.size() < 2) {
      throw new IllegalStateException("BashJavaUtils " + command + " failed:\n" + out);
    }
    return results.subList(results.size() - 2, results.size());
  }

  private long launch(String name, String entryPoint, String jvmParams, String dynamicParams)
      throws IOException {
    List<String> command = new ArrayList<>();
    command.add(java());
    command.addAll(split(jvmParams));
    command.addAll(moduleOpenings());
    command.add("-Dlog.file=" + dir.resolve("log/" + name + ".log"));
    command.add("-Dlog4j.configurationFile=" + dir.resolve("conf/log4j2.properties").toUri());
    command.add("-cp");
    command.add(classpath);
    command.add(entryPoint);
    command.add("--configDir");
    command.add(dir.resolve("conf").toString());
    command.addAll(split(dynamicParams));
    ProcessBuilder builder =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("log/" + name + ".out").toFile())
            .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
    builder.environment().put("FLINK_CONF_DIR", dir.resolve("conf").toString());
    long pid = builder.start().pid();
    Files.writeString(dir.resolve("pids/" + name + ".pid"), Long.toString(pid));
    return pid;
  }

  /** True if {@code pid} runs a Flink entry point with this cluster's configuration directory. */
  private boolean ours(long pid) {
    String conf = dir.resolve("conf").toString();
    List<String> args = arguments(pid);
    return (args.contains(JOB_MANAGER) || args.contains(TASK_MANAGER)) && args.contains(conf);
  }

  /**
   * The command line of a running process: /proc/PID/cmdline where there is one (ProcessHandle's
   * view of it is cut at 4 kB, shorter than a Flink class path), else ProcessHandle's.
   */
  private static List<String> arguments(long pid) {
    Optional<ProcessHandle> handle = ProcessHandle.of(pid).filter(ProcessHandle::isAlive);
    if (handle.isEmpty()) {
      return List.of();
    }
    Path proc = Path.of("/proc", Long.toString(pid), "cmdline");
    try {
      if (Files.isReadable(proc)) {
        return Arrays.asList(
            new String(Files.readAllBytes(proc), StandardCharsets.UTF_8).split("\0"));
      }
    } catch (IOException e) {
      // gone meanwhile
      return List.of();
    }
    return handle.get().info().arguments().map(Arrays::asList).orElse(List.of());
  }

  /**
   * Flink's module openings for Java 17, as this JVM was given them (by ./koala or the build's
   * argLine): one list for the launcher and every process it starts.
   */
  static List<String> moduleOpenings() {
    return ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
        .filter(a -> a.startsWith("--add-opens=") || a.startsWith("--add-exports="))
        .toList();
  }

  private static String java() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  private static List<String> split(String params) {
    return params.isBlank() ? List.of() : Arrays.asList(params.trim().split("\\s+"));
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  private static String quote(String v) {
    return "'" + v.replace("'", "''") + "'";
  }

  private static String unquote(String v) {
    return v.startsWith("'") && v.endsWith("'")
        ? v.substring(1, v.length() - 1).replace("''", "'")
        : v;
  }

  private static final String LOG4J =
      """
      # Written by io.koala.job.cluster.LocalCluster: each process logs to its own file (log.file).
      rootLogger.level = INFO
      rootLogger.appenderRef.file.ref = file
      appender.file.name = file
      appender.file.type = FILE
      appender.file.append = true
      appender.file.fileName = ${sys:log.file}
      appender.file.layout.type = PatternLayout
      appender.file.layout.pattern = %d{yyyy-MM-dd HH:mm:ss,SSS} %-5p %-60c %x - %m%n
      logger.kafka.name = org.apache.kafka
      logger.kafka.level = WARN
      # Flink 2.2's sink committer registers its 'pendingCommittables' gauge again for every
      # checkpoint, and the Kafka writer its 'currentSendTime' for every new transactional
      # producer, each in its own operator's group: a "Name collision" WARN per checkpoint and
      # sink that says nothing (the first gauge stays reported).
      logger.metricgroup.name = org.apache.flink.metrics.MetricGroup
      logger.metricgroup.filter.pending.type = RegexFilter
      logger.metricgroup.filter.pending.regex = .*'(pendingCommittables|currentSendTime)'.*
      logger.metricgroup.filter.pending.onMatch = DENY
      logger.metricgroup.filter.pending.onMismatch = NEUTRAL
      """;
}
