package io.koala.job;

import static io.koala.job.DeployFiles.DOCKER;
import static io.koala.job.DeployFiles.at;
import static org.assertj.core.api.Assertions.assertThat;

import io.koala.job.cli.KoalaApplication;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.runtime.util.EnvironmentInformation;
import org.junit.jupiter.api.Test;

/**
 * docker/k8s: the FlinkDeployment for the Flink Kubernetes Operator names fields its CRD has
 * (flink.apache.org/v1beta1, as read from the operator's flinkdeployments CRD for this file), runs
 * the jar of the image with the real entry class, and the configuration it mounts is one the job
 * accepts. Nothing is applied to a cluster here.
 */
class KubernetesDeployITCase {

  private static final Path K8S = DOCKER.resolve("k8s");

  /** Fields of FlinkDeployment's spec and spec.job in the operator's CRD that this file may use. */
  private static final List<String> SPEC_FIELDS =
      List.of(
          "image",
          "imagePullPolicy",
          "flinkVersion",
          "serviceAccount",
          "flinkConfiguration",
          "jobManager",
          "taskManager",
          "podTemplate",
          "job",
          "logConfiguration",
          "mode",
          "ingress",
          "restartNonce");

  private static final List<String> JOB_FIELDS =
      List.of(
          "jarURI",
          "entryClass",
          "args",
          "parallelism",
          "upgradeMode",
          "state",
          "allowNonRestoredState",
          "initialSavepointPath",
          "savepointTriggerNonce",
          "checkpointTriggerNonce",
          "savepointRedeployNonce",
          "autoscalerResetNonce");

  @Test
  void flinkDeployment_applicationModeFromASavepoint_rocksDbIncremental_kubernetesHa()
      throws Exception {
    Map<String, Object> deployment = DeployFiles.yaml(K8S.resolve("koala-deployment.yaml"));
    assertThat(deployment)
        .containsEntry("apiVersion", "flink.apache.org/v1beta1")
        .containsEntry("kind", "FlinkDeployment");
    Map<String, Object> spec = at(deployment, "spec");
    assertThat(SPEC_FIELDS).containsAll(spec.keySet());
    String[] version = EnvironmentInformation.getVersion().split("\\.");
    assertThat(spec).containsEntry("flinkVersion", "v" + version[0] + "_" + version[1]);

    Map<String, Object> job = at(spec, "job");
    assertThat(JOB_FIELDS).containsAll(job.keySet());
    // Application mode: the job runs in its own cluster from the image's jar, with our main.
    assertThat(job)
        .containsEntry("jarURI", "local:///opt/flink/usrlib/koala-job.jar")
        .containsEntry("entryClass", KoalaApplication.class.getName())
        .containsEntry("upgradeMode", "savepoint")
        .containsEntry("state", "running");
    assertThat(DeployFiles.sourceOf("/opt/flink/usrlib/koala-job.jar")).isPresent();
    assertThat((Integer) job.get("parallelism")).isPositive();

    Map<String, String> flink = new LinkedHashMap<>();
    ((Map<String, Object>) spec.get("flinkConfiguration"))
        .forEach((k, v) -> flink.put(k, String.valueOf(v)));
    DeployFiles.checkFlinkSettings(flink);
    assertThat(flink)
        .containsEntry("state.backend.type", "rocksdb")
        .containsEntry("execution.checkpointing.incremental", "true")
        .containsEntry("high-availability.type", "kubernetes")
        .containsEntry(
            "metrics.reporter.prom.factory.class",
            "org.apache.flink.metrics.prometheus.PrometheusReporterFactory")
        .containsKeys(
            "execution.checkpointing.dir",
            "execution.checkpointing.savepoint-dir",
            "high-availability.storageDir");

    // The metrics port is the reporter's, and the state directories are on the mounted volume.
    List<Map<String, Object>> containers = at(spec, "podTemplate", "spec", "containers");
    assertThat(at(spec, "podTemplate", "spec", "securityContext", "fsGroup").toString())
        .as("the image's flink group may write the claim")
        .isEqualTo("9999");
    Map<String, Object> main = containers.get(0);
    assertThat(main).containsEntry("name", "flink-main-container");
    assertThat(main.get("ports").toString())
        .contains("containerPort=" + flink.get("metrics.reporter.prom.port"));
    Map<String, String> mounts = new LinkedHashMap<>();
    for (Map<String, Object> m : (List<Map<String, Object>>) main.get("volumeMounts")) {
      mounts.put((String) m.get("name"), (String) m.get("mountPath"));
    }
    for (String dir :
        List.of(
            "execution.checkpointing.dir",
            "execution.checkpointing.savepoint-dir",
            "high-availability.storageDir")) {
      assertThat(flink.get(dir)).startsWith("file://" + mounts.get("koala-state") + "/");
    }

    // The job's arguments read the mounted ConfigMap, and the job accepts its configuration.
    List<String> args = (List<String>) job.get("args");
    assertThat(args.subList(0, 2)).containsExactly("train", "--config");
    Path config = Path.of(args.get(2));
    assertThat(config.getParent().toString()).isEqualTo(mounts.get("koala-config"));
    Map<String, Object> configMap = DeployFiles.yaml(K8S.resolve("koala-config.yaml"));
    String volumeConfigMap =
        ((List<Map<String, Object>>) at(spec, "podTemplate", "spec", "volumes"))
            .stream()
                .filter(v -> "koala-config".equals(v.get("name")))
                .map(v -> at(v, "configMap", "name").toString())
                .findFirst()
                .orElseThrow();
    assertThat(at(configMap, "metadata", "name").toString()).isEqualTo(volumeConfigMap);
    String yaml = at(configMap, "data", config.getFileName().toString());
    Path file = Files.createTempFile("koala-k8s", ".yaml");
    try {
      Files.writeString(file, yaml);
      var conf = ConfigLoader.load(file, args.subList(3, args.size()));
      DeployFilesITCase.checkFlinkKeysOf(conf);
      JobConfig job2 = JobConfig.of(conf);
      assertThat(job2.get(KoalaOptions.SOURCE)).isEqualTo(KoalaChoices.SourceKind.KAFKA);
      assertThat(job2.get(KoalaOptions.KAFKA_TRANSACTIONAL_ID_PREFIX)).isNotEqualTo("koala");
    } finally {
      Files.delete(file);
    }
  }

  @Test
  void kustomization_listsEveryManifest_andTheVolumeClaimIsShared() throws Exception {
    Map<String, Object> kustomization = DeployFiles.yaml(K8S.resolve("kustomization.yaml"));
    List<String> resources = new ArrayList<>(at(kustomization, "resources"));
    for (String resource : resources) {
      assertThat(K8S.resolve(resource)).exists();
    }
    assertThat(resources)
        .containsExactlyInAnyOrder(
            "koala-state-pvc.yaml", "koala-config.yaml", "koala-deployment.yaml");
    Map<String, Object> claim = DeployFiles.yaml(K8S.resolve("koala-state-pvc.yaml"));
    assertThat(claim).containsEntry("kind", "PersistentVolumeClaim");
    assertThat(at(claim, "spec", "accessModes").toString()).contains("ReadWriteMany");
    assertThat(at(claim, "metadata", "name").toString()).isEqualTo("koala-state");
  }
}
