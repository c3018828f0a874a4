package io.koala.job.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code koala demo} with many keys, at a small scale: the stream is generated as it is sent, the
 * report compares a bounded sample of keys, and the state summary counts every key.
 */
class DemoManyKeysITCase {

  private static final int KEYS = 10_000;

  @Test
  void demo_manyKeys_everyKeyHasAModel_reportSamplesKeys_printsTheState(@TempDir Path tmp)
      throws Exception {
    ByteArrayOutputStream text = new ByteArrayOutputStream();
    DemoOptions options =
        DemoOptions.parse(
            List.of(
                "--keys",
                String.valueOf(KEYS),
                "--events-per-key",
                "12",
                "--rate",
                "0",
                "--web-ui-port",
                "0",
                "--report",
                tmp.resolve("report").toString()));

    DemoReport.Result result =
        DemoCommand.demo(options, new PrintStream(text, true, StandardCharsets.UTF_8));

    String output = text.toString(StandardCharsets.UTF_8);
    assertThat(output).contains("koala demo: 10,000 tenants × 12 events = 120,000 events");
    assertThat(result.examples()).isEqualTo(KEYS * 12L);
    // The drained stop flushed every key's partial batch (4 of 8) and wrote its final model.
    assertThat(result.finalVersions())
        .hasSize(KEYS)
        .allSatisfy((k, v) -> assertThat(v).isEqualTo(2));
    assertThat(result.deadLetters())
        .containsExactlyInAnyOrder("MALFORMED_JSON", "WRONG_DIMENSION", "WRONG_TYPE");
    assertThat(result.compared()).isEqualTo(DemoReport.COMPARED);
    assertThat(result.replayMismatches()).isZero();

    StateSummary state = result.state();
    assertThat(state.keysWithModel()).isEqualTo(KEYS);
    assertThat(state.measuredKeys()).isEqualTo(DemoReport.COMPARED);
    assertThat(state.minBytes()).isPositive();
    assertThat(state.totalBytes()).isBetween(state.minBytes() * KEYS, state.maxBytes() * KEYS);
    // The savepoint holds every key's model state, and more (the operator's other state).
    assertThat(state.savepointBytes()).isGreaterThan(state.minBytes() * KEYS);
    assertThat(output)
        .contains("state: 10,000 keys with a model; model state ", "final savepoint ")
        .contains("compared on 1,000 of 10,000 keys");
    assertThat(result.summary()).contains(state.line().strip());
    String html = Files.readString(tmp.resolve("report").resolve("index.html"));
    assertThat(html).contains("<h2>State</h2>", "10,000 keys with a model", "compared on 1,000");
    assertThat(html.split("<tr><td>tenant-", -1)).hasSize(DemoReport.COMPARED + 1);
  }
}
