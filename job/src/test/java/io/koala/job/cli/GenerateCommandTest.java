package io.koala.job.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The committed stream samples are exactly what the documented command regenerates. */
class GenerateCommandTest {

  @ParameterizedTest
  @ValueSource(strings = {"sea", "hyperplane", "regression", "multiclass", "multikey"})
  void committedSample_isReproducedByteForByte(String stream, @TempDir Path dir) throws Exception {
    Path sample = Path.of("..", "test-data", "streams", stream + ".jsonl");
    Path fresh = dir.resolve(stream + ".jsonl");
    int code =
        KoalaCommand.run(
            new String[] {
              "generate", stream, "--out", fresh.toString(), "--events", "10000", "--seed", "1"
            },
            new PrintStream(new ByteArrayOutputStream()),
            new PrintStream(new ByteArrayOutputStream()));
    assertThat(code).isZero();
    assertThat(Files.mismatch(sample, fresh)).as(stream).isEqualTo(-1L);
  }

  @org.junit.jupiter.api.Test
  void concepts_theDemosStream_fiftyKeysOfTheirOwn(@TempDir Path dir) throws Exception {
    Path out = dir.resolve("concepts.jsonl");
    assertThat(
            KoalaCommand.run(
                new String[] {"generate", "concepts", "--out", out.toString(), "--events", "5000"},
                new PrintStream(new ByteArrayOutputStream()),
                new PrintStream(new ByteArrayOutputStream())))
        .isZero();
    var json = new com.fasterxml.jackson.databind.ObjectMapper();
    var lines = Files.readAllLines(out);
    assertThat(lines).hasSize(5000);
    var keys = new java.util.HashSet<String>();
    for (String line : lines) {
      var n = json.readTree(line);
      keys.add(n.get("key").asText());
      assertThat(n.get("features")).hasSize(3);
      assertThat(n.get("label").asDouble()).isIn(0.0, 1.0);
    }
    assertThat(keys).hasSize(50);
  }
}
