package io.koala.job;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Grafana dashboard (docker/grafana/dashboards) queries only metrics that a run of the job
 * registers, under the names and labels Flink's Prometheus reporter gives them: a file job runs
 * with that reporter's naming ({@link PrometheusNames}, no HTTP server) and every metric and label
 * in the dashboard's queries must be among what it saw.
 */
class DashboardMetricsITCase {

  @RegisterExtension
  static final MiniClusterExtension CLUSTER =
      new MiniClusterExtension(
          new MiniClusterResourceConfiguration.Builder()
              .setConfiguration(withNamesReporter())
              .setNumberTaskManagers(1)
              .setNumberSlotsPerTaskManager(2)
              .build());

  private static Configuration withNamesReporter() {
    Configuration conf = new Configuration();
    conf.setString("metrics.reporter.names.factory.class", PrometheusNames.FACTORY);
    return conf;
  }

  private static final Pattern METRIC = Pattern.compile("\\b(flink_[A-Za-z0-9_:]+)");
  private static final Pattern MATCHER =
      Pattern.compile("([A-Za-z_][A-Za-z0-9_]*)\\s*(=~|!~|!=|=)");
  private static final Pattern GROUPING = Pattern.compile("\\b(?:by|without)\\s*\\(([^)]*)\\)");

  @Test
  void dashboard_queriesOnlyMetricsAndLabelsTheJobRegisters(@TempDir Path dir) throws Exception {
    Configuration conf = new Configuration();
    conf.setString("execution.checkpointing.interval", "100 ms");
    conf.setString("pipeline.generic-types", "false");
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
    env.setParallelism(2);
    // The sample stream and one malformed record, so that the dead letters by reason register.
    List<String> input =
        new ArrayList<>(
            java.nio.file.Files.readAllLines(
                Path.of("..", "test-data", "streams", "multikey.jsonl")));
    input.add(input.size() / 2, "{\"key\":\"tenant-0\",\"features\":[1,2");
    Path file = dir.resolve("input.jsonl");
    java.nio.file.Files.write(file, input);
    KoalaJob.buildFileJob(
        env,
        Fixtures.config(
            "koala-v",
            "koala.file.input",
            file.toString(),
            "koala.output.dir",
            dir.resolve("out").toString()));
    env.execute("dashboard-metrics");

    JsonNode dashboard =
        new ObjectMapper()
            .readTree(DeployFiles.DOCKER.resolve("grafana/dashboards/koala.json").toFile());
    List<String> queries = new ArrayList<>();
    dashboard.findValues("expr").forEach(e -> queries.add(e.asText()));
    assertThat(queries).hasSizeGreaterThanOrEqualTo(10);
    Set<String> metrics = new TreeSet<>();
    Set<String> labels = new TreeSet<>();
    for (String query : queries) {
      Matcher m = METRIC.matcher(query);
      while (m.find()) {
        metrics.add(m.group(1));
      }
      Matcher selectors = Pattern.compile("\\{([^}]*)\\}").matcher(query);
      while (selectors.find()) {
        Matcher l = MATCHER.matcher(selectors.group(1));
        while (l.find()) {
          labels.add(l.group(1));
        }
      }
      Matcher g = GROUPING.matcher(query);
      while (g.find()) {
        for (String label : g.group(1).split(",")) {
          labels.add(label.trim());
        }
      }
    }
    assertThat(PrometheusNames.NAMES).as("names the reporter gave").containsAll(metrics);
    assertThat(PrometheusNames.LABELS).as("labels the reporter gave").containsAll(labels);
    // Every counter of the engine's 'koala' group is on the dashboard.
    Set<String> engine = new TreeSet<>(PrometheusNames.NAMES);
    engine.removeIf(n -> !n.startsWith("flink_taskmanager_job_task_operator_koala_"));
    assertThat(engine).isNotEmpty();
    assertThat(metrics).containsAll(engine);
  }
}
