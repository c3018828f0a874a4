package io.koala.job;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The job jar on a real cluster of separate JVMs (a JobManager, two TaskManagers, RocksDB with
 * incremental checkpoints) fed by a Kafka broker in its own JVM: a TaskManager is killed with
 * SIGKILL mid-stream and replaced; the final models are bit-identical to an uninterrupted run and a
 * read_committed consumer sees each snapshot once. The round that CI runs; {@code ClusterE2EITCase}
 * is the full set ({@code -Pcluster-e2e}).
 */
class ClusterKillITCase {

  @Test
  void killTaskManagerMidStream_modelsBitIdentical_snapshotsOnce_restartInRestApi()
      throws Exception {
    try (ClusterFixture f = ClusterFixture.start(2)) {
      KafkaTopics topics = f.topicsWithInput();
      long submitStart = System.nanoTime();
      String job = f.submit(f.jobConfig(topics, "kill"), 2, null);
      double submitSeconds = (System.nanoTime() - submitStart) / 1e9;
      ClusterFixture.await(
          "job running", Duration.ofMinutes(2), () -> f.state(job).equals("RUNNING"));
      ClusterFixture.await(
          "a first checkpoint", Duration.ofMinutes(2), () -> f.latestCheckpoint(job)[0] > 0);

      // Observability while it runs: the web UI lists the job, a TaskManager exports our metrics.
      assertThat(f.cluster.get(f.cluster.restUrl() + "/")).contains("Apache Flink Web Dashboard");
      assertThat(f.rest("/jobs/overview").toString()).contains(job).contains("koala-train");
      List<String> metrics = new ArrayList<>();
      ClusterFixture.await(
          "koala metrics on a TaskManager's Prometheus endpoint",
          Duration.ofMinutes(1),
          () -> {
            metrics.clear();
            for (Map.Entry<String, String> e : f.cluster.metricsEndpoints().entrySet()) {
              if (e.getKey().startsWith("taskmanager")) {
                metrics.addAll(f.koalaMetrics(e.getValue()));
              }
            }
            return metrics.stream().anyMatch(m -> m.endsWith("koala_prequentialLoss"));
          });
      assertThat(metrics)
          .contains(
              "flink_taskmanager_job_task_operator_koala_batches",
              "flink_taskmanager_job_task_operator_koala_examples",
              "flink_taskmanager_job_task_operator_koala_examplesPerSecond",
              "flink_taskmanager_job_task_operator_koala_prequentialLoss",
              "flink_taskmanager_job_task_operator_koala_prequentialAccuracy",
              "flink_taskmanager_job_task_operator_koala_refusedSteps",
              "flink_taskmanager_job_task_operator_koala_driftAlarms",
              "flink_taskmanager_job_task_operator_koala_deadLetters");
      List<String> byReason = new ArrayList<>();
      for (Map.Entry<String, String> e : f.cluster.metricsEndpoints().entrySet()) {
        byReason.addAll(
            f.metricLines(
                e.getValue(), "flink_taskmanager_job_task_operator_koala_reason_deadLetters"));
      }
      System.out.println("dead letters by reason: " + byReason);
      assertThat(byReason).anyMatch(l -> l.contains("reason=\"MALFORMED_JSON\""));
      System.out.println(
          "engine metrics on Prometheus: " + metrics.stream().distinct().sorted().toList());

      assertThat(f.state(job)).as("still running at the kill").isEqualTo("RUNNING");
      double recovery = f.killTaskManager(job, "taskmanager-1");
      System.out.printf(
          "cluster: submitted in %.1f s; kill -9 of a TaskManager to the next completed"
              + " checkpoint: %.1f s%n",
          submitSeconds, recovery);

      ClusterFixture.await(
          "job finished", Duration.ofMinutes(5), () -> f.state(job).equals("FINISHED"));
      JsonNode exceptions = f.rest("/jobs/" + job + "/exceptions");
      System.out.println(
          "REST /jobs/"
              + job
              + "/exceptions: "
              + exceptions.toString().substring(0, Math.min(600, exceptions.toString().length())));
      assertThat(exceptions.path("exceptionHistory").path("entries").size())
          .as("the restart in the REST API")
          .isGreaterThanOrEqualTo(1);

      var models = topics.readCommitted(topics.models);
      assertThat(ClusterFixture.snapshotsSeen(models).values())
          .as("every (key, version) snapshot exactly once")
          .containsOnly(1);
      Map<String, double[]> expected = f.expectedModels();
      Map<String, double[]> actual = KafkaPipelineITCase.finalModels(models);
      assertThat(actual.keySet()).isEqualTo(expected.keySet()).hasSize(ClusterFixture.KEYS);
      long differing =
          expected.keySet().stream()
              .filter(k -> !java.util.Arrays.equals(actual.get(k), expected.get(k)))
              .count();
      System.out.println("keys whose final model differs: " + differing + " of " + expected.size());
      if (differing > 0) {
        // What a difference is made of: lost or repeated batches show in the version and count.
        Map<String, io.koala.connectors.ModelSnapshot> last = new java.util.TreeMap<>();
        for (var r : models) {
          var s = io.koala.connectors.JsonOutputReader.snapshot(r.value());
          if (!last.containsKey(r.key()) || s.version() >= last.get(r.key()).version()) {
            last.put(r.key(), s);
          }
        }
        last.forEach(
            (k, s) -> {
              if (!java.util.Arrays.equals(actual.get(k), expected.get(k))) {
                System.out.printf(
                    "differs: %s at version %d after %d examples (expected %d after %d)%n",
                    k,
                    s.version(),
                    s.examples(),
                    ClusterFixture.EVENTS_PER_KEY / 8,
                    ClusterFixture.EVENTS_PER_KEY);
              }
            });
      }
      for (String key : expected.keySet()) {
        assertThat(actual.get(key)).as(key).containsExactly(expected.get(key));
      }
    }
  }
}
