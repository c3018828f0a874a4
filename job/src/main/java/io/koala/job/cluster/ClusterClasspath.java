package io.koala.job.cluster;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The class path of a standalone cluster, as flink-dist's {@code lib/} would hold it, from the jars
 * Maven resolved for the job module: Flink with flink-connector-base (bundled by flink-dist, kept
 * {@code provided} by the job jar), RocksDB, the web UI, the Prometheus reporter, log4j and ND4J
 * (for MLPs above the crossover, as an image's {@code lib/} carries it), plus this package's jar
 * (the loopback reporter). Left out: our own modules and the Kafka connector and client (inside the
 * job jar), and the libraries of the in-process Kafka broker that only the demo and the tests use.
 *
 * <p>The build writes two lists (job/pom.xml): the compile scope (compile and provided) and the
 * runtime scope (which adds kafka-clients' runtime dependencies that Flink needs too: slf4j-api,
 * lz4, snappy).
 */
public final class ClusterClasspath {

  private ClusterClasspath() {}

  /** Jars that a cluster does not get (matched against the Maven repository path). */
  static final Pattern LEFT_OUT =
      Pattern.compile(
          "/io/koala/|/(connectors|koala-state|test-data|job)/target/"
              + "|/org/apache/kafka/|/flink-connector-kafka-|/org/scala-lang/|/com/typesafe/scala-logging/"
              + "|/org/knowm/"
              // The in-process broker's own libraries (kafka-test-common-runtime, provided).
              + "|/net/sf/jopt-simple/|/net/sourceforge/argparse4j/|/org/pcollections/"
              + "|/com/yammer/metrics/|/org/hdrhistogram/|/tools/profiler/|/org/bitbucket/b_c/"
              + "|/com/dynatrace/hash4j/|/com/github/ben-manes/caffeine/|/com/google/re2j/"
              + "|/org/junit/|/org/opentest4j/|/org/apiguardian/|/commons-validator/"
              + "|/commons-digester/|/commons-beanutils/|/commons-logging/|/org/jspecify/");

  /**
   * The cluster's class path from a built job module's {@code target} directory: this package's jar
   * first, then the filtered Maven lists.
   */
  public static String fromBuild(Path target) throws IOException {
    Set<String> jars = new LinkedHashSet<>();
    jars.add(clusterJar(target).toString());
    for (String list : List.of("compile.txt", "runtime.txt")) {
      Path file = target.resolve("cluster-classpath").resolve(list);
      if (!Files.exists(file)) {
        throw new IllegalStateException(file + " missing: build the job module (mvn package)");
      }
      jars.addAll(filter(Files.readString(file).trim()));
    }
    return String.join(java.io.File.pathSeparator, jars);
  }

  static List<String> filter(String classpath) {
    List<String> out = new ArrayList<>();
    for (String entry : classpath.split(java.io.File.pathSeparator)) {
      if (!entry.isBlank() && !LEFT_OUT.matcher(entry.replace('\\', '/')).find()) {
        out.add(entry);
      }
    }
    return out;
  }

  /** target/job-VERSION-cluster.jar. */
  static Path clusterJar(Path target) throws IOException {
    try (DirectoryStream<Path> jars = Files.newDirectoryStream(target, "job-*-cluster.jar")) {
      for (Path jar : jars) {
        return jar.toAbsolutePath();
      }
    }
    throw new IllegalStateException("no job-*-cluster.jar in " + target + ": build the job module");
  }
}
