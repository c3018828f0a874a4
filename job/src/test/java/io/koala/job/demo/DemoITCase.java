package io.koala.job.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.HttpURLConnection;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code koala demo} end to end: a real broker, a local Flink cluster, the report; Ctrl-C. */
class DemoITCase {

  private static final byte[] PNG = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};

  @Test
  void demo_trainsEveryKey_answersAndDeadLetters_writesReport(@TempDir Path tmp) throws Exception {
    ByteArrayOutputStream text = new ByteArrayOutputStream();
    DemoOptions options =
        DemoOptions.parse(
            List.of(
                "--keys",
                "6",
                "--events-per-key",
                "2000",
                "--rate",
                "0",
                "--web-ui-port",
                "0",
                "--report",
                tmp.resolve("report").toString()));
    DemoStream stream = DemoStream.generate(options.seed(), 6, 2000);

    DemoReport.Result result =
        DemoCommand.demo(options, new PrintStream(text, true, StandardCharsets.UTF_8));

    String output = text.toString(StandardCharsets.UTF_8);
    assertThat(output).contains("Flink web UI: http://localhost:", "Report: ");
    assertThat(result.examples()).isEqualTo(6 * 2000);
    assertThat(result.predictions()).isEqualTo(stream.requests()).isPositive();
    assertThat(result.meanVariance()).isPositive().isFinite();
    assertThat(result.deadLetters())
        .containsExactlyInAnyOrder("MALFORMED_JSON", "WRONG_DIMENSION", "WRONG_TYPE");
    // The drained stop wrote every key's final model (250 batches of 8).
    assertThat(result.finalVersions())
        .hasSize(6)
        .allSatisfy((k, v) -> assertThat(v).isEqualTo(250));
    // The operator only calls the trainer: replaying each key in-process gives the same numbers.
    assertThat(result.replayMismatches()).isZero();
    // KOALA learns (the Bayes rate is 95 %), and its drift statistic sees the drifts.
    assertThat(result.koala().accuracy()).isGreaterThan(0.8);
    assertThat(result.detection().trueDrifts()).isEqualTo(12);
    assertThat(result.detection().detected()).isPositive();

    Path report = tmp.resolve("report");
    String html = Files.readString(report.resolve("index.html"));
    for (String png : List.of("accuracy.png", "loss.png", "noise.png", "baselines.png")) {
      assertThat(html).contains("src=\"" + png + "\"");
      byte[] bytes = Files.readAllBytes(report.resolve(png));
      assertThat(bytes.length).isGreaterThan(10_000);
      assertThat(java.util.Arrays.copyOf(bytes, 8)).isEqualTo(PNG);
    }
    assertThat(html)
        .contains("tenant-000", "tenant-005", result.sgd().name(), result.adam().name());
    assertThat(Files.readString(report.resolve("summary.txt")))
        .isEqualTo(result.summary() + System.lineSeparator());
  }

  /** The launcher's JVM, interrupted as Ctrl-C does: nothing is left running or listening. */
  @Test
  void ctrlC_stopsEverything_freesThePorts_deletesTheData(@TempDir Path tmp) throws Exception {
    Path tmpdir = Files.createDirectories(tmp.resolve("java-tmp"));
    List<String> command =
        new ArrayList<>(
            List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
    Collections.addAll(command, System.getProperty("koala.test.add-opens", "").split(" "));
    command.removeIf(String::isBlank);
    command.addAll(
        List.of(
            "-Xmx1g",
            "-Djava.io.tmpdir=" + tmpdir,
            "-Dlog4j.configurationFile="
                + Path.of("..", "conf", "log4j2-demo.properties").toAbsolutePath(),
            "-Dkoala.log.file=" + tmp.resolve("demo.log"),
            "-cp",
            System.getProperty("java.class.path"),
            "io.koala.job.cli.KoalaCommand",
            "demo",
            "--keys",
            "4",
            "--events-per-key",
            "50000",
            "--rate",
            "400",
            "--web-ui-port",
            "0",
            "--report",
            tmp.resolve("report").toString()));
    Process demo = new ProcessBuilder(command).redirectErrorStream(true).start();
    List<String> lines = Collections.synchronizedList(new ArrayList<>());
    // Each output line, then an end marker when the process closes its output.
    java.util.concurrent.BlockingQueue<String> arriving =
        new java.util.concurrent.LinkedBlockingQueue<>();
    String end = "\u0000end";
    Thread reader =
        new Thread(
            () -> {
              try (BufferedReader r =
                  new BufferedReader(
                      new InputStreamReader(demo.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                  lines.add(line);
                  arriving.add(line);
                }
              } catch (IOException ignored) {
                // The process ended.
              }
              arriving.add(end);
            });
    reader.start();
    try {
      int webPort = -1;
      int kafkaPort = -1;
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
      // Wait until the job has trained something: every component is up and busy.
      Pattern trained = Pattern.compile("trained [1-9][0-9,]* \\(");
      for (String line = ""; !trained.matcher(line).find(); ) {
        line = arriving.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        assertThat(line).as("no progress within 120 s: %s", lines).isNotNull();
        assertThat(line).as("demo exited early: %s", lines).isNotEqualTo(end);
      }
      for (String line : List.copyOf(lines)) {
        Matcher web = Pattern.compile("web UI: http://localhost:(\\d+)/").matcher(line);
        Matcher broker = Pattern.compile("in this process\\): localhost:(\\d+)").matcher(line);
        if (web.find()) {
          webPort = Integer.parseInt(web.group(1));
        }
        if (broker.find()) {
          kafkaPort = Integer.parseInt(broker.group(1));
        }
      }
      assertThat(webPort).isPositive();
      assertThat(kafkaPort).isPositive();
      HttpURLConnection ui =
          (HttpURLConnection)
              URI.create("http://localhost:" + webPort + "/jobs/overview").toURL().openConnection();
      assertThat(ui.getResponseCode()).isEqualTo(200);
      assertThat(new String(ui.getInputStream().readAllBytes(), StandardCharsets.UTF_8))
          .contains("koala-demo", "RUNNING");
      HttpURLConnection page =
          (HttpURLConnection)
              URI.create("http://localhost:" + webPort + "/").toURL().openConnection();
      assertThat(new String(page.getInputStream().readAllBytes(), StandardCharsets.UTF_8))
          .containsIgnoringCase("flink");

      new ProcessBuilder("kill", "-INT", String.valueOf(demo.pid())).start().waitFor();
      // It takes about a second; 30 s only tells a hang (a wait on a Flink that is itself
      // shutting down once held Ctrl-C for a minute) from a slow machine.
      assertThat(demo.waitFor(30, TimeUnit.SECONDS)).as("exited after SIGINT: %s", lines).isTrue();
      reader.join(5_000);
      assertThat(lines).anyMatch(l -> l.contains("interrupted; stopping the job, Flink and Kafka"));
      assertThat(listening(webPort)).as("web UI port still open").isFalse();
      assertThat(listening(kafkaPort)).as("Kafka port still open").isFalse();
      try (Stream<Path> left = Files.list(tmpdir)) {
        assertThat(left.map(p -> p.getFileName().toString()))
            .noneMatch(n -> n.startsWith("koala-kafka-") || n.startsWith("koala-demo-"));
      }
    } finally {
      demo.descendants().forEach(ProcessHandle::destroyForcibly);
      demo.destroyForcibly();
    }
  }

  private static boolean listening(int port) {
    try (Socket s = new Socket("localhost", port)) {
      return true;
    } catch (IOException refused) {
      return false;
    }
  }
}
