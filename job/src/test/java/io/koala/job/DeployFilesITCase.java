package io.koala.job;

import static io.koala.job.DeployFiles.DOCKER;
import static io.koala.job.DeployFiles.ROOT;
import static io.koala.job.DeployFiles.at;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.koala.job.cli.KoalaApplication;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.runtime.util.EnvironmentInformation;
import org.apache.kafka.server.config.AbstractKafkaConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * docker/ as far as it can be checked without a container engine (there is none here): every file
 * parses, the Dockerfile copies files that exist after {@code package} onto the Flink image of the
 * build, the entry class is in the built jar, and the job's configuration in each setup is one that
 * {@link JobConfig} accepts, with every Flink key an option of Flink. No container is run.
 */
class DeployFilesITCase {

  private static final String JAR_IN_IMAGE = "/opt/flink/usrlib/koala-job.jar";
  private static final String REPORTER_PORT = "9249";

  @Test
  void everyDeployFile_parses() throws Exception {
    List<Path> files;
    try (Stream<Path> walk = Files.walk(DOCKER)) {
      files = walk.filter(Files::isRegularFile).toList();
    }
    int yaml = 0;
    for (Path file : files) {
      String name = file.getFileName().toString();
      if (name.endsWith(".yml") || name.endsWith(".yaml")) {
        assertThat(DeployFiles.yamlDocuments(file)).as(file.toString()).isNotEmpty();
        yaml++;
      } else if (name.endsWith(".json")) {
        assertThat(new ObjectMapper().readTree(file.toFile())).as(file.toString()).isNotNull();
      }
    }
    assertThat(yaml).isGreaterThanOrEqualTo(10);
  }

  @Test
  void everyKoalaKeyNamedInTheFiles_isAnOption() throws Exception {
    Pattern key = Pattern.compile("(?<![\\w.])koala\\.[a-z][A-Za-z0-9.-]*[A-Za-z0-9]");
    List<String> named = new ArrayList<>();
    try (Stream<Path> walk = Files.walk(DOCKER)) {
      for (Path file : walk.filter(Files::isRegularFile).toList()) {
        Matcher m = key.matcher(Files.readString(file));
        while (m.find()) {
          if (!m.group().matches(".*\\.(yaml|yml|json)")) { // file names, not keys
            named.add(m.group());
          }
        }
      }
    }
    assertThat(named).contains("koala.source.backfill.path");
    assertThat(named).allSatisfy(k -> assertThat(OptionCatalog.known(k)).as(k).isTrue());
  }

  @Test
  void dockerfile_isTheFlinkImageOfTheBuild_copiesFilesThatExist_andEnablesPrometheus()
      throws Exception {
    String dockerfile = Files.readString(DOCKER.resolve("Dockerfile"));
    Matcher image = Pattern.compile("ARG FLINK_IMAGE=(\\S+)").matcher(dockerfile);
    assertThat(image.find()).isTrue();
    assertThat(image.group(1))
        .isEqualTo("flink:" + EnvironmentInformation.getVersion() + "-java17");

    List<DeployFiles.Copy> copies = DeployFiles.dockerfileCopies();
    assertThat(copies).extracting(DeployFiles.Copy::target).contains(JAR_IN_IMAGE);
    assertThat(copies)
        .allSatisfy(
            c ->
                assertThat(c.source())
                    .satisfiesAnyOf(
                        f -> assertThat(f).isRegularFile(),
                        f -> assertThat(f).isNotEmptyDirectory()));
    // ND4J for large MLPs goes to Flink's lib/: exactly jars of the job's Maven-resolved set.
    Path nd4j = DeployFiles.sourceOf("/opt/flink/lib/").orElseThrow();
    String resolved =
        Files.readString(ROOT.resolve("job/target/cluster-classpath/compile.txt")).trim();
    List<String> resolvedNames =
        java.util.Arrays.stream(resolved.split(java.io.File.pathSeparator))
            .map(e -> Path.of(e).getFileName().toString())
            .toList();
    try (var jars = Files.list(nd4j)) {
      List<String> names = jars.map(j -> j.getFileName().toString()).toList();
      assertThat(names)
          .contains("nd4j-api-1.0.0-M2.1.jar", "nd4j-native-1.0.0-M2.1-linux-x86_64.jar")
          .allSatisfy(n -> assertThat(resolvedNames).contains(n));
    }
    Path jar = DeployFiles.sourceOf(JAR_IN_IMAGE).orElseThrow();
    assertThat(jar).isEqualTo(ROOT.resolve("job/target/koala-job.jar"));
    try (JarFile file = new JarFile(jar.toFile())) {
      assertThat(file.getEntry(KoalaApplication.class.getName().replace('.', '/') + ".class"))
          .isNotNull();
      assertThat(file.getEntry("io/koala/connectors/file/LineFileSource.class")).isNotNull();
      // Provided, so from the image's flink-dist: nothing has to be added to /opt/flink/lib.
      assertThat(file.getEntry("org/apache/flink/connector/base/DeliveryGuarantee.class")).isNull();
    }

    Map<String, String> settings = new LinkedHashMap<>();
    Matcher d = Pattern.compile("\"-D([^=\"]+)=([^\"]+)\"").matcher(dockerfile);
    while (d.find()) {
      settings.put(d.group(1), d.group(2));
    }
    assertThat(settings)
        .containsEntry(
            "metrics.reporter.prom.factory.class",
            "org.apache.flink.metrics.prometheus.PrometheusReporterFactory")
        .containsEntry("metrics.reporter.prom.port", REPORTER_PORT);
    DeployFiles.checkFlinkSettings(settings);
    assertThat(dockerfile).contains("EXPOSE " + REPORTER_PORT);
    // The compose volume's mount point exists in the image and belongs to Flink's user.
    assertThat(dockerfile)
        .contains("mkdir -p /var/koala/checkpoints /var/koala/savepoints")
        .contains("chown -R flink:flink /var/koala")
        .containsPattern("USER flink\\s+EXPOSE");
  }

  @Test
  void compose_runsKoalaTrainInApplicationMode_withAConfigurationTheJobAccepts() throws Exception {
    Map<String, Object> compose = DeployFiles.yaml(DOCKER.resolve("docker-compose.yml"));
    List<String> command = at(compose, "services", "jobmanager", "command");
    assertThat(command.subList(0, 3))
        .containsExactly("standalone-job", "--job-classname", KoalaApplication.class.getName());
    JobConfig config = jobConfig(command.subList(3, command.size()));
    assertThat(config.get(KoalaOptions.SOURCE)).isEqualTo(KoalaChoices.SourceKind.KAFKA);
    assertThat(config.backfillFiles())
        .containsExactly(ROOT.resolve("test-data/streams/multikey.jsonl"));
    assertThat(config.kafkaSettings().bootstrapServers()).isEqualTo("kafka:9092");

    // Flink's settings of both JobManager and TaskManagers: real options, readable values.
    for (String service : List.of("jobmanager", "taskmanager")) {
      Map<String, String> flink =
          DeployFiles.properties(
              at(compose, "services", service, "environment", "FLINK_PROPERTIES"));
      DeployFiles.checkFlinkSettings(flink);
      assertThat(flink)
          .containsEntry("state.backend.type", "rocksdb")
          .containsEntry("execution.checkpointing.incremental", "true")
          .containsEntry("jobmanager.rpc.address", "jobmanager");
      List<String> volumes = at(compose, "services", service, "volumes");
      assertThat(volumes).contains("koala-state:/var/koala");
      assertThat(flink.get("execution.checkpointing.dir")).startsWith("file:///var/koala/");
      assertThat(flink.get("execution.checkpointing.savepoint-dir"))
          .startsWith("file:///var/koala/");
    }
    assertThat((Map<String, Object>) at(compose, "volumes")).containsKey("koala-state");
    assertThat(at(compose, "services", "taskmanager", "command").toString())
        .isEqualTo("taskmanager");

    // The init step creates every topic the job reads or writes.
    String init =
        String.join("\n", (List<String>) at(compose, "services", "kafka-init", "command"));
    List<String> topics = new ArrayList<>(config.get(KoalaOptions.KAFKA_INPUT_TOPICS));
    for (var topic :
        List.of(
            KoalaOptions.KAFKA_TOPIC_MODELS,
            KoalaOptions.KAFKA_TOPIC_METRICS,
            KoalaOptions.KAFKA_TOPIC_PREDICTIONS,
            KoalaOptions.KAFKA_TOPIC_DRIFT,
            KoalaOptions.KAFKA_TOPIC_DEAD_LETTERS)) {
      topics.add(config.get(topic));
    }
    for (String topic : topics) {
      assertThat(init)
          .as("kafka-init creates %s", topic)
          .containsPattern("\\s" + topic + "([\\s;]|$)");
    }
    assertThat(init)
        .contains("--topic koala-models --partitions 1 --config cleanup.policy=compact");

    // The broker's settings are Kafka broker configs (the image maps KAFKA_A_B to a.b).
    Map<String, Object> kafkaEnv = at(compose, "services", "kafka", "environment");
    for (String variable : kafkaEnv.keySet()) {
      assertThat(AbstractKafkaConfig.CONFIG_DEF.names())
          .as(variable)
          .contains(brokerConfig(variable));
    }

    // Ports only on the host's loopback; mounted files exist.
    Map<String, Object> services = at(compose, "services");
    for (Map.Entry<String, Object> service : services.entrySet()) {
      Map<String, Object> spec = (Map<String, Object>) service.getValue();
      for (Object port : (List<Object>) spec.getOrDefault("ports", List.of())) {
        assertThat(port.toString()).as(service.getKey()).startsWith("127.0.0.1:");
      }
      for (Object volume : (List<Object>) spec.getOrDefault("volumes", List.of())) {
        String source = volume.toString().split(":")[0];
        if (source.startsWith("./")) {
          assertThat(DOCKER.resolve(source)).as(service.getKey()).exists();
        }
      }
    }
  }

  @Test
  void prometheus_scrapesTheReporterOfTheJobManagerAndEveryTaskManager() throws Exception {
    Map<String, Object> prometheus = DeployFiles.yaml(DOCKER.resolve("prometheus.yml"));
    String text = prometheus.toString();
    assertThat(text).contains("jobmanager:" + REPORTER_PORT).contains("names=[taskmanager]");
    assertThat(text).contains("port=" + REPORTER_PORT);
    Map<String, Object> services =
        at(DeployFiles.yaml(DOCKER.resolve("docker-compose.yml")), "services");
    assertThat(services).containsKeys("jobmanager", "taskmanager", "prometheus", "grafana");
  }

  @Test
  void sessionVariant_onlyTurnsTheJobManagerIntoASessionCluster() throws Exception {
    Map<String, Object> session = DeployFiles.yaml(DOCKER.resolve("docker-compose.session.yml"));
    assertThat((Map<String, Object>) at(session, "services")).containsOnlyKeys("jobmanager");
    assertThat(at(session, "services", "jobmanager").toString()).isEqualTo("{command=jobmanager}");
    assertThat(Files.readString(DOCKER.resolve("docker-compose.session.yml")))
        .contains("flink run -d " + JAR_IN_IMAGE + " train --config /opt/koala/koala.yaml");
  }

  @Test
  void theApplicationEntry_runsTheJob_andReturnsFromMain(@TempDir Path dir) throws Exception {
    Path out = dir.resolve("out");
    KoalaApplication.main(
        new String[] {
          "train",
          "--koala.file.input",
          ROOT.resolve("test-data/streams/multikey.jsonl").toString(),
          "--koala.output.dir",
          out.toString(),
          "--koala.model.features",
          "3"
        });
    // Returned (no System.exit), and the job ran: 50 tenants, each with its final snapshot.
    assertThat(TestLines.finalModels(out.resolve("models.jsonl"))).hasSize(50);
  }

  /** The job's configuration from {@code train --config FILE [--key value ...]} in the image. */
  private static JobConfig jobConfig(List<String> arguments) throws Exception {
    assertThat(arguments.get(0)).isEqualTo("train");
    List<String> rest = new ArrayList<>(arguments.subList(1, arguments.size()));
    int at = rest.indexOf("--config");
    Path file = DeployFiles.sourceOf(rest.get(at + 1)).orElseThrow();
    rest.subList(at, at + 2).clear();
    Configuration conf = ConfigLoader.load(file, rest);
    checkFlinkKeysOf(conf);
    return JobConfig.of(DeployFiles.withRepositoryPaths(conf));
  }

  static void checkFlinkKeysOf(Configuration conf) {
    Map<String, String> flink = new LinkedHashMap<>(conf.toMap());
    flink.keySet().removeIf(k -> k.startsWith("koala."));
    DeployFiles.checkFlinkSettings(flink);
  }

  /** KAFKA_LOG_DIRS to log.dirs: '_' is '.', '__' is '_', '___' is '-' (the image's rule). */
  private static String brokerConfig(String variable) {
    assertThat(variable).startsWith("KAFKA_");
    return variable
        .substring("KAFKA_".length())
        .toLowerCase(java.util.Locale.ROOT)
        .replace("___", "-")
        .replace("__", "\u0000")
        .replace('_', '.')
        .replace('\u0000', '_');
  }
}
